/**
 * What one run of a built kd program loads (issue 17): the files of kd's bundle (and any other
 * JavaScript file) and Node's built-in modules. bench/startup.mjs prints it per command, and the
 * tests that pin what a command must not load (test/cli/lazy-load.test.ts,
 * test/lsp/lazy-start.test.ts) assert on it.
 *
 * The run gets a preload (`--import`) that registers an in-thread module hook, which sees every
 * file that `import` or `require()` loads, and writes the list and `process.moduleLoadList`'s
 * built-ins when the process exits. Files compiled without Node's module loader (kd's command
 * files, run with vm.Script from a code cache by plugin/bundle-loader.ts) come from the coverage
 * below, which lists every script V8 compiled. Built-ins that Node itself loads to run an empty module with
 * the same preload are left out, so the list says what the program added.
 *
 * A bundle file holds code that a run loads without evaluating it: a module that the file's code
 * imports dynamically (or require()s) is wrapped by esbuild in a function named after the module's
 * source path (`"src/sim/server.ts"() {...}`), called when it is first imported. The run also
 * records V8's precise coverage (NODE_V8_COVERAGE), which counts the calls of every such function,
 * so `evaluatedSources` can say which modules of a loaded file were evaluated: the file's modules
 * (from the build's dist/meta.json) less the wrapped ones whose wrapper was never called.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PRELOAD = `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const files = new Set();
registerHooks({
  load(url, context, next) {
    if (url.startsWith('file:')) files.add(url);
    return next(url, context);
  },
});
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  writeFileSync(process.env.KD_LOADED_MODULES_OUT, JSON.stringify({ files: [...files], builtins }));
});
`;

/** Built-ins Node loads for an empty module under the preload, per Node binary. */
const baselines = new Map();

function probeSetup(node, args, options, dir) {
  const preload = path.join(dir, 'preload.mjs');
  writeFileSync(preload, PRELOAD);
  const out = path.join(dir, 'loaded.json');
  const coverage = path.join(dir, 'coverage');
  rmSync(out, { force: true });
  rmSync(coverage, { recursive: true, force: true });
  const spawnArgs = ['--import', pathToFileURL(preload).href, ...args];
  const spawnOptions = { cwd: options.cwd, env: { ...(options.env ?? process.env), KD_LOADED_MODULES_OUT: out, NODE_V8_COVERAGE: coverage } };
  const read = () => {
    let loaded;
    try {
      loaded = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      // The process did not reach its exit handler (killed, or the preload failed): nothing listed.
      return { files: [], builtins: [], wrapped: new Map() };
    }
    const wrapped = wrappedModules(coverage);
    // The preload is the probe's, not the program's.
    for (const url of wrapped.compiledAt.keys()) if (url.startsWith(pathToFileURL(dir).href + '/')) wrapped.compiledAt.delete(url);
    return { ...loaded, wrapped };
  };
  return { spawnArgs, spawnOptions, read };
}

function probe(node, args, options, dir) {
  const { spawnArgs, spawnOptions, read } = probeSetup(node, args, options, dir);
  const r = spawnSync(node, spawnArgs, { ...spawnOptions, encoding: 'utf8', input: options.input ?? '', timeout: options.timeout ?? 60_000 });
  return { r, loaded: read() };
}

function baseline(node, dir) {
  let set = baselines.get(node);
  if (!set) {
    const empty = path.join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    set = new Set(probe(node, [empty], {}, dir).loaded.builtins);
    baselines.set(node, set);
  }
  return set;
}

/**
 * From a run's V8 coverage: per JavaScript file, each function named like a module path (esbuild's
 * wrapper of a module evaluated on first import: `src/sim/server.ts`, `node_modules/ws/wrapper.mjs`,
 * `kd-require-builtin:node:http`) and whether it was called.
 */
function wrappedModules(dir) {
  const byFile = new Map();
  const compiledAt = new Map();
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    byFile.compiledAt = compiledAt;
    return byFile;
  }
  for (const [index, name] of names.sort().entries()) {
    let report;
    try {
      report = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    for (const script of report.result ?? []) {
      if (!script.url.startsWith('file:')) continue;
      // When V8 compiled it, in the run: orders the files loaded around the module hook.
      if (!compiledAt.has(script.url)) compiledAt.set(script.url, index * 1e9 + Number(script.scriptId));
      const wrapped = byFile.get(script.url) ?? new Map();
      for (const fn of script.functions) {
        if (!/^(?:[\w@.-]+\/|<define:|[\w-]+:)/.test(fn.functionName) || /\s/.test(fn.functionName)) continue;
        const called = fn.ranges[0].count > 0;
        wrapped.set(fn.functionName, (wrapped.get(fn.functionName) ?? false) || called);
      }
      byFile.set(script.url, wrapped);
    }
  }
  byFile.compiledAt = compiledAt;
  return byFile;
}

/**
 * Every file the run loaded, in the order it loaded them: those the module hook saw, and those
 * that V8 compiled without Node's module loader (kd's command files, which plugin/bundle-loader.ts
 * compiles with vm.Script: the coverage lists them), placed by when V8 compiled them.
 */
