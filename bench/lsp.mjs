/**
 * kd-lsp benchmark, against yaml-language-server in the same run when it is installed.
 *
 * Workload: one generated manifest file of 2,000 documents (~40k lines: Deployments, Services,
 * ConfigMaps with kd annotations), opened in each server over stdio, offline. kd-lsp: its schema
 * directory. yaml-language-server: its users' real set-up, `yaml.schemas: {kubernetes: "*.yaml"}`
 * with `yaml.kubernetesVersion`, which routes each document to the schema of its kind. That set-up
 * fetches `<version>-standalone-strict/all.json` and `_definitions.json` from a fixed https URL;
 * the bench generates both from the same OpenAPI documents kd uses and serves them itself, as an
 * editor does when it registers for `vscode/content` requests (VS Code fetches schemas for the
 * server that way), so nothing leaves the machine and both servers check against the same types.
 *
 * Measured per server: open → first diagnostics; one-character edit → diagnostics for that
 * version (p50/p95 over the edits); documentSymbol (the outline editors ask for after every
 * edit) sent right after each edit and when idle; completion under `metadata.annotations` when
 * idle and right after an edit; hover on `kind:`; peak RSS of the server process (VmHWM); and
 * one line per request type with its p95. Targets for kd-lsp: documentSymbol p95 ≤ 50 ms, no
 * request's p95 above 100 ms, edit → diagnostics p95 ≤ 100 ms, open ≤ 500 ms, completion p95
 * ≤ 20 ms, RSS ≤ 200 MB.
 *
 * Usage: npm run build && node bench/lsp.mjs [--docs 2000] [--edits 30] [--completions 50] [--symbols 30]
 * Peer: npm install --no-save --prefix /tmp/yls yaml-language-server (or set KD_BENCH_YLS to its
 * bin/yaml-language-server).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { recordGoal } from './goals.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DOCS = opt('docs', 2000);
const EDITS = opt('edits', 30);
const COMPLETIONS = opt('completions', 50);
const SYMBOLS = opt('symbols', 30);
// The built-in bundle (what kd-lsp uses out of the box) unless KD_SCHEMA_DIR names another folder.
const SCHEMA_DIR = process.env.KD_SCHEMA_DIR || path.join(root, 'schemas', 'kubernetes');
const YLS = process.env.KD_BENCH_YLS || '/tmp/yls/node_modules/yaml-language-server/bin/yaml-language-server';

// 1. Workload ------------------------------------------------------------------------------------

function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 10}
  labels:
    app: app-${i}
  annotations:
    kd.io/sync-wave: "${i % 5}"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
        - name: app
          image: registry.invalid/app:${i}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
`;
}
function service(i) {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 10}
  labels:
    app: app-${i}
  annotations:
    kd.io/sync-wave: "${i % 5}"
spec:
  selector:
    app: app-${i}
  ports:
    - port: 80
      targetPort: 8080
`;
}
function configMap(i) {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${i}
  namespace: team-${i % 10}
  labels:
    app: app-${i}
  annotations:
    kd.io/sync-wave: "-1"
data:
  LOG_LEVEL: info
  FEATURE_${i}: "on"
  REGION: eu-west-1
`;
}
function workload(n) {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push(i % 3 === 0 ? deployment(i) : i % 3 === 1 ? service(i) : configMap(i));
  return docs.join('---\n');
}

/**
 * The OpenAPI documents in the layout yaml-language-server's `kubernetes` schema points at (the
 * "standalone-strict" JSON Schemas): `_definitions.json` holds every type (objects closed with
 * `additionalProperties: false`, as the strict flavour and kd's strict mode are), and `all.json`
 * is a `oneOf` over the kinds whose entries name their definition, which is what its per-kind
 * routing reads.
 */
