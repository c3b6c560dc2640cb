/**
 * Where a `kubectl kd drift` run spends its wall time, and what its network phase costs:
 * preloaded into the built kd (`node --import ./bench/drift-phases.mjs dist/kubectl-kd.cjs drift ...`,
 * on Node 22), it prints to stderr at exit drift's phases, which it publishes on the
 * `kd:drift:phase` diagnostics channel (ms since the process started: session open, files read
 * and validated, live objects read, compared), each request
 * to the API server (start, answer, method, status, path), and the totals: requests, TLS
 * connections, TLS secure contexts built, bytes received and sent. Each phase also says how long,
 * since the one before, the event loop sat idle (waiting for the server: what overlapping could
 * still win) and the process's CPU time (all threads): a phase whose idle is ~0 is CPU-bound.
 * A measuring aid, not a test.
 */
import dc from 'node:diagnostics_channel';
import tls from 'node:tls';

const requests = [];
const phases = [];
let loop = performance.eventLoopUtilization();
let cpu = process.cpuUsage();
dc.subscribe('kd:drift:phase', ({ name }) => {
  const now = performance.eventLoopUtilization();
  const idle = performance.eventLoopUtilization(now, loop).idle;
  const used = process.cpuUsage(cpu);
  phases.push({ name, at: performance.now(), idle, cpu: (used.user + used.system) / 1000 });
  loop = now;
  cpu = process.cpuUsage();
});
const sockets = new Set();
let connections = 0;
let contexts = 0;
let received = 0;
let sent = 0;

dc.subscribe('http.client.request.start', ({ request }) => {
  const r = { method: request.method, path: request.path, start: performance.now() };
  requests.push(r);
  request.on('response', (response) => {
    r.status = response.statusCode;
    response.on('end', () => (r.end = performance.now()));
  });
});

const createSecureContext = tls.createSecureContext;
tls.createSecureContext = function (...args) {
  contexts++;
  return createSecureContext.apply(this, args);
};
const connect = tls.connect;
tls.connect = function (...args) {
  const socket = connect.apply(this, args);
  connections++;
  sockets.add(socket);
  socket.on('close', () => {
    sockets.delete(socket);
    received += socket.bytesRead;
    sent += socket.bytesWritten;
  });
  return socket;
};

process.on('exit', () => {
  for (const s of sockets) (received += s.bytesRead), (sent += s.bytesWritten);
  const ms = (t) => (t === undefined ? '-' : t.toFixed(1)).padStart(7);
  const lines = phases.map((p) => `${ms(p.at)}         phase ${p.name} (since the last: loop idle ${p.idle.toFixed(1)} ms, CPU ${p.cpu.toFixed(1)} ms)`);
  for (const r of requests) lines.push(`${ms(r.start)} ${ms(r.end)} ${r.method} ${r.status ?? '-'} ${r.path.length > 100 ? `${r.path.slice(0, 100)}…` : r.path}`);
  lines.sort((a, b) => parseFloat(a) - parseFloat(b));
  lines.push(`${ms(performance.now())}         exit`);
  lines.push(`requests ${requests.length}, TLS connections ${connections}, secure contexts ${contexts}, bytes received ${received}, sent ${sent}`);
  process.stderr.write(`${lines.join('\n')}\n`);
});
