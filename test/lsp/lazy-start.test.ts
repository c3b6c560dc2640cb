/**
 * What the built kd-lsp loads to start (issue 17, issue 19 item 2): the language server needs
 * neither kd's executor nor its simulator, and its live hover opens a cluster through
 * `openConnection` (src/session/connection.ts), which loads the cluster client on first use.
 * Before, the live hover's connect went through a loader defined in the core's barrel, and that
 * kept the barrel's chunks (the apply executor, the simulator) in kd-lsp's start-up. kd-lsp is one
 * bundle file (scripts/build.mjs) that holds the cluster client as modules evaluated only when first
 * imported, and the simulator is a file of its own (dist/parts/sim.js); what a run evaluated comes
 * from scripts/loaded-modules.mjs (shared with test/cli/lazy-load.test.ts and bench/startup.mjs).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { evaluatedSources, loadedModules } from '../../scripts/loaded-modules.mjs';
import { tempHomeEnv } from '../support/temp-home.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'kd-lsp.cjs');

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'kd-lsp.js'))) throw new Error('dist/kd-lsp.js is missing: run `npm run build` first');
});

test('starting kd-lsp loads neither the apply executor, the simulator nor the cluster client', () => {
  // Standard input at its end: the server starts, reads nothing and exits.
  const run = loadedModules([BIN, '--stdio'], { input: '', env: { ...process.env, ...tempHomeEnv() } });
  expect(run.status).toBe(0);
  const files = run.files.map((f) => f.file).filter((f) => f.includes(`${path.sep}dist${path.sep}`));
  expect(files.map((f) => path.relative(path.join(ROOT, 'dist'), f))).toEqual(['kd-lsp.js']);
  const sources = evaluatedSources(ROOT)(run);
  // The listing works: the server's own code ran.
  expect(sources).toContain('lsp/main.ts');
  expect(sources.filter((s) => /^src\/(apply\/(run-apply|runner)\.ts|sim\/|cluster\/(connect|transport|client)\.ts)/.test(s))).toEqual([]);
  // The cluster client is in the file, for live hover, but was not evaluated.
  expect(readFileSync(files[0]!, 'utf8')).toContain('async function connectCluster(');
});