function kubernetesJsonSchemas(dir) {
  const definitions = {};
  const kinds = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json') && e !== 'bundle.json') {
        const doc = JSON.parse(readFileSync(p, 'utf8'));
        for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
          definitions[name] = schema;
          const gvks = schema['x-kubernetes-group-version-kind'];
          if (gvks?.length === 1 && schema.properties?.metadata && schema.properties?.kind) kinds.push(name);
        }
      }
    }
  };
  walk(dir);
  const close = (node) => {
    if (Array.isArray(node)) node.forEach(close);
    else if (node && typeof node === 'object') {
      if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) node.additionalProperties = false;
      Object.values(node).forEach(close);
    }
  };
  close(definitions);
  const defs = JSON.stringify({ definitions }).replaceAll('#/components/schemas/', '#/definitions/');
  const all = JSON.stringify({ oneOf: [...new Set(kinds)].map((k) => ({ $ref: `_definitions.json#/definitions/${k}` })) });
  return { '_definitions.json': defs, 'all.json': all };
}

/** `x.y.z` for its kubernetesVersion setting, from the bundle's `x.y` (it accepts only three parts). */
function ylsKubernetesVersion(dir) {
  try {
    const v = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8')).kubernetesVersion;
    if (typeof v === 'string' && /^\d+\.\d+$/.test(v)) return `${v}.0`;
  } catch {
    // A schema folder without the bundle's description: the version only names the URLs served here.
  }
  return '1.34.1';
}

// 2. A client over stdio --------------------------------------------------------------------------

