/**
 * `kubectl kd apply --watch` benchmark: 500 objects watched (250 ConfigMaps and 250 Services in
 * 50 files) against a `kubectl kd sim` process, the watch printing plain lines (--no-tui).
 *
 * Measured: time from a file save to the executor applying the changed object (its `apply ...
 * configured` line: the request has been answered), and to the end of that apply, healthy
 * (`done succeeded`), p50/p95 over the saves; CPU used by the watch while idle (from
 * /proc/<pid>/stat over 5 s); peak RSS (VmHWM). Targets: save → apply p50 ≤ 150 ms, idle CPU
 * close to zero, RSS ≤ 250 MB.
 *
 * Usage: npm run build && node bench/watch.mjs [--saves 20]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(root, 'bin', 'kubectl-kd.cjs');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SAVES = opt('saves', 20);
const FILES = 50;
const PER_FILE = 5; // ConfigMap + Service pairs per file: 10 objects

const dir = mkdtempSync(path.join(tmpdir(), 'kd-bench-watch-'));
const app = path.join(dir, 'app');
mkdirSync(app);
const fileText = (f, version) => {
  const docs = [];
  for (let i = 0; i < PER_FILE; i++) {
    const name = `app-${f}-${i}`;
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: bench\ndata:\n  version: "${i === 0 ? version : 0}"\n`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: bench\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`);
  }
  return docs.join('---\n');
};
writeFileSync(path.join(app, '00-namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n  annotations:\n    kd.io/sync-wave: "-1"\n');
for (let f = 0; f < FILES; f++) writeFileSync(path.join(app, `f-${String(f).padStart(2, '0')}.yaml`), fileText(f, 0));

const kubeconfig = path.join(dir, 'kubeconfig');
const sim = spawn(process.execPath, [bin, 'sim', '--kubeconfig-out', kubeconfig, '--speed', '20'], { stdio: 'ignore' });
const cleanup = () => {
  watch?.kill('SIGTERM');
  sim.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
let watch;
try {
  const until = Date.now() + 15_000;
  while (!existsSync(kubeconfig) && Date.now() < until) await sleep(50);
  watch = spawn(process.execPath, [bin, 'apply', '--watch', '--no-tui', app, '--kubeconfig', kubeconfig, '--release', 'bench'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const waiters = [];
  watch.stdout.on('data', (chunk) => {
    out += chunk;
    for (const w of [...waiters]) if (w.re.test(out.slice(w.from))) (waiters.splice(waiters.indexOf(w), 1), w.resolve(performance.now()));
  });
  const waitFor = (re, from = out.length) => new Promise((resolve, reject) => {
    waiters.push({ re, from, resolve });
    setTimeout(() => reject(new Error(`timed out waiting for ${re}\n${out.slice(-2000)}`)), 120_000);
  });
  const t0 = performance.now();
  await waitFor(/done +succeeded/, 0);
  console.log(`first apply of ${FILES * PER_FILE * 2 + 1} objects: ${Math.round(performance.now() - t0)} ms`);

  const toApply = [];
  const toHealthy = [];
  for (let s = 1; s <= SAVES; s++) {
    const f = s % FILES;
    const from = out.length;
    const applied = waitFor(new RegExp(`ConfigMap bench/app-${f}-0 configured`), from);
    const done = waitFor(/done +succeeded/, from);
    const saved = performance.now();
    writeFileSync(path.join(app, `f-${String(f).padStart(2, '0')}.yaml`), fileText(f, s));
    toApply.push((await applied) - saved);
    toHealthy.push((await done) - saved);
    await sleep(200);
  }

  const cpu = () => {
    const fields = readFileSync(`/proc/${watch.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  };
  const before = cpu();
  await sleep(5000);
  const idleCpuMs = cpu() - before;
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${watch.pid}/status`, 'utf8'))[1]) / 1024;

  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const row = (name, xs, target) => console.log(`${name.padEnd(28)} p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms  p95 ${pct(xs, 95).toFixed(0).padStart(5)} ms${target ? `  (target p50 ≤ ${target} ms)` : ''}`);
  console.log(`${SAVES} saves, ${FILES * PER_FILE * 2 + 1} objects watched`);
  row('save → apply request', toApply, 150);
  row('save → healthy (done)', toHealthy);
  console.log(`${'idle CPU over 5 s'.padEnd(28)} ${idleCpuMs} ms (${((idleCpuMs / 5000) * 100).toFixed(1)}%)`);
  console.log(`${'peak RSS (VmHWM)'.padEnd(28)} ${hwm.toFixed(0)} MB (target ≤ 250 MB)`);
} finally {
  cleanup();
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
