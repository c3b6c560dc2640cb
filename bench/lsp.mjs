/**
 * kd-lsp benchmark, against yaml-language-server in the same run when it is installed.
 *
 * Workload: one generated manifest file of 2,000 documents (~40k lines: Deployments, Services,
 * ConfigMaps with kd annotations), opened in each server over stdio with a local schema (kd:
 * its schema directory; yaml-language-server: a JSON Schema generated from the same OpenAPI
 * documents, a `oneOf` over every kind, the shape of the usual Kubernetes all-in-one schema).
 *
 * Measured per server: open → first diagnostics; one-character edit → diagnostics for that
 * version (p50/p95 over the edits); completion under `metadata.annotations` when idle and right
 * after an edit (p50/p95); peak RSS of the server process (VmHWM). Targets for kd-lsp: edit →
 * diagnostics p95 ≤ 100 ms, open ≤ 500 ms, completion p95 ≤ 20 ms, RSS ≤ 200 MB.
 *
 * Usage: npm run build && node bench/lsp.mjs [--docs 2000] [--edits 30] [--completions 50]
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

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DOCS = opt('docs', 2000);
const EDITS = opt('edits', 30);
const COMPLETIONS = opt('completions', 50);
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

/** The OpenAPI documents as one draft-07 JSON Schema: definitions plus a oneOf over the kinds. */
function jsonSchemaFrom(dir) {
  const definitions = {};
  const kinds = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.json')) {
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
  const text = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', definitions, oneOf: [...new Set(kinds)].map((k) => ({ $ref: `#/definitions/${k}` })) });
  return text.replaceAll('#/components/schemas/', '#/definitions/');
}

// 2. A client over stdio --------------------------------------------------------------------------

function peakRssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function startServer(command, argv, { rootUri, initializationOptions, configuration }) {
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'ignore'] });
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
  let version = 1;
  for (let e = 0; e < EDITS; e++) {
    const line = valueLines[Math.floor((e * valueLines.length) / EDITS)];
    version++;
    const t = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 13 }, end: { line, character: 14 } }, text: e % 2 === 0 ? 'I' : 'i' }],
    });
    const got = await diagnosticsFor(version, t);
    editTimes.push(got.at - t);
  }
  await new Promise((r) => setTimeout(r, 300));

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
  return { open, editP50: pct(editTimes, 50), editP95: pct(editTimes, 95), complP50: pct(idle, 50), complP95: pct(idle, 95), afterEditP50: pct(afterEdit, 50), afterEditP95: pct(afterEdit, 95), rss };
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
  console.log(`  peak RSS                        ${r.rss.toFixed(0)} MiB${name === 'kd-lsp' ? `  (target ≤ 200 MB: ${ok(r.rss * 1.048576, 200)})` : ''}`);
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
  const kd = await startServer(process.execPath, [...nodeArgs, dist, '--stdio'], {
    rootUri,
    initializationOptions: { schemaDir: SCHEMA_DIR },
    configuration: () => ({ schemaDir: SCHEMA_DIR }),
  });
  const kdResult = await measure('kd-lsp', kd, file, text);
  await stop(kd);
  report('kd-lsp', kdResult);

  if (!existsSync(YLS)) {
    console.log('\nyaml-language-server: peer not installed: run `npm install --no-save --prefix /tmp/yls yaml-language-server` (or set KD_BENCH_YLS)');
  } else {
    const schemaFile = path.join(work, 'kubernetes.schema.json');
    writeFileSync(schemaFile, jsonSchemaFrom(SCHEMA_DIR));
    const yamlSettings = {
      validate: true,
      completion: true,
      hover: true,
      schemaStore: { enable: false },
      schemas: { [pathToFileURL(schemaFile).href]: '*.yaml' },
      maxItemsComputed: 5000,
    };
    const yls = await startServer(process.execPath, [YLS, '--stdio'], {
      rootUri,
      initializationOptions: {},
      configuration: (section) => (section === 'yaml' ? yamlSettings : section === 'http' ? { proxyStrictSSL: false } : null),
    });
    yls.conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    await new Promise((r) => setTimeout(r, 500));
    const ylsResult = await measure('yaml-language-server', yls, file, text);
    await stop(yls);
    console.log('');
    report('yaml-language-server (peer, same workload, local schema)', ylsResult);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Nothing of the bench is left to wait for; a handle a peer leaked must not keep it running.
process.exit(process.exitCode ?? 0);
