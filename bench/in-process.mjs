/**
 * For benches that time core modules in-process: bundles the given TypeScript entry points with
 * esbuild into `out` (emptied first) beside a child script, and runs that child on a fresh Node
 * so the figures are not skewed by the bench's own process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bundles `entryPoints` ({ name: file.ts }) into `out` and writes `child` there as child.mjs. */
export async function bundleChild(out, entryPoints, child) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const { build } = await import('esbuild');
  await build({ entryPoints, outdir: out, bundle: true, format: 'esm', platform: 'node', target: 'node22', logLevel: 'error' });
  writeFileSync(path.join(out, 'child.mjs'), child);
}

/** Runs the bundled child with `args`; its stdout is one JSON line. Exits the bench on failure. */
export function runChild(root, out, args) {
  const r = spawnSync(process.execPath, [path.join(out, 'child.mjs'), ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  return JSON.parse(r.stdout);
}
