/**
 * How the build lays kd out in files (issue 17, scripts/build.mjs), read from the build's
 * dist/meta.json: a tiny entry that picks one bundle file per command, and the few files a rare
 * path imports (the CEL engine, `ws`, the --sim and --watch parts); the command files are CommonJS
 * scripts that plugin/bundle-loader.ts runs from a code cache. What must hold for kd to behave as
 * one program: no module of kd has a copy in two files that one run loads together, except the
 * core modules a part carries for itself, whose crossings are safe (plain data, branded errors;
 * the last test runs one). And the entry reads the command word as the CLI does.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_WORDS, GLOBAL_FLAGS_WITH_VALUE } from '../../plugin/command-word.js';
import { commandIndex } from '../../plugin/commands/index.js';
import { globalDeclaration } from '../../plugin/flags.js';
import { loadedModules } from '../../scripts/loaded-modules.mjs';
import { tempHomeEnv } from '../support/temp-home.js';
import { kdBin, repoRoot } from './run-kd.js';
import { kdInProcess } from './support/cli-sim.js';

interface Output {
  imports: Array<{ path: string; kind: string; external?: boolean }>;
  inputs: Record<string, { bytesInOutput: number }>;
}
let outputs: Map<string, Output>;
/** The source files a bundle file (relative to dist/) holds code of. */
const holds = (file: string) => Object.entries(outputs.get(file)?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
/** The bundle files (relative to dist/) that `file` imports, resolved from its specifiers. */
const importsOf = (file: string, kind?: string) =>
  outputs.get(file)!.imports.filter((i) => i.external && i.path.startsWith('.') && (kind === undefined || i.kind === kind)).map((i) => path.posix.join(path.posix.dirname(file), i.path));

beforeAll(() => {
  const meta = path.join(repoRoot, 'dist', 'meta.json');
  if (!existsSync(meta)) throw new Error('dist/meta.json is missing: run `npm run build` first');
  const parsed = JSON.parse(readFileSync(meta, 'utf8')) as { outputs: Record<string, Output> };
  // The metafile names outputs as the build wrote them, in a temporary folder renamed to dist/.
  outputs = new Map(Object.entries(parsed.outputs).filter(([k]) => k.endsWith('.js') || k.endsWith('.cjs')).map(([k, v]) => [k.replace(/^[^/]*\//, ''), v]));
});

/** The modules of each part, which no file importing the part may hold itself. */
const PART_OWNS: Record<string, RegExp> = {
  'parts/sim.js': /^src\/sim\//,
  'parts/watch.js': /^(plugin\/(watch|ui)\/|node_modules\/(ink|react|react-reconciler|yoga-layout)\/)/,
};

describe('the build lays kd out', () => {
  it('with a tiny entry that holds no module of kd but the command word and the loader of command files', () => {
    expect(holds('kubectl-kd.cjs').filter((s) => !s.startsWith('kd-require-builtin:')).sort()).toEqual(['plugin/bundle-loader.ts', 'plugin/command-word.ts', 'plugin/entry.ts']);
    expect(readFileSync(path.join(repoRoot, 'dist', 'kubectl-kd.cjs')).length).toBeLessThan(13 * 1024);
  });

  it('with command files that are strict CommonJS scripts importing other files of dist/ by absolute URL only', () => {
    const commandFiles = [...outputs.keys()].filter((f) => f.startsWith('cli/'));
    expect(commandFiles.sort()).toEqual([...COMMAND_WORDS, 'help', 'kd'].map((w) => `cli/${w}.cjs`).sort());
    for (const file of commandFiles) {
      const code = readFileSync(path.join(repoRoot, 'dist', file), 'utf8');
      // The directive must be the first statement, or the ES modules' strict code runs sloppy.
      expect(code.startsWith('"use strict";'), file).toBe(true);
      // Every import() goes through the loader's (vm's own is experimental), with an absolute URL.
      expect(code.match(/\bimport\(/g), file).toEqual(['import(']);
      expect(code, file).not.toMatch(/^import |^export /m);
      expect(importsOf(file, 'import-statement'), file).toEqual([]);
      expect(importsOf(file, 'require-call'), file).toEqual([]);
    }
    expect(readFileSync(path.join(repoRoot, 'dist', 'cli', 'drift.cjs'), 'utf8')).toContain('__kdImportFile(new URL("../parts/sim.js", __kdBundleUrl).href)');
  });

  it('with one file per command that holds its command, and not the others it does not use', () => {
    const commandsIn = (file: string) => holds(file).filter((s) => s.startsWith('plugin/commands/') && COMMAND_WORDS.includes(path.basename(s, '.ts') as never));
    for (const word of COMMAND_WORDS) expect(commandsIn(`cli/${word}.cjs`), word).toContain(`plugin/commands/${word}.ts`);
    // rollback re-applies a revision through apply's module; drift and validate use no other command.
    expect(commandsIn('cli/drift.cjs')).toEqual(['plugin/commands/drift.ts']);
    expect(commandsIn('cli/validate.cjs')).toEqual(['plugin/commands/validate.ts']);
    // The overall --help holds every command; the file for no command holds none.
    expect(COMMAND_WORDS.filter((w) => !holds('cli/help.cjs').includes(`plugin/commands/${w}.ts`))).toEqual([]);
    expect(holds('cli/kd.cjs').filter((s) => s.startsWith('plugin/commands/') && s !== 'plugin/commands/index.ts')).toEqual([]);
  });

  it('with the CEL engine in one file and the websocket library in one file apart from the simulator\'s, imported on first use', () => {
    const holders = (pkg: string) => [...outputs.keys()].filter((f) => holds(f).some((s) => s.startsWith(`node_modules/${pkg}`)));
    expect(holders('@bufbuild/')).toEqual(['cel.js']);
    // The files that hold the simulator, which imports `ws` statically, hold their own copy (a
    // CommonJS script cannot import an ES module statically); no run loads both.
    expect(holders('ws/').sort()).toEqual(['cli/help.cjs', 'cli/sim.cjs', 'ws.js']);
    expect(importsOf('cli/help.cjs')).not.toContain('ws.js');
    for (const file of ['cli/drift.cjs', 'cli/validate.cjs', 'kd-lsp.js', 'parts/sim.js']) expect(importsOf(file, 'dynamic-import'), file).toContain('cel.js');
    expect(importsOf('cli/drift.cjs', 'dynamic-import')).toContain('ws.js');
    expect(importsOf('cli/drift.cjs', 'import-statement')).toEqual([]);
  });

  it('with parts imported only dynamically, and never by a file that holds their modules', () => {
    let importers = 0;
    for (const [file] of outputs) {
      for (const imported of importsOf(file)) {
        if (!imported.startsWith('parts/')) continue;
        importers++;
        expect(importsOf(file, 'import-statement'), file).not.toContain(imported);
        expect(holds(file).filter((s) => PART_OWNS[imported]!.test(s)), `${file} imports ${imported}`).toEqual([]);
      }
    }
    expect(importsOf('cli/drift.cjs')).toContain('parts/sim.js');
    expect(importsOf('cli/apply.cjs')).toEqual(expect.arrayContaining(['parts/sim.js', 'parts/watch.js']));
    expect(importers).toBeGreaterThan(2);
    // `kubectl kd sim` holds the simulator itself, and so imports no copy of it.
    expect(holds('cli/sim.cjs')).toContain('src/sim/server.ts');
    expect(importsOf('cli/sim.cjs')).not.toContain('parts/sim.js');
  });
});

describe('the entry reads the command line as the CLI does', () => {
  it('knows every command, in the order of the index', () => {
    expect([...COMMAND_WORDS]).toEqual(commandIndex.map((e) => e.word));
  });

  it('knows which global flags take a value', () => {
    const declared = globalDeclaration.flags.filter((f) => f.type !== 'boolean' && !f.optionalValue).flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])]);
    expect([...GLOBAL_FLAGS_WITH_VALUE].sort()).toEqual(declared.sort());
  });
});

describe('the built entry', () => {
  it.each([
    [[], 'cli/kd.cjs'],
    [['--version'], 'cli/kd.cjs'],
    [['frobnicate'], 'cli/kd.cjs'],
    // The overall help holds every command, the simulator too, and its own copy of `ws`.
    [['frobnicate', '--help'], 'cli/help.cjs'],
    [['-h'], 'cli/help.cjs'],
    [['-n', 'shop', 'drift', '--help'], 'cli/drift.cjs'],
    [['--namespace', 'apply', 'validate', 'a', '--version'], 'cli/validate.cjs'],
    [['--verbose', '--', 'list', '--help'], 'cli/list.cjs'],
  ])('runs %j from %s, as the CLI does in-process', async (args, ...file) => {
    const run = loadedModules([kdBin, ...args], { env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' } });
    const files = run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file)).filter((f) => !f.startsWith('..'));
    expect(files).toEqual(['kubectl-kd.cjs', ...file]);
    const expected = await kdInProcess(args);
    expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual(expected);
  });
});

describe('a library file run by the built kd', () => {
  it('validate of a custom resource with a CEL rule loads the engine from dist/cel.js and reports the broken rule', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-bundle-layout-'));
    try {
      copyFileSync(path.join(repoRoot, 'examples', 'shop', '30-crd.yaml'), path.join(dir, 'crd.yaml'));
      writeFileSync(
        path.join(dir, 'promotion.yaml'),
        'apiVersion: shop.example.com/v1\nkind: Promotion\nmetadata:\n  name: sale\n  namespace: shop\nspec:\n  code: SALE\n  discountPercent: 60\n  expires: "2026-11-30T23:59:59Z"\n',
      );
      const run = loadedModules([kdBin, 'validate', dir], { env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' } });
      expect(run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file))).toContain('cel.js');
      expect(run.stdout).toBe(`${path.join(dir, 'promotion.yaml')}:7:3: error: spec: Invalid value: discounts above 50% are for VIP codes only [schema/cel]\ninvalid: 1 error in 2 objects in 2 files\n`);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a part run by the built kd', () => {
  it('apply --watch: an error raised in the part is reported as kd reports it, not as an internal error', () => {
    const missing = path.join(repoRoot, 'no-such-folder-for-kd');
    const run = loadedModules([kdBin, 'apply', '--watch', '--no-tui', '--sim', '--release', 'x', missing], { env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' } });
    const files = run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file));
    expect(files).toContain('parts/watch.js');
    expect(run.stderr).toBe(`error: ${missing}: no such file or directory\nhint: check the path; give files or folders to watch\n`);
    expect(run.status).toBe(2);
  });

  it('drift --sim: the simulator part serves the command', () => {
    const dir = path.join(repoRoot, 'examples', 'shop');
    const run = loadedModules([kdBin, 'drift', '--sim', '--release', 'shop', '-n', 'shop', dir], { env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' } });
    expect(run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file))).toContain('parts/sim.js');
    expect(run.stderr).toContain('--sim compares against a fresh in-process kd sim');
    expect(run.stdout).toMatch(/\d+ objects: \d+ new\n/);
    expect(run.status).toBe(0);
  });
});
