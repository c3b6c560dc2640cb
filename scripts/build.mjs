/**
 * Build: bundles with esbuild, then generates the built-in Kubernetes schema bundle from the
 * pinned @kubernetes/client-node package.
 *
 * Start-up time is part of the product, so each kubectl-kd command is its own bundle
 * (dist/commands/<name>.js) holding exactly the code it needs, and the entry (dist/kubectl-kd.js)
 * holds only argument parsing and loads one command bundle at run time. (With one bundle and
 * code splitting, esbuild groups modules into chunks by the entry points that reach them, and
 * the core's barrel made every command reach everything: `validate` paid for the simulator.)
 * Within a command bundle, code splitting still keeps rarely used parts (the Kubernetes client,
 * the terminal UI) out of its start-up.
 */
import { build } from 'esbuild';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

// Build into a fresh folder and swap it in at the end: old chunks (named by content hash) do not
// pile up, and a kd process or test running meanwhile never sees a half-written dist/.
const out = `dist.tmp-${process.pid}`;
rmSync(out, { recursive: true, force: true });

const commandsDir = path.join(root, 'plugin', 'commands');
const commandNames = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));

/** In the entry, `import('./validate.js')` from commands/index.ts becomes the command's own bundle. */
const commandBundles = {
  name: 'kd-command-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      if (path.resolve(args.importer) !== path.join(commandsDir, 'index.ts') || args.kind !== 'dynamic-import') return undefined;
      return { path: `./commands/${args.path.slice(2)}`, external: true };
    });
  },
};

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

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  // Ink loads React's devtools only when DEV=true and the package is installed; kd never ships it.
  // The Kubernetes client (17 MB, used for kubeconfig and credentials only, loaded lazily) is
  // read from node_modules at run time instead of being copied into every command bundle.
  external: ['react-devtools-core', '@kubernetes/client-node'],
  banner: {
    // Bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);",
  },
  define: { 'process.env.DEV': '"false"' },
};

await Promise.all([
  build({ ...common, entryPoints: { 'kubectl-kd': 'plugin/main.ts' }, outdir: out, plugins: [commandBundles, pureCore], splitting: true, chunkNames: 'chunks/main-[hash]' }),
  ...commandNames.map((name) =>
    build({
      ...common,
      entryPoints: { [name]: `plugin/commands/${name}.ts` },
      outdir: `${out}/commands`,
      plugins: [pureCore],
      splitting: true,
      chunkNames: `chunks/${name}-[hash]`,
    }),
  ),
  build({ ...common, entryPoints: { 'kd-lsp': 'lsp/main.ts' }, outdir: out, splitting: true, chunkNames: 'chunks/lsp-[hash]' }),
]);

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });


const gen = path.join(root, 'scripts', 'gen-bundle.mjs');
if (existsSync(gen)) await import(gen);