/** CPU time (user + system) the process has used, in ms (Linux /proc, 10 ms ticks). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function peakRssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function startServer(command, argv, { rootUri, initializationOptions, configuration, content, env }) {
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = [];
  let waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.push({ ...p, at: performance.now() });
    for (const w of waiters) w();
  });
  conn.onRequest('workspace/configuration', (params) => params.items.map((item) => configuration(item.section)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  // Schemas the server asks the editor for (yaml-language-server once registered for them).
  conn.onRequest('vscode/content', (uri) => {
    const text = content?.(uri);
    if (text === undefined) throw new Error(`bench: no offline copy of ${uri}`);
    return text;
  });
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('telemetry/event', () => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    initializationOptions,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true }, completion: { completionItem: { snippetSupport: true } } },
    },
  });
  conn.sendNotification('initialized', {});
  const waitFor = (pred, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for diagnostics')), timeoutMs);
      const check = () => {
        const hit = published.find(pred);
        if (hit) {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve(hit);
        }
      };
      waiters.push(check);
      check();
    });
  return { child, conn, published, waitFor };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

async function measure(name, server, file, text) {
  const uri = pathToFileURL(file).href;
  const lines = text.split('\n');
  const { conn, waitFor, published, child } = server;
  // Versioned diagnostics when the server sends versions; else the next publication after sending.
  const diagnosticsFor = (version, after) => waitFor((p) => p.uri === uri && p.at > after && (p.version === undefined || p.version === version));

  const t0 = performance.now();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const first = await diagnosticsFor(1, t0);
  const open = first.at - t0;
  if (process.env.KD_BENCH_DEBUG) console.log(`  (${name}: ${first.diagnostics.length} diagnostics at open; first: ${JSON.stringify(first.diagnostics[0] ?? null)})`);
  await new Promise((r) => setTimeout(r, 300));

  // Edits: flip one character in a ConfigMap value, in documents spread over the file.
  const valueLines = lines.map((l, i) => (l.startsWith('  LOG_LEVEL: ') ? i : -1)).filter((i) => i >= 0);
  const editTimes = [];
  const symbolsAfterEdit = [];
  let symbolCount = 0;
  let version = 1;
  for (let e = 0; e < EDITS; e++) {
    const line = valueLines[Math.floor((e * valueLines.length) / EDITS)];
    version++;
    const t = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 13 }, end: { line, character: 14 } }, text: e % 2 === 0 ? 'I' : 'i' }],
    });
    // The outline request editors send after a change, racing that change's validation.
    const symbols = conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }).then((r) => {
      symbolsAfterEdit.push(performance.now() - t);
      symbolCount = r?.length ?? 0;
    });
    const got = await diagnosticsFor(version, t);
    editTimes.push(got.at - t);
    await symbols;
  }
  if (process.env.KD_BENCH_DEBUG) console.log(`  (${name}: edit → diagnostics ${editTimes.map((x) => x.toFixed(0)).join(' ')}; symbols after edit ${symbolsAfterEdit.map((x) => x.toFixed(0)).join(' ')})`);
  if (symbolCount !== DOCS) console.log(`  (${name}: ${symbolCount} document symbols for ${DOCS} documents)`);
  await new Promise((r) => setTimeout(r, 300));

  const symbolsIdle = [];
  // The server's CPU per outline: what the machine's load cannot inflate, beside the wall times.
  const cpuBefore = cpuMs(child.pid);
  for (let c = 0; c < SYMBOLS; c++) {
    const t = performance.now();
    await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    symbolsIdle.push(performance.now() - t);
  }
  const symbolCpu = (cpuMs(child.pid) - cpuBefore) / SYMBOLS;

  // Hover on `kind:` of documents spread over the file.
  const kindLines = lines.map((l, i) => (l.startsWith('kind: ') ? i : -1)).filter((i) => i >= 0);
  const hovers = [];
  for (let c = 0; c < COMPLETIONS; c++) {
    const line = kindLines[Math.floor((c * kindLines.length) / COMPLETIONS)];
    const t = performance.now();
    const r = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 7 } });
    hovers.push(performance.now() - t);
    if (c === 0 && !r) console.log(`  (${name}: no hover on kind:)`);
  }

  // Completion under metadata.annotations (after the kd.io/sync-wave line), idle and after an edit.
  const annotationLines = lines.map((l, i) => (l.startsWith('    kd.io/sync-wave:') ? i : -1)).filter((i) => i >= 0);
  const idle = [];
  for (let c = 0; c < COMPLETIONS; c++) {
    const line = annotationLines[Math.floor((c * annotationLines.length) / COMPLETIONS)];
    const t = performance.now();
    const r = await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 4 } });
    idle.push(performance.now() - t);
    const items = Array.isArray(r) ? r : (r?.items ?? []);
    if (c === 0 && items.length === 0) console.log(`  (${name}: no completion items at an annotation key)`);
  }
  const afterEdit = [];
  for (let c = 0; c < Math.min(10, COMPLETIONS); c++) {
    const line = valueLines[(c * 7) % valueLines.length];
    version++;
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 13 }, end: { line, character: 14 } }, text: c % 2 === 0 ? 'I' : 'i' }],
    });
    const aline = annotationLines[(c * 13) % annotationLines.length];
    const t = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: aline, character: 4 } });
    afterEdit.push(performance.now() - t);
  }
  const rss = peakRssMiB(child.pid);
  void published;
  const symbolsAll = [...symbolsAfterEdit, ...symbolsIdle];
  return {
    open,
    editP50: pct(editTimes, 50),
    editP95: pct(editTimes, 95),
    complP50: pct(idle, 50),
    complP95: pct(idle, 95),
    afterEditP50: pct(afterEdit, 50),
    afterEditP95: pct(afterEdit, 95),
    symP50: pct(symbolsAll, 50),
    symP95: pct(symbolsAll, 95),
    symAfterEditP95: pct(symbolsAfterEdit, 95),
    symIdleP95: pct(symbolsIdle, 95),
    symbolCpu,
    perRequest: {
      'textDocument/documentSymbol': pct(symbolsAll, 95),
      'textDocument/completion': pct([...idle, ...afterEdit], 95),
      'textDocument/hover': pct(hovers, 95),
      'edit → publishDiagnostics': pct(editTimes, 95),
    },
    perRequestP50: {
      'textDocument/documentSymbol': pct(symbolsAll, 50),
      'textDocument/completion': pct([...idle, ...afterEdit], 50),
      'textDocument/hover': pct(hovers, 50),
      'edit → publishDiagnostics': pct(editTimes, 50),
    },
    rss,
  };
}

async function stop(server) {
  try {
    await Promise.race([server.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    server.conn.sendNotification('exit');
  } catch {
    // already gone
  }
  // The bench must end once it has printed its figures: wait a moment for the server to leave on
  // its own, then end it, and drop the connection (its stream handles keep this process alive).
  const gone = server.child.exitCode !== null || server.child.signalCode !== null ? Promise.resolve() : new Promise((r) => server.child.once('exit', r));
  if ((await Promise.race([gone.then(() => 'gone'), new Promise((r) => setTimeout(() => r('running'), 3000))])) === 'running') {
    server.child.kill('SIGKILL');
    await gone;
  }
  server.conn.dispose();
}

function report(name, r) {
  const ok = (v, limit) => (v <= limit ? 'ok' : 'OVER');
  console.log(`${name}`);
  console.log(`  open → first diagnostics        ${ms(r.open)}${name === 'kd-lsp' ? `  (target ≤ 500 ms: ${ok(r.open, 500)})` : ''}`);
  console.log(`  edit → diagnostics p50 / p95    ${ms(r.editP50)} / ${ms(r.editP95)}${name === 'kd-lsp' ? `  (target p95 ≤ 100 ms: ${ok(r.editP95, 100)})` : ''}`);
  console.log(`  completion p50 / p95 (idle)     ${ms(r.complP50)} / ${ms(r.complP95)}${name === 'kd-lsp' ? `  (target p95 ≤ 20 ms: ${ok(r.complP95, 20)})` : ''}`);
  console.log(`  completion after an edit p50/p95 ${ms(r.afterEditP50)} / ${ms(r.afterEditP95)}`);
  console.log(`  documentSymbol p50 / p95         ${ms(r.symP50)} / ${ms(r.symP95)}${name === 'kd-lsp' ? `  (target p95 ≤ 50 ms: ${ok(r.symP95, 50)})` : ''}`);
  console.log(`    right after an edit p95 ${ms(r.symAfterEditP95)}, idle p95 ${ms(r.symIdleP95)}; server CPU per idle request ${ms(r.symbolCpu)}`);
  console.log(`  peak RSS                        ${r.rss.toFixed(0)} MiB${name === 'kd-lsp' ? `  (target ≤ 200 MB: ${ok(r.rss * 1.048576, 200)})` : ''}`);
}

/**
 * How long each piece of the server's work held its event loop: requests wait behind these, and
 * unlike latencies seen from the client they hardly grow with the machine's load.
 */
