/**
 * `--help` renders from the same declarations the parser reads, keeping every flag, description,
 * example and epilogue; and kd's start-up loads no argument-parsing library (issue 17): the built
 * entry and every bundle file a command loads hold no yargs code (by the build's metafile), and the
 * package no longer depends on it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInputs, loadedModules, type LoadedModules } from '../../scripts/loaded-modules.mjs';
import { commandDeclaration, globalDeclaration } from '../../plugin/cli.js';
import { commandIndex } from '../../plugin/commands/index.js';
import { tempHomeEnv } from '../support/temp-home.js';
import { kdBin, repoRoot } from './run-kd.js';
import { kdInProcess } from './support/cli-sim.js';

/** Whitespace folded, so that a description wrapped over lines still reads as one string. */
const fold = (text: string) => text.replace(/\s+/g, ' ');

describe('--help', () => {
  it.each(commandIndex.map((e) => e.word))('kubectl kd %s --help shows every flag, description, example and the epilogue', async (word) => {
    const declaration = commandDeclaration(await commandIndex.find((e) => e.word === word)!.load());
    const r = await kdInProcess([word, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`kubectl kd ${declaration.usage}\n\n${declaration.describe}\n`)).toBe(true);
    const text = fold(r.stdout);
    for (const flag of [...globalDeclaration.flags, ...declaration.flags]) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${flag.alias ? `-${flag.alias}, ` : ' {4}'}--${flag.name} `, 'm'));
      expect(text).toContain(fold(flag.describe));
      if (flag.default !== undefined) expect(text).toContain(`[default: ${JSON.stringify(flag.default)}]`);
    }
    for (const p of declaration.positionals) {
      expect(p.describe).not.toBe('');
      expect(text).toContain(`${p.name} ${fold(p.describe)}`);
    }
    for (const [command, description] of declaration.examples) {
      expect(text).toContain(command.replace('$0', 'kubectl kd'));
      expect(text).toContain(fold(description));
    }
    expect(declaration.epilogue).toBeDefined();
    expect(text).toContain(fold(declaration.epilogue!));
    // -h anywhere before -- is the same page.
    expect((await kdInProcess(['-n', 'x', word, '-h'])).stdout).toBe(r.stdout);
  });

  it('kubectl kd --help lists every command with its description, and kd\'s own flags, in columns within the width', async () => {
    const r = await kdInProcess(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('kubectl kd <command> [options]\n\nValidate, drift-check, apply and simulate Kubernetes manifests kept in files.\n')).toBe(true);
    const text = fold(r.stdout);
    for (const entry of commandIndex) {
      const declaration = commandDeclaration(await entry.load());
      expect(r.stdout).toContain(`\n  kubectl kd ${declaration.usage} `);
      expect(text).toContain(fold(declaration.describe));
    }
    for (const flag of globalDeclaration.flags) expect(text).toContain(fold(flag.describe));
    // The test's terminal is 100 columns wide.
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // Descriptions start in one column.
    const starts = r.stdout.split('\n').filter((l) => l.startsWith('  kubectl kd ')).map((l) => /^ {2}\S.*? {2}(?=\S)/.exec(l)![0].length);
    expect(new Set(starts).size).toBe(1);
  });
});

describe('start-up loads no argument-parsing library', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'dist', 'kubectl-kd.cjs'))) throw new Error('dist/kubectl-kd.cjs is missing: run `npm run build` first');
    dir = mkdtempSync(path.join(tmpdir(), 'kd-args-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A run of the built kd (scripts/loaded-modules.mjs, as the lazy-load tests read it). */
  function loadedBy(args: string[]): LoadedModules {
    const r = loadedModules([kdBin, ...args], { cwd: dir, env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r;
  }

  /** The bundle files (dist/) a run loaded, relative to dist/. */
  const bundleFiles = (run: LoadedModules) => run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file)).filter((f) => !f.startsWith('..'));

  /** The source files the bundle files a run loaded hold code of (evaluated or not), by the build's metafile. */
  let held: (run: LoadedModules) => string[];
  beforeAll(() => {
    const sourcesOf = bundleInputs(repoRoot);
    held = (run) => run.files.flatMap((f) => sourcesOf(f.file));
  });

  it.each([[['--version']], [['validate', 'cm.yaml']], [['--help']], [['drift', '--help']]])('kubectl kd %j', (args) => {
    writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: default }\ndata: { mode: fast }\n');
    const run = loadedBy(args);
    expect(bundleFiles(run)).toContain('kubectl-kd.cjs');
    const sources = held(run);
    expect(sources.some((s) => s.includes('plugin/args/parse.ts'))).toBe(true);
    expect(sources.filter((s) => /node_modules\/(yargs|yargs-parser|cliui|y18n|wrap-ansi|emoji-regex)\//.test(s))).toEqual([]);
  });

  it('kubectl kd --version loads no command and no validator (the did-you-mean of flags comes without the schema code)', () => {
    const run = loadedBy(['--version']);
    // The entry and the file for command lines without a command (plugin/entry.ts).
    expect(bundleFiles(run)).toEqual(['kubectl-kd.cjs', 'cli/kd.cjs']);
    const sources = held(run);
    expect(sources.filter((s) => /src\/schema\/(validate|registry|compiled)\.ts$|plugin\/commands\/(?!index)/.test(s))).toEqual([]);
  });

  it('the package does not depend on yargs', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => name.includes('yargs'))).toEqual([]);
  });
});
