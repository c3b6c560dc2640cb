/**
 * End to end with a real editor: headless Neovim starts the built kd-lsp over stdio, opens a
 * manifest with known problems, receives the expected diagnostics, and gets `kd.io/` completions
 * under `metadata.annotations`. Neovim is required: without it this test fails with the command
 * that installs it (CI installs the Debian package).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { expected, fixturePath } from './support/fixtures.js';
import { codeBlocks } from '../docs/markdown-blocks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface NvimResult {
  diagnostics: Array<{ lnum: number; col: number; end_lnum: number; end_col: number; severity: number; code: string; source: string; message: string }>;
  completion: Array<{ label: string; detail?: string }>;
  errors: string[];
}

test('Neovim gets the diagnostics of a broken manifest and kd.io/ completions under metadata.annotations', () => {
  const which = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0)
    throw new Error('nvim (Neovim) is not installed; this end-to-end test needs it: apt-get update && apt-get install -y neovim');
  const bin = path.join(ROOT, 'bin', 'kd-lsp.cjs');
  if (!existsSync(path.join(ROOT, 'dist', 'kd-lsp.js'))) throw new Error('dist/kd-lsp.js is missing: run `npm run build` first');

  const work = mkdtempSync(path.join(tmpdir(), 'kd-lsp-nvim-'));
  try {
    const out = path.join(work, 'result.json');
    // A workspace of its own: the fixture folder's other files define some of the same objects,
    // and kd-lsp reports duplicates across the whole workspace (after scanning it).
    const workspace = path.join(work, 'workspace');
    mkdirSync(workspace);
    const file = path.join(workspace, 'neovim-manifest-problems.yaml');
    copyFileSync(fixturePath('neovim-manifest-problems.yaml'), file);
    const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${path.join(ROOT, 'test/lsp/neovim/kd-lsp-client.lua')}`], {
      encoding: 'utf8',
      timeout: 60_000,
      cwd: work,
      env: {
        ...process.env,
        HOME: work,
        XDG_CONFIG_HOME: path.join(work, 'config'),
        XDG_STATE_HOME: path.join(work, 'state'),
        XDG_DATA_HOME: path.join(work, 'data'),
        KD_NODE: process.execPath,
        KD_LSP_BIN: bin,
        KD_NVIM_FILE: file,
        KD_NVIM_ROOT: workspace,
        KD_NVIM_OUT: out,
        // 0-based: the line after `kd.io/sync-wave`, still under metadata.annotations.
        KD_NVIM_ANNOTATION_LINE: '6',
      },
    });
    expect(existsSync(out), `nvim wrote no result (status ${run.status}): ${run.stderr}`).toBe(true);
    const result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
    expect(result.errors).toEqual([]);
    const lines = result.diagnostics
      .map((d) => `${d.lnum}:${d.col}-${d.end_lnum}:${d.end_col} ${['', 'error', 'warning', 'info', 'hint'][d.severity]} ${d.code} ${d.message}`)
      .sort()
      .join('\n') + '\n';
    expect(lines).toBe(expected('neovim-manifest-problems.diagnostics.txt', lines));
    expect(result.diagnostics.every((d) => d.source === 'kd')).toBe(true);
    const labels = result.completion.map((c) => c.label);
    expect(labels).toContain('kd.io/hook');
    expect(labels).toContain('kd.io/health');
    expect(labels).toContain('argocd.argoproj.io/sync-wave');
    // Already present on the object: not offered again.
    expect(labels).not.toContain('kd.io/sync-wave');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/** The Neovim snippets of README.md and docs/editors.md that do without vim.fs and vim.lsp.start (Neovim 0.7). */
const snippets = [path.join(ROOT, 'README.md'), path.join(ROOT, 'docs', 'editors.md')].flatMap((f) =>
  codeBlocks(f).filter((b) => b.lang === 'lua' && b.code.includes('start_client')),
);

test('the documented Neovim set-up works as written on the installed Neovim (0.7 here)', () => {
  expect(snippets.length).toBe(2);
  const bin = path.join(ROOT, 'bin', 'kd-lsp.cjs');
  if (!existsSync(path.join(ROOT, 'dist', 'kd-lsp.js'))) throw new Error('dist/kd-lsp.js is missing: run `npm run build` first');
  for (const snippet of snippets) {
    const work = mkdtempSync(path.join(tmpdir(), 'kd-lsp-nvim-snippet-'));
    try {
      // A project with .git, a broken manifest two folders down, kd-lsp on PATH as installed.
      const project = path.join(work, 'project');
      mkdirSync(path.join(project, '.git'), { recursive: true });
      mkdirSync(path.join(project, 'deploy', 'web'), { recursive: true });
      const manifest = path.join(project, 'deploy', 'web', 'web.yaml');
      writeFileSync(manifest, readFileSync(fixturePath('neovim-manifest-problems.yaml'), 'utf8'));
      const pathDir = path.join(work, 'bin');
      mkdirSync(pathDir);
      symlinkSync(bin, path.join(pathDir, 'kd-lsp'));
      const init = path.join(work, 'init.lua');
      writeFileSync(init, snippet.code);
      const out = path.join(work, 'result.json');
      const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${init}`, '-c', `luafile ${path.join(ROOT, 'test/lsp/neovim/run-snippet.lua')}`], {
        encoding: 'utf8',
        timeout: 60_000,
        cwd: work,
        env: { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? ''}`, HOME: work, XDG_CONFIG_HOME: path.join(work, 'config'), XDG_STATE_HOME: path.join(work, 'state'), XDG_DATA_HOME: path.join(work, 'data'), KD_NVIM_FILE: manifest, KD_NVIM_OUT: out },
      });
      expect(existsSync(out), `${path.relative(ROOT, snippet.file)}:${snippet.line}: nvim wrote no result (status ${run.status}): ${run.stderr}`).toBe(true);
      const result = JSON.parse(readFileSync(out, 'utf8')) as { diagnostics: number; roots: string[]; errors: string[] };
      expect(result.errors, `${path.relative(ROOT, snippet.file)}:${snippet.line}`).toEqual([]);
      expect(result.diagnostics).toBeGreaterThan(0);
      expect(result.roots).toEqual([project]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}, 120_000);
