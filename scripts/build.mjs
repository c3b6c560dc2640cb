/**
 * Build: bundles the two entry points with esbuild (fast cold start: one file to load, heavy
 * dependencies split into chunks loaded only by the commands that need them), then generates
 * the built-in Kubernetes schema bundle from the pinned @kubernetes/client-node package.
 */
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

// Old chunks would pile up (their names carry content hashes): start from an empty dist/.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { 'kubectl-kd': 'plugin/main.ts', 'kd-lsp': 'lsp/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  logLevel: 'warning',
  // Ink loads React's devtools only when DEV=true and the package is installed; kd never ships it.
  external: ['react-devtools-core'],
  banner: {
    // Bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);",
  },
  define: { 'process.env.DEV': '"false"' },
});

const gen = path.join(root, 'scripts', 'gen-bundle.mjs');
if (existsSync(gen)) await import(gen);
