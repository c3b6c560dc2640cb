/**
 * Every shell example of README.md and docs/*.md runs as written (issue 20): each block is run
 * by bash (`set -euo pipefail`), in order, in a temporary folder holding the repository's
 * examples/, with the built kubectl-kd and kd-lsp first on PATH, a temp HOME, and KUBECONFIG
 * pointing at a kd sim started for this test. Blocks that install, run for ever or need a person
 * are marked `<!-- not-run: reason -->` in the Markdown; the test keeps that list short.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, markdownFiles, SHELL_LANGS, type CodeBlock } from './markdown-blocks.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const blocks: CodeBlock[] = markdownFiles(ROOT).flatMap((f) => codeBlocks(f)).filter((b) => SHELL_LANGS.has(b.lang));

let work: string;
let env: NodeJS.ProcessEnv;
let sim: ChildProcess | undefined;

async function waitForFile(file: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'kubectl-kd.cjs'))) throw new Error('run `npm run build` first');
  work = mkdtempSync(path.join(tmpdir(), 'kd-readme-'));
  const bin = path.join(work, 'bin');
  const home = path.join(work, 'home');
  const cwd = path.join(work, 'repo');
  for (const d of [bin, home, cwd]) mkdirSync(d);
  symlinkSync(path.join(ROOT, 'bin', 'kubectl-kd.cjs'), path.join(bin, 'kubectl-kd'));
  symlinkSync(path.join(ROOT, 'bin', 'kd-lsp.cjs'), path.join(bin, 'kd-lsp'));
  symlinkSync(path.join(ROOT, 'examples'), path.join(cwd, 'examples'));
  const kubeconfig = path.join(work, 'sim.kubeconfig');
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, KUBECONFIG: kubeconfig, NO_COLOR: '1', TERM: 'dumb', LANG: 'C.UTF-8', KD_SCHEMA_DIR: '' };
  sim = spawn(process.execPath, [path.join(ROOT, 'bin', 'kubectl-kd.cjs'), 'sim', '--kubeconfig-out', kubeconfig, '--speed', '20'], { cwd, env, stdio: 'ignore' });
  await waitForFile(kubeconfig, 30_000);
}, 60_000);

afterAll(async () => {
  if (sim && sim.exitCode === null) {
    const exited = new Promise((r) => sim!.once('exit', r));
    sim.kill('SIGINT');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('shell examples in README.md and docs/', () => {
  it('finds them, and runs most', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    // not-run is for the few that cannot run unattended.
    expect(blocks.filter((b) => b.notRun).length).toBeLessThanOrEqual(Math.ceil(blocks.length / 2));
  });

  for (const block of blocks) {
    const name = `${path.relative(ROOT, block.file)}:${block.line}`;
    if (block.notRun) {
      it(`${name} is not run: ${block.notRun}`, () => {
        expect(block.notRun!.length).toBeGreaterThan(10);
      });
      continue;
    }
    it(`${name} runs as written`, () => {
      const script = path.join(work, `block-${block.line}.sh`);
      // Background jobs (kubectl kd sim &) end with the block.
      writeFileSync(script, `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${block.code}`);
      const r = spawnSync('bash', [script], { cwd: path.join(work, 'repo'), env, encoding: 'utf8', timeout: 180_000 });
      expect(r.status, `${name} exited ${r.status}\n--- script\n${block.code}--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`).toBe(0);
    }, 200_000);
  }
});
