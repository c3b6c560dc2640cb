/**
 * Benchmark of `kubectl kd sim` (issue 3, section 6), against the real binary started as its own
 * process (`node bin/kubectl-kd.cjs sim --kubeconfig-out F --port P`; run `npm run build` first, or
 * point KD_BIN at another build's entry shim):
 *
 * 1. loads 10,000 ConfigMaps across 20 namespaces and reads the server's RSS (VmRSS and the peak,
 *    VmHWM, from /proc/<pid>/status) — target ≤ 300 MB;
 * 2. GETs random ConfigMaps from 16 concurrent keep-alive loops for ~5 s in a second process (so
 *    the client's CPU is not the server's) — targets p99 ≤ 5 ms and ≥ 3,000 GETs/s;
 * 3. times watch events after writes (a few hundred, one at a time) — target ≤ 100 ms.
 *
 * Peer: no other API server can run on these machines (no container engine, no kube-apiserver
 * binary), so there is no side-by-side figure; kubectl's own per-request cost is a process start
 * and discovery, not comparable with a loop of keep-alive GETs, so it is not timed either.
 * Run as `node bench/sim.mjs` (the `--client URL SECONDS AUTHORIZATION CA` form is the GET loop's own
 * process; kd sim serves HTTPS with a bearer token, both read from the kubeconfig it writes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const NAMESPACES = 20;
const LOOPS = 16;
const GET_SECONDS = Number(process.env.BENCH_GET_SECONDS ?? 5);
const WATCH_WRITES = 300;

// kd sim serves HTTPS with its own CA and requires the bearer token of the kubeconfig it writes;
// both are set once the kubeconfig exists (the client process gets them as arguments).
let agent;
let ca;
let auth = {};
function useCredentials(caPem, authorization) {
  ca = caPem;
  auth = { Authorization: authorization };
  agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca });
}

function request(base, method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(base + p, { method, agent, headers: { 'Content-Type': 'application/json', ...auth, ...(data ? { 'Content-Length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const cmName = (i) => `cm-${i}`;
const nsName = (i) => `bench-${i % NAMESPACES}`;

// --- the GET loop, in its own process ----------------------------------------------------------
async function client(base, seconds) {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      while (performance.now() < end) {
        const i = Math.floor(rand() * OBJECTS);
        const t0 = performance.now();
        const r = await request(base, 'GET', `/api/v1/namespaces/${nsName(i)}/configmaps/${cmName(i)}`);
        latencies.push(performance.now() - t0);
        if (r.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ count: latencies.length, errors, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) }));
}

// --- the driver ---------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** The bearer token and CA kd sim wrote into its kubeconfig. */
function credentialsOf(kubeconfig) {
  const text = readFileSync(kubeconfig, 'utf8');
  const token = /^\s*token:\s*(\S+)\s*$/m.exec(text)?.[1];
  const caData = /^\s*certificate-authority-data:\s*(\S+)\s*$/m.exec(text)?.[1];
  if (!token || !caData) throw new Error(`no token or CA in ${kubeconfig}`);
  return { ca: Buffer.from(caData, 'base64').toString('utf8'), authorization: `Bearer ${token}` };
}

async function waitUp(base, child, kubeconfig) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`kd sim exited with ${child.exitCode}`);
    if (!existsSync(kubeconfig)) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const c = credentialsOf(kubeconfig);
    useCredentials(c.ca, c.authorization);
    try {
      if ((await request(base, 'GET', '/version')).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('kd sim did not answer /version within 20 s');
}

async function load(base) {
  for (let n = 0; n < NAMESPACES; n++) {
    const r = await request(base, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(n) } });
    if (r.status !== 201) throw new Error(`namespace: ${r.status} ${r.body}`);
  }
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < OBJECTS) {
        const i = next++;
        const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cmName(i), labels: { app: `app-${i % 50}` } }, data: { index: String(i), payload: 'x'.repeat(200) } };
        const r = await request(base, 'POST', `/api/v1/namespaces/${nsName(i)}/configmaps`, body);
        if (r.status !== 201) throw new Error(`configmap ${i}: ${r.status} ${r.body}`);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

