/**
 * Where kd's start-up time goes (issue 17, item 1). Times `kubectl kd validate` of one small file
 * and `kubectl kd drift` of a one-object release against a running `kubectl kd sim` (medians of
 * BENCH_RUNS, with Node's compile cache warm, as a user's second run has it), then runs each once
 * under `--cpu-prof` and prints the profile's time by where the code comes from: Node's module
 * loader and compiler, each dependency package, each core folder (found through the bundles'
 * source maps), garbage collection. Needs `npm run build` first (source maps are built locally;
 * the package does not ship them).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleContents, bundleInputs, loadedModules } from '../scripts/loaded-modules.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const kd = path.join(root, 'bin', 'kubectl-kd.cjs');
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 7);
if (!existsSync(path.join(root, 'dist', 'kubectl-kd.cjs'))) {
  console.error('bench/startup: run `npm run build` first');
  process.exit(2);
}
const work = mkdtempSync(path.join(os.tmpdir(), 'kd-bench-startup-'));
const env = { ...process.env, HOME: work, XDG_CACHE_HOME: path.join(work, '.cache'), NODE_COMPILE_CACHE: path.join(work, 'compile-cache'), NO_COLOR: '1', KUBECONFIG: '' };

// --- source maps: generated position → original source file ---------------------------------
const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
const maps = new Map();
/** For a bundle file: per generated line, sorted [column, sourceIndex] pairs, and the sources. */
function sourceMap(file) {
  if (maps.has(file)) return maps.get(file);
  let m = null;
  try {
    const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    const lines = [];
    let src = 0;
    for (const line of raw.mappings.split(';')) {
      const segs = [];
      let col = 0;
      for (const seg of line.split(',')) {
        if (!seg) continue;
        const vals = [];
        let v = 0, shift = 0;
        for (const ch of seg) {
          const d = B64[ch];
          v += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            vals.push(v & 1 ? -(v >>> 1) : v >>> 1);
            v = 0;
            shift = 0;
          }
        }
        col += vals[0];
        if (vals.length > 1) {
          src += vals[1];
          segs.push([col, src]);
        }
      }
      lines.push(segs);
    }
    m = { lines, sources: raw.sources.map((s) => path.resolve(path.dirname(file), s)) };
  } catch {
    m = null;
  }
  maps.set(file, m);
  return m;
}

/** A short name for where a source file comes from: a package, or a folder of kd. */
function origin(source) {
  const rel = path.relative(root, source).split(path.sep);
  const nm = rel.lastIndexOf('node_modules');
  if (nm >= 0) return rel[nm + 1].startsWith('@') ? `${rel[nm + 1]}/${rel[nm + 2]}` : rel[nm + 1];
  return rel.slice(0, 2).join('/');
}

function classify(frame) {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 (parse, compile, runtime)';
  if (functionName === '(idle)') return 'idle (waiting for I/O)';
  if (!url) return 'V8 (parse, compile, runtime)';
  if (url.startsWith('node:')) return /modules|vm|loader/.test(url) ? 'Node module loader' : 'Node built-ins';
  if (url.startsWith('file://')) {
    const file = fileURLToPath(url);
    const m = sourceMap(file);
    if (m) {
      const segs = m.lines[lineNumber] ?? [];
      let hit;
      for (const s of segs) if (s[0] <= columnNumber) hit = s;
      if (hit) return origin(m.sources[hit[1]]);
      return 'kd bundles: module top level (no source position)';
    }
    return origin(file);
  }
  return 'other';
}

function profileBreakdown(dir) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    const k = classify(n.callFrame);
    self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const total = (p.endTime - p.startTime) / 1000;
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args) {
  const walls = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    const r = spawnSync(node, [kd, ...args], { env, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`kd ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) walls.push((performance.now() - t) / 1000); // the first run fills the compile cache
  }
  return median(walls);
}

const contentsOf = bundleContents(root);
const inputsOf = bundleInputs(root);
/** `modules N (M evaluated)`: of a loaded bundle file, the modules it holds and how many the run evaluated (the rest are evaluated on first import, which the run never made). */
function evaluatedOf(f) {
  const inputs = inputsOf(f.file);
  if (inputs.length === 0 || f.wrapped === undefined) return '';
  return `${inputs.length} modules (${inputs.filter((i) => f.wrapped[i] !== false).length} evaluated): `;
}
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

/** Runs kd once under scripts/loaded-modules.mjs and prints what it loaded; returns the run. */
function listLoaded(label, args) {
  const run = loadedModules([kd, ...args], { env });
  const files = run.files.filter((f) => f.file.startsWith(root + path.sep)).sort((a, b) => b.bytes - a.bytes);
  const total = files.reduce((n, f) => n + f.bytes, 0);
  console.log(`\n${label} loads ${files.length} files of kd (${kb(total)}) and these Node built-ins beyond an empty module's:`);
  console.log(`  ${run.builtins.filter((b) => !b.startsWith('internal/')).join(' ')}`);
  for (const f of files) {
    const holds = contentsOf(f.file).slice(0, 4).map(([origin, bytes]) => `${origin} ${kb(bytes)}`).join(', ');
    console.log(`  ${kb(f.bytes).padStart(7)}  ${path.relative(root, f.file).padEnd(36)} ${evaluatedOf(f)}${holds}`);
  }
  return run;
}

function report(label, args) {
  const wall = time(args);
  const dir = path.join(work, `prof-${label.replace(/\W+/g, '-')}`);
  mkdirSync(dir);
  spawnSync(node, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', kd, ...args], { env, encoding: 'utf8' });
  const { total, rows } = profileBreakdown(dir);
  console.log(`\n${label}: median ${(wall * 1000).toFixed(0)} ms wall (${runs} runs); one profiled run ${total.toFixed(0)} ms in the process:`);
  for (const [k, ms] of rows.slice(0, 14)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${((100 * ms) / total).toFixed(0).padStart(3)}%  ${k}`);
  return wall;
}

writeFileSync(
  path.join(work, 'web.yaml'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  greeting: hello\n',
);
console.log(`node ${process.version}; compile cache in ${env.NODE_COMPILE_CACHE}`);
const baseline = (() => {
  const walls = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(node, ['-e', '0']);
    walls.push((performance.now() - t) / 1000);
  }
  return median(walls);
})();
console.log(`node -e 0 (the floor): ${(baseline * 1000).toFixed(0)} ms`);
report('validate one small file', ['validate', path.join(work, 'web.yaml')]);
listLoaded('validate one small file', ['validate', path.join(work, 'web.yaml')]);

const kubeconfig = path.join(work, 'sim.kubeconfig');
const sim = spawn(node, [kd, 'sim', '--kubeconfig-out', kubeconfig], { env, stdio: 'ignore' });
try {
  const until = Date.now() + 30_000;
  while (!existsSync(kubeconfig) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const applied = listLoaded('apply of a one-object release', ['apply', '--kubeconfig', kubeconfig, '-n', 'default', path.join(work, 'web.yaml')]);
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stdout}${applied.stderr}`);
  const drift = ['drift', '--kubeconfig', kubeconfig, '-n', 'default', path.join(work, 'web.yaml')];
  report('drift of a one-object release (cluster command)', drift);
  listLoaded('drift of a one-object release', drift);
} finally {
  sim.kill('SIGTERM');
  await new Promise((r) => sim.on('exit', r));
  rmSync(work, { recursive: true, force: true });
}