function allFiles(hooked, compiledAt) {
  let at = -1;
  const seen = new Set(hooked);
  const files = hooked.map((url, i) => {
    at = compiledAt.get(url) ?? at;
    return { url, at, i };
  });
  for (const [url, id] of compiledAt) if (!seen.has(url)) files.push({ url, at: id, i: Infinity });
  return files.sort((a, b) => a.at - b.at || a.i - b.i).map((f) => f.url);
}

function result(r, loaded, base) {
  const files = allFiles(loaded.files, loaded.wrapped.compiledAt ?? new Map()).map((url) => {
    const file = fileURLToPath(url);
    let bytes = 0;
    try {
      bytes = statSync(file).size;
    } catch {
      // Gone since (a rebuilt dist/): listed with no size.
    }
    // Module path → whether the run evaluated it, for the modules this file evaluates on first
    // import; undefined when the coverage does not cover the file.
    const wrapped = loaded.wrapped.get(url);
    return { file, bytes, wrapped: wrapped && Object.fromEntries(wrapped) };
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files, builtins: loaded.builtins.filter((b) => !base.has(b)) };
}

/**
 * Runs `node args...` and says what it loaded.
 * @param {string[]} args the script and its arguments
 * @param {{ node?: string, env?: NodeJS.ProcessEnv, cwd?: string, input?: string, timeout?: number }} [options]
 */
export function loadedModules(args, options = {}) {
  const node = options.node ?? process.execPath;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-loaded-'));
  try {
    const base = baseline(node, dir);
    const { r, loaded } = probe(node, args, options, dir);
    return result(r, loaded, base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same without blocking this process, for a cluster (an in-process kd sim) that must keep
 * answering while the program runs. Standard input is closed.
 */
export async function loadedModulesAsync(args, options = {}) {
  const node = options.node ?? process.execPath;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-loaded-'));
  try {
    const base = baseline(node, dir);
    const { spawnArgs, spawnOptions, read } = probeSetup(node, args, options, dir);
    const r = await new Promise((resolve, reject) => {
      const child = spawn(node, spawnArgs, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 60_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
    return result(r, read(), base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For each bundle file under `dist`, what it holds: bytes per origin (a package, or a folder of
 * kd such as src/drift), from the build's metafile (dist/meta.json, written by scripts/build.mjs).
 * Returns a function from a file's absolute path to its origins, largest first (empty when the
 * file is not in the metafile).
 */
export function bundleContents(root) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(path.join(root, 'dist', 'meta.json'), 'utf8'));
  } catch {
    return () => [];
  }
  const byFile = new Map();
  for (const [out, info] of Object.entries(meta.outputs)) {
    if (!out.endsWith('.js') && !out.endsWith('.cjs')) continue;
    const origins = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      if (!bytesInOutput) continue;
      const k = originOf(input);
      origins.set(k, (origins.get(k) ?? 0) + bytesInOutput);
    }
    // The metafile names outputs as the build wrote them (into a temporary folder, then renamed).
    const rel = out.replace(/^[^/]*\//, '');
    byFile.set(path.join(root, 'dist', rel), [...origins.entries()].sort((a, b) => b[1] - a[1]));
  }
  return (file) => byFile.get(file) ?? [];
}

/**
 * For each bundle file under `dist`, the source files it holds code of (metafile inputs with
 * bytes in it: `src/apply/runner.ts`, `node_modules/yaml/dist/index.js`).
 */
export function bundleInputs(root) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(path.join(root, 'dist', 'meta.json'), 'utf8'));
  } catch {
    throw new Error(`${path.join(root, 'dist', 'meta.json')} is missing: run \`npm run build\` first`);
  }
  const byFile = new Map();
  for (const [out, info] of Object.entries(meta.outputs)) {
    const inputs = Object.entries(info.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
    byFile.set(path.join(root, 'dist', out.replace(/^[^/]*\//, '')), inputs);
  }
  return (file) => byFile.get(file) ?? [];
}

/**
 * The source files (metafile inputs) whose code a run evaluated, from the bundle files it loaded:
 * each file's inputs, less those the file wraps to evaluate on first import (see above) and the
 * run never imported. Throws for a loaded bundle file with no coverage (nothing to prove it by).
 * @param {string} root the package folder (dist/meta.json)
 * @returns {(run: LoadedModules) => string[]}
 */
export function evaluatedSources(root) {
  const holds = bundleInputs(root);
  const dist = path.join(root, 'dist') + path.sep;
  return (run) => {
    const sources = new Set();
    for (const f of run.files) {
      if (!f.file.startsWith(dist)) continue;
      const inputs = holds(f.file);
      if (inputs.length === 0) continue;
      if (f.wrapped === undefined) throw new Error(`no coverage for ${f.file}: cannot tell which of its modules ran`);
      for (const input of inputs) if (f.wrapped[input] !== false) sources.add(input);
    }
    return [...sources];
  };
}

/** A package's name, or a folder of kd (src/drift, plugin/commands), for a metafile input. */
export function originOf(input) {
  const parts = input.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) return parts[nm + 1].startsWith('@') ? `${parts[nm + 1]}/${parts[nm + 2]}` : parts[nm + 1];
  if (parts.length > 2) return parts.slice(0, 2).join('/');
  return parts.join('/');
}