function reportTrace(file) {
  let trace;
  try {
    trace = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.log('  (no event-loop trace from the server)');
    return;
  }
  console.log('  event loop held, per piece of work   count   CPU ms p50 / p95 / max   (wall p95 / max)');
  for (const [label, t] of Object.entries(trace.labels))
    console.log(`    ${label.padEnd(34)}${String(t.count).padStart(5)}   ${t.cpu.p50.toFixed(2)} / ${t.cpu.p95.toFixed(2)} / ${t.cpu.max.toFixed(2)}   (${t.wall.p95.toFixed(2)} / ${t.wall.max.toFixed(2)})`);
  const d = trace.eventLoopDelay;
  console.log(`  event-loop delay (whole run, open included): max ${d.max.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms`);
}

// 3. Run -------------------------------------------------------------------------------------------

const dist = path.join(root, 'dist', 'kd-lsp.js');
if (!existsSync(dist)) {
  console.error('bench/lsp: dist/kd-lsp.js is missing; run `npm run build` first');
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'kd-lsp-bench-'));
try {
  const text = workload(DOCS);
  const file = path.join(work, 'manifests.yaml');
  writeFileSync(file, text);
  const rootUri = pathToFileURL(work).href;
  console.log(`workload: ${DOCS} documents, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB; schemas ${SCHEMA_DIR}`);
  console.log(`node ${process.version}, ${EDITS} edits, ${COMPLETIONS} completions\n`);

  // KD_BENCH_NODE_ARGS: extra Node flags for the kd-lsp process (e.g. `--cpu-prof`).
  const nodeArgs = (process.env.KD_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // What held the server's event loop (lsp/loop-stats.ts), written by the server as it exits.
  const traceFile = path.join(work, 'kd-lsp-trace.json');
  const kd = await startServer(process.execPath, [...nodeArgs, dist, '--stdio'], {
    rootUri,
    initializationOptions: { schemaDir: SCHEMA_DIR },
    configuration: () => ({ schemaDir: SCHEMA_DIR }),
    env: { KD_LSP_TRACE: traceFile },
  });
  const kdResult = await measure('kd-lsp', kd, file, text);
  await stop(kd);
  report('kd-lsp', kdResult);
  reportTrace(traceFile);

  let ylsResult;
  if (!existsSync(YLS)) {
    console.log('\nyaml-language-server: peer not installed: run `npm install --no-save --prefix /tmp/yls yaml-language-server` (or set KD_BENCH_YLS)');
  } else {
    const version = ylsKubernetesVersion(SCHEMA_DIR);
    const files = kubernetesJsonSchemas(SCHEMA_DIR);
    const served = [];
    // Kinds whose own schema it asked for: its per-kind routing at work.
    const routed = new Set();
    // The URLs its `kubernetes` schema resolves to: <base>/<version>-standalone-strict/{all,_definitions}.json.
    const content = (uri) => {
      const m = /-standalone-strict\/([^/#]+\.json)(?:#.*)?$/.exec(uri);
      const text = m ? files[m[1]] : undefined;
      if (text !== undefined) served.push(m[1]);
      const kind = /#\/definitions\/(.+)$/.exec(uri)?.[1];
      if (kind) routed.add(kind.split('.').pop());
      if (process.env.KD_BENCH_DEBUG) console.log(`  (yaml-language-server asked for ${uri})`);
      return text;
    };
    const yamlSettings = {
      validate: true,
      completion: true,
      hover: true,
      schemaStore: { enable: false },
      schemas: { kubernetes: '*.yaml' },
      kubernetesVersion: version,
      maxItemsComputed: 5000,
    };
    const yls = await startServer(process.execPath, [YLS, '--stdio'], {
      rootUri,
      initializationOptions: {},
      configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxyStrictSSL: false } : null),
      content,
    });
    // What an editor that fetches schemas for the server sends (VS Code's YAML extension does).
    yls.conn.sendNotification('yaml/registerContentRequest');
    yls.conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    await new Promise((r) => setTimeout(r, 500));
    ylsResult = await measure('yaml-language-server', yls, file, text);
    await stop(yls);
    console.log('');
    report(`yaml-language-server (peer: schemas {kubernetes: "*.yaml"}, kubernetesVersion ${version}, served offline: ${[...new Set(served)].join(', ') || 'nothing asked'}; routed per kind: ${[...routed].join(', ') || 'none'})`, ylsResult);
  }

  console.log('\np50 / p95 per request type   kd-lsp              yaml-language-server     p95 ratio (peer / kd)');
  const both = (r, type) => (r ? `${ms(r.perRequestP50[type])} / ${ms(r.perRequest[type])}` : 'n/a');
  for (const [type, kdP95] of Object.entries(kdResult.perRequest)) {
    const peer = ylsResult?.perRequest[type];
    const ratio = peer !== undefined && kdP95 > 0 ? `${(peer / kdP95).toFixed(peer < kdP95 ? 2 : 1)}×` : '';
    const goal = type === 'textDocument/documentSymbol' ? 50 : 100;
    console.log(`  ${type.padEnd(28)}${both(kdResult, type).padEnd(20)}${both(ylsResult, type).padEnd(25)}${ratio.padEnd(8)} goal p95 ≤ ${goal} ms: ${kdP95 <= goal ? 'ok' : 'short'}`);
  }
  const peerFigure = (x) => (x === undefined ? {} : { peer: x / 1000, peerLabel: 'yaml-language-server' });
  recordGoal({
    goal: `kd-lsp documentSymbol p95, ${DOCS} docs`,
    kd: kdResult.symP95 / 1000,
    ...peerFigure(ylsResult?.symP95),
    target: '<= 0.05 s',
    ok: kdResult.symP95 <= 50,
  });
  // Requests only: edit → diagnostics is a notification's effect, with its own target above.
  const slowest = (r) => Math.max(...Object.entries(r.perRequest).filter(([t]) => t.startsWith('textDocument/')).map(([, v]) => v));
  recordGoal({
    goal: `kd-lsp slowest request type p95, ${DOCS} docs`,
    kd: slowest(kdResult) / 1000,
    ...peerFigure(ylsResult && slowest(ylsResult)),
    target: '<= 0.1 s',
    ok: slowest(kdResult) <= 100,
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Nothing of the bench is left to wait for; a handle a peer leaked must not keep it running.
process.exit(process.exitCode ?? 0);
