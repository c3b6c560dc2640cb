/**
 * Build: bundles with esbuild, then generates the built-in Kubernetes schema bundle from the
 * pinned @kubernetes/client-node package.
 *
 * Start-up time is part of the product, and so is the size of the package: one build with code
 * splitting over both entries (dist/kubectl-kd.js, dist/kd-lsp.js). The entry holds only argument
 * parsing (kd's own, plugin/args/: no parser library); each command module is loaded at run time
 * as its own chunk (the dynamic imports of plugin/commands/index.ts), and what commands share is
 * in shared chunks, once. The core's barrel does not make every command reach everything, because
 * its modules are marked free of side effects (below), so esbuild keeps only the statements a
 * chunk uses: `validate` does not load the simulator. Source maps are written beside the bundles
 * for development and kept out of the published package (`files` in package.json).
 */
import { build } from 'esbuild';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import path from 'node:path';
import { barrelImports } from './barrel-imports.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

// Build into a fresh folder and swap it in at the end: old chunks (named by content hash) do not
// pile up, and a kd process or test running meanwhile never sees a half-written dist/.
const out = `dist.tmp-${process.pid}`;
rmSync(out, { recursive: true, force: true });


/**
 * The core's modules have no import-time side effects, so a command bundle keeps only the core
 * modules it uses, even though it imports them through the src/index.ts barrel.
 */
const pureCore = {
  name: 'kd-pure-core',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'kd-pure-core') return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'kd-pure-core' });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(path.join(root, 'src') + path.sep)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * `import http from 'node:http'` in an ES module makes Node build the module's ESM facade, which
 * reads every export, including the lazy getters (`WebSocket`, `MessageEvent`...) that load
 * Node's bundled undici: 0.1–0.2 s of every cluster command's start-up, for nothing kd uses.
 * kd imports only the default export of node:http and node:https, so hand it the CommonJS
 * module through require(), which builds no facade.
 */
const builtinsThroughRequire = {
  name: 'kd-builtins-through-require',
  setup(b) {
    b.onResolve({ filter: /^node:https?$/ }, (args) => ({ path: args.path, namespace: 'kd-require-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'kd-require-builtin' }, (args) => ({
      contents: `import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)(${JSON.stringify(args.path)});\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * string-width (Ink's, in the terminal UI) builds an Intl.Segmenter and Unicode-property regular
 * expressions when its module is evaluated: 40–150 ms of `apply --watch`'s start-up on a loaded
 * 2-core machine, though kd only measures them when it renders the terminal UI, and string-width
 * 8 skips them for printable ASCII anyway.
 * Build each on first use instead: the module-level constants become objects that create the real
 * segmenter or expression when first called, with the methods string-width calls on them.
 */
const LAZY_CONSTANT = /^const (\w+) = (new Intl\.Segmenter\(\)|\/.*\\p\{.*\/[a-z]*);$/gm;
const lazyStringWidth = {
  name: 'kd-lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/](?:.*[\\/])?string-width[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let lazy = 0;
      const contents = source.replace(LAZY_CONSTANT, (_, name, make) => {
        lazy++;
        return make.startsWith('new Intl')
          ? `let ${name}Made; const ${name} = { segment: (text) => (${name}Made ??= ${make}).segment(text) };`
          : `let ${name}Made; const ${name} = __kdLazyRegExp(() => (${name}Made ??= ${make}));`;
      });
      if (lazy === 0) return undefined;
      const helper = 'function __kdLazyRegExp(get) { return { test: (s) => get().test(s), exec: (s) => get().exec(s), [Symbol.search]: (s) => get()[Symbol.search](s), [Symbol.match]: (s) => get()[Symbol.match](s), [Symbol.matchAll]: (s) => get()[Symbol.matchAll](s), [Symbol.replace]: (s, r) => get()[Symbol.replace](s, r), [Symbol.split]: (s, l) => get()[Symbol.split](s, l) }; }\n';
      return { contents: contents + '\n' + helper, loader: 'js' };
    });
  },
};

/**
 * The YAML libraries are not in the split bundle: src/manifest/yaml-library.ts loads each with
 * require() on first use (`yaml`: problem positions, diffs, kustomize output, kd sim; js-yaml:
 * documents that are not plain block YAML), so that a run that needs neither never loads them,
 * and callers stay synchronous. Each is bundled on its own into one CommonJS file at dist/'s top,
 * which loads in a few milliseconds where `yaml`'s own seventy files take tens.
 */
const YAML_BUNDLES = { yaml: 'yaml.cjs', 'js-yaml': 'js-yaml.cjs' };

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  // Ink loads React's devtools only when DEV=true and the package is installed; kd never ships it.
  external: ['react-devtools-core'],
  banner: {
    // Bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);",
  },
  define: { 'process.env.DEV': '"false"', KD_YAML_BUNDLES: JSON.stringify(YAML_BUNDLES) },
};

// One build for both programs: every command module (a dynamic import in
// plugin/commands/index.ts) becomes its own chunk, and code that several commands (or the CLI and
// the language server) use lives in chunks they share instead of a copy per command.
const result = await build({
  ...common,
  metafile: true,
  entryPoints: { 'kubectl-kd': 'plugin/main.ts', 'kd-lsp': 'lsp/main.ts' },
  outdir: out,
  plugins: [barrelImports(root), pureCore, builtinsThroughRequire, lazyStringWidth],
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

for (const [name, file] of Object.entries(YAML_BUNDLES))
  await build({
    entryPoints: [createRequire(import.meta.url).resolve(name)],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    logLevel: 'warning',
    outfile: path.join(out, file),
  });

// What each bundle file holds and imports, for tools that explain start-up (bench/startup.mjs);
// not part of the package (`files` in package.json ships only the bundles).
writeFileSync(path.join(out, 'meta.json'), JSON.stringify(result.metafile));

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });


const gen = path.join(root, 'scripts', 'gen-bundle.mjs');
if (existsSync(gen)) await import(gen);
