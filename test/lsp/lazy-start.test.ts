/**
 * What the built kd-lsp loads to start (issue 17, issue 19 item 2): the language server needs
 * neither kd's executor nor its simulator, and its live hover opens a cluster through
 * `openConnection` (src/session/connection.ts), which loads the cluster client on first use.
 * Before, the live hover's connect went through a loader defined in the core's barrel, and that
 * kept the barrel's chunks (the apply executor, the simulator) in kd-lsp's start-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tempHomeEnv } from '../support/temp-home.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'kd-lsp.cjs');
let dir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'kd-lsp.js'))) throw new Error('dist/kd-lsp.js is missing: run `npm run build` first');
  dir = mkdtempSync(path.join(tmpdir(), 'kd-lsp-lazy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('starting kd-lsp loads neither the apply executor, the simulator nor the cluster client', () => {
  const loaded = path.join(dir, 'loaded.txt');
  // A module hook that writes down every module Node loads (it runs on the hooks thread).
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(loaded)}, url + '\\n');\n  return next(url, context);\n}\n`);
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  // Standard input at its end: the server starts, reads nothing and exits.
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, '--stdio'], { input: '', encoding: 'utf8', env: { ...process.env, ...tempHomeEnv() } });
  expect(r.status).toBe(0);
  const files = readFileSync(loaded, 'utf8').split('\n').filter((u) => u.startsWith('file:') && u.includes('/dist/'));
  expect(files.some((u) => u.endsWith('/dist/kd-lsp.js'))).toBe(true);
  const texts = files.map((u) => readFileSync(fileURLToPath(u), 'utf8'));
  for (const marker of ['function runApply(', 'function startSim(', 'async function connectCluster(']) {
    expect(texts.filter((t) => t.includes(marker)).length, marker).toBe(0);
  }
});