function runClient(base) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [fileURLToPath(import.meta.url), '--client', base, String(GET_SECONDS), auth.Authorization, Buffer.from(ca).toString('base64')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exited with ${code}`))));
  });
}

/** Opens a watch and times each write's event: from sending the write to the event's arrival. */
async function watchLatency(base) {
  const ns = nsName(0);
  const list = JSON.parse((await request(base, 'GET', `/api/v1/namespaces/${ns}/configmaps?limit=1`)).body);
  const rv = list.metadata.resourceVersion;
  const waiting = new Map();
  const watchAgent = new https.Agent({ keepAlive: false, ca });
  const req = https.get(`${base}/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=false`, { agent: watchAgent, headers: auth });
  const res = await new Promise((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  let buf = '';
  res.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      const ev = JSON.parse(line);
      const name = ev.object?.metadata?.name;
      const w = waiting.get(name);
      if (w) {
        waiting.delete(name);
        w(performance.now());
      }
    }
  });
  const latencies = [];
  for (let i = 0; i < WATCH_WRITES; i++) {
    const name = `watched-${i}`;
    const arrived = new Promise((resolve) => waiting.set(name, resolve));
    const t0 = performance.now();
    const r = await request(base, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
    if (r.status !== 201) throw new Error(`watched write: ${r.status} ${r.body}`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve(undefined), 2000));
    const at = await Promise.race([arrived, timeout]);
    latencies.push(at === undefined ? Infinity : at - t0);
  }
  req.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1), missed: latencies.filter((l) => l === Infinity).length };
}

function line(label, value, target, ok) {
  console.log(`${label.padEnd(34)} ${value.padStart(14)}   target ${target.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`);
}

async function main() {
  const bin = process.env.KD_BIN ?? path.join(root, 'bin', 'kubectl-kd.cjs');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-bench-sim-'));
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const kubeconfig = path.join(dir, 'kubeconfig');
  const server = spawn(process.execPath, [bin, 'sim', '--kubeconfig-out', kubeconfig, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitUp(base, server, kubeconfig);
    const idle = memory(server.pid);
    console.log(`kd sim (${bin}) on ${base}, pid ${server.pid}; Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0].toFixed(1)} (other work on the machine shows in the p99)`);
    console.log(`idle RSS ${idle.rss.toFixed(0)} MB`);
    const loadSeconds = await load(base);
    console.log(`loaded ${OBJECTS} ConfigMaps in ${NAMESPACES} namespaces in ${loadSeconds.toFixed(1)} s (${(OBJECTS / loadSeconds).toFixed(0)} creates/s, 32 concurrent)`);
    const afterLoad = memory(server.pid);
    const get = await runClient(base);
    const afterGets = memory(server.pid);
    const watch = await watchLatency(base);
    const peak = memory(server.pid).hwm;
    console.log('');
    line(`RSS with ${OBJECTS} objects`, `${afterLoad.rss.toFixed(0)} MB`, '≤ 300 MB', afterLoad.rss <= 300);
    line('RSS peak (VmHWM), whole run', `${peak.toFixed(0)} MB`, '≤ 300 MB', peak <= 300);
    line(`GET p50 (${LOOPS} loops, ${get.seconds} s)`, `${get.p50.toFixed(2)} ms`, '', true);
    line('GET p99', `${get.p99.toFixed(2)} ms`, '≤ 5 ms', get.p99 <= 5);
    const rate = get.count / get.seconds;
    line('GET throughput', `${rate.toFixed(0)} /s`, '≥ 3000 /s', rate >= 3000);
    line('GET errors', `${get.errors}`, '0', get.errors === 0);
    line(`watch event after write, p50 (${WATCH_WRITES})`, `${watch.p50.toFixed(2)} ms`, '', true);
    line('watch event after write, p99', `${watch.p99.toFixed(2)} ms`, '≤ 100 ms', watch.p99 <= 100 && watch.missed === 0);
    console.log(`(RSS after the GET loop ${afterGets.rss.toFixed(0)} MB; slowest GET ${get.max.toFixed(2)} ms; slowest watch event ${watch.max.toFixed(2)} ms)`);
    console.log('peer: none — no other API server can run here (no container engine, no kube-apiserver binary); kubectl per request is a process start plus discovery, not comparable with keep-alive GETs');
  } finally {
    server.kill('SIGTERM');
    agent?.destroy();
  }
}

if (process.argv[2] === '--client') {
  useCredentials(Buffer.from(process.argv[6], 'base64').toString('utf8'), process.argv[5]);
  await client(process.argv[3], Number(process.argv[4]));
}
else
  await main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
