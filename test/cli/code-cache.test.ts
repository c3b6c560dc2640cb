/**
 * The code cache of kd's command files (plugin/bundle-loader.ts), run through the built kd as a
 * user runs it: made by a first run and used by the next, rewritten only when a run compiled
 * clearly more, never trusted when it is damaged, made for other content or kept in a folder
 * others may write, off when asked, and left whole by concurrent runs. Whatever happens to the
 * cache, kd's output and exit code are those of a run without it. Each test has its own cache
 * folder (KD_CODE_CACHE_DIR); KD_CODE_CACHE_DEBUG makes kd say, on stderr at exit, what it did
 * with the cache.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempHomeEnv } from '../support/temp-home.js';
import { type KdRun, repoRoot, runKd, runKdAsync } from './run-kd.js';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/**
 * A copy of kd's installation (the bin, the entry and package.json) whose dist/cli/validate.cjs
 * (`bundle`) the test writes, and a runner of that copy with its own cache folder.
 */
function installedCopy(): { bundle: string; version: string; installed: (args: string[]) => KdRun } {
  const install = tempDir('kd-code-cache-install-');
  cpSync(path.join(repoRoot, 'bin'), path.join(install, 'bin'), { recursive: true });
  mkdirSync(path.join(install, 'dist', 'cli'), { recursive: true });
  copyFileSync(path.join(repoRoot, 'dist', 'kubectl-kd.cjs'), path.join(install, 'dist', 'kubectl-kd.cjs'));
  copyFileSync(path.join(repoRoot, 'package.json'), path.join(install, 'package.json'));
  const dir = tempDir('kd-code-cache-');
  const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const installed = (args: string[]): KdRun => {
    const r = spawnSync(process.execPath, [path.join(install, 'bin', 'kubectl-kd.cjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...tempHomeEnv(), KD_CODE_CACHE_DIR: dir, KD_CODE_CACHE_DEBUG: '1' },
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { bundle: path.join(install, 'dist', 'cli', 'validate.cjs'), version, installed };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DEBUG_LINE = /^kd code cache: .*\n/m;
/** The debug line of a run: `<file>: <state>, <what it wrote>`. */
function cacheReport(run: KdRun): string {
  const m = /^kd code cache: (.*)$/m.exec(run.stderr);
  if (!m) throw new Error(`no code cache report in: ${run.stderr}`);
  return m[1]!;
}
/** What the user sees: the run without the debug line. */
const seen = (run: KdRun) => ({ status: run.status, stdout: run.stdout, stderr: run.stderr.replace(DEBUG_LINE, '') });

let manifests: string;
beforeAll(() => {
  // One invalid object among valid ones: a run that answers "no" (exit 1) with diagnostics.
  manifests = mkdtempSync(path.join(tmpdir(), 'kd-code-cache-files-'));
  copyFileSync(path.join(repoRoot, 'examples', 'shop', '10-config.yaml'), path.join(manifests, 'config.yaml'));
  writeFileSync(
    path.join(manifests, 'web.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: two\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
  );
  return () => rmSync(manifests, { recursive: true, force: true });
});

function kd(args: string[], cacheDir: string, env: NodeJS.ProcessEnv = {}): KdRun {
  return runKd(args, { env: { KD_CODE_CACHE_DIR: cacheDir, KD_CODE_CACHE_DEBUG: '1', ...env } });
}
const cacheFiles = (dir: string) => readdirSync(dir).sort();
/** The one cache file of the `validate` command file in `dir`. */
function validateCache(dir: string): string {
  const files = cacheFiles(dir).filter((f) => f.startsWith('validate-'));
  expect(files).toHaveLength(1);
  return path.join(dir, files[0]!);
}

describe('the code cache of a command file', () => {
  it('is written by a first run, used by the next, and not rewritten by a steady run', () => {
    const dir = path.join(tempDir('kd-code-cache-'), 'code');
    const uncached = kd(['validate', manifests], dir, { KD_NO_CODE_CACHE: '1' });
    expect(uncached.status).toBe(1);
    expect(uncached.stdout).toContain('web.yaml');

    const first = kd(['validate', manifests], dir);
    expect(cacheReport(first)).toMatch(/^validate\.cjs: none, wrote \d+ bytes$/);
    expect(seen(first)).toEqual(seen(uncached));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = validateCache(dir);
    expect(path.basename(file)).toMatch(new RegExp(`^validate-[0-9a-f]{8}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8cache$`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file);

    for (let i = 0; i < 2; i++) {
      const next = kd(['validate', manifests], dir);
      expect(cacheReport(next)).toBe('validate.cjs: used, kept');
      expect(seen(next)).toEqual(seen(uncached));
    }
    const after = statSync(file);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([written.ino, written.mtimeMs, written.size]);
  });

  it('is rewritten once after a light run made it and a heavier run compiled more, then kept', () => {
    const dir = tempDir('kd-code-cache-');
    expect(cacheReport(kd(['validate', '--help'], dir))).toMatch(/^validate\.cjs: none, wrote \d+ bytes$/);
    const light = statSync(validateCache(dir)).size;
    const heavy = kd(['validate', manifests], dir);
    expect(cacheReport(heavy)).toMatch(/^validate\.cjs: used, wrote \d+ bytes$/);
    expect(statSync(validateCache(dir)).size).toBeGreaterThan(light);
    expect(cacheReport(kd(['validate', manifests], dir))).toBe('validate.cjs: used, kept');
    // A lighter run again uses the larger cache and keeps it.
    expect(cacheReport(kd(['validate', '--help'], dir))).toBe('validate.cjs: used, kept');
    expect(cacheReport(kd(['validate', manifests], dir))).toBe('validate.cjs: used, kept');
  });

  it('is not measured at exit by a run shaped like one that measured it (no node:v8 loaded), and is once by a run of another shape', () => {
    const dir = tempDir('kd-code-cache-');
    // Records, as it happens, each load of node:v8 (what measuring the bytecode at exit loads).
    const log = path.join(dir, 'v8-loads.log');
    const preload = path.join(dir, 'v8-loads.cjs');
    writeFileSync(
      preload,
      `const Module = require('node:module'); const load = Module._load; Module._load = function (request, ...rest) { if (request === 'node:v8' || request === 'v8') require('node:fs').appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + '\\n'); return load.call(this, request, ...rest); };\n`,
    );
    const cacheDir = path.join(dir, 'cache');
    const kdIn = (args: string[]) => {
      rmSync(log, { force: true });
      const run = runKd(args, { env: { KD_CODE_CACHE_DIR: cacheDir, KD_CODE_CACHE_DEBUG: '1' }, nodeArgs: ['-r', preload] });
      return { report: cacheReport(run), measured: existsSync(log), status: run.status };
    };
    // The first run measures what it compiled, for the cache it writes.
    expect(kdIn(['validate', manifests])).toMatchObject({ report: expect.stringMatching(/^validate\.cjs: none, wrote \d+ bytes$/), measured: true, status: 1 });
    // The same shape (flags and exit code; other arguments) reads only.
    expect(kdIn(['validate', manifests])).toEqual({ report: 'validate.cjs: used, kept', measured: false, status: 1 });
    expect(kdIn(['validate', path.join(manifests, 'web.yaml')])).toEqual({ report: 'validate.cjs: used, kept', measured: false, status: 1 });
    // Another exit code, or other flags, may have compiled more: measured once; not having grown,
    // the cache is kept with its shape noted, and the next run of that shape reads only.
    const payload = (file: string) => readFileSync(file).subarray(-1000);
    const header = (file: string) => {
      const raw = readFileSync(file);
      return JSON.parse(raw.subarray(12, 12 + raw.readUInt32LE(8)).toString('utf8')) as { bytecode: number; payloadCrc: number; shapes: string[] };
    };
    const before = payload(validateCache(cacheDir));
    const made = header(validateCache(cacheDir));
    expect(made.shapes).toHaveLength(1);
    for (const args of [['validate', path.join(manifests, 'config.yaml')], ['validate', manifests, '--no-color']]) {
      const status = args.length === 2 ? 0 : 1;
      expect(kdIn(args)).toEqual({ report: "validate.cjs: used, kept, noted the run's shape", measured: true, status });
      expect(kdIn(args)).toEqual({ report: 'validate.cjs: used, kept', measured: false, status });
    }
    expect(payload(validateCache(cacheDir)).equals(before)).toBe(true);
    // The same code under a header that knows three shapes, measured against the same baseline.
    const noted = header(validateCache(cacheDir));
    expect([noted.bytecode, noted.payloadCrc, noted.shapes.length]).toEqual([made.bytecode, made.payloadCrc, 3]);
    expect(noted.shapes[0]).toBe(made.shapes[0]);
    expect(kdIn(['validate', manifests])).toEqual({ report: 'validate.cjs: used, kept', measured: false, status: 1 });
  });

  it.each([
    ['garbage', () => Buffer.from('not a code cache at all\n'), 'corrupt'],
    ['empty', () => Buffer.alloc(0), 'corrupt'],
    ['truncated', (good: Buffer) => good.subarray(0, Math.floor(good.length / 2)), 'corrupt'],
    ['with one payload byte flipped', (good: Buffer) => flip(good, good.length - 100), 'corrupt'],
    ['for another command file (list.cjs)', (_good: Buffer, other: Buffer) => other, 'stale'],
  ])('is ignored and replaced when %s, with the output and exit code of a run without it', (_what, damage, state) => {
    const dir = tempDir('kd-code-cache-');
    const uncached = kd(['validate', manifests], dir, { KD_NO_CODE_CACHE: '1' });
    kd(['validate', manifests], dir);
    kd(['list', '--help'], dir);
    const file = validateCache(dir);
    const good = readFileSync(file);
    const other = readFileSync(path.join(dir, cacheFiles(dir).find((f) => f.startsWith('list-'))!));
    writeFileSync(file, damage(good, other));

    const run = kd(['validate', manifests], dir);
    expect(cacheReport(run)).toMatch(new RegExp(`^validate\\.cjs: ${state}, wrote \\d+ bytes$`));
    expect(seen(run)).toEqual(seen(uncached));
    expect(cacheReport(kd(['validate', manifests], dir))).toBe('validate.cjs: used, kept');
  });

  it('made for other content of the file is not used, even at the same length (V8 itself checks only the length)', () => {
    // A copy of the installation whose validate.cjs then changes one character of its version string.
    const { bundle, version, installed } = installedCopy();
    const changed = `9${version.slice(1)}`;
    writeFileSync(bundle, readFileSync(path.join(repoRoot, 'dist', 'cli', 'validate.cjs'), 'utf8'));

    expect(installed(['validate', '--version']).stdout).toBe(`${version}\n`);
    expect(cacheReport(installed(['validate', '--version']))).toBe('validate.cjs: used, kept');
    const source = readFileSync(bundle, 'utf8');
    expect(source.split(`"${version}"`)).toHaveLength(2);
    writeFileSync(bundle, source.replace(`"${version}"`, `"${changed}"`));

    const run = installed(['validate', '--version']);
    expect(cacheReport(run)).toMatch(/^validate\.cjs: stale, wrote \d+ bytes$/);
    expect(run.stdout).toBe(`${changed}\n`);
    expect(cacheReport(installed(['validate', '--version']))).toBe('validate.cjs: used, kept');
  });

  it('of a command file that is not pure ASCII (edited after the build) is made from its text decoded as UTF-8', () => {
    // The build makes every command file ASCII, which the loader decodes as latin1: not this one.
    const { bundle, version, installed } = installedCopy();
    const source = readFileSync(path.join(repoRoot, 'dist', 'cli', 'validate.cjs'), 'utf8');
    expect(source.split(`"${version}"`)).toHaveLength(2);
    writeFileSync(bundle, source.replace(`"${version}"`, `"${version}-été → µ"`));
    const first = installed(['validate', '--version']);
    expect(cacheReport(first)).toMatch(/^validate\.cjs: none, wrote \d+ bytes$/);
    expect(first.stdout).toBe(`${version}-été → µ\n`);
    const next = installed(['validate', '--version']);
    expect(cacheReport(next)).toBe('validate.cjs: used, kept');
    expect(next.stdout).toBe(`${version}-été → µ\n`);
  });

  it('is not used in a folder that group or others may write, nor in one of another user, and --verbose says why', () => {
    const dir = tempDir('kd-code-cache-');
    const uncached = kd(['validate', manifests], dir, { KD_NO_CODE_CACHE: '1' });
    chmodSync(dir, 0o770);
    const run = kd(['validate', manifests], dir);
    expect(cacheReport(run)).toBe('validate.cjs: unsafe, kept');
    expect(seen(run)).toEqual(seen(uncached));
    expect(cacheFiles(dir)).toEqual([]);
    const verbose = kd(['validate', '--verbose', manifests], dir);
    expect(verbose.stderr).toContain(`note: kd's code cache is not used: ${dir} is writable by group or others (mode 770); run: chmod 700 ${dir}\n`);
    expect(verbose.status).toBe(1);

    // Another user's folder: one this test gives away when it runs as root, else the root folder.
    let foreign = '/';
    if (process.getuid!() === 0) {
      foreign = tempDir('kd-code-cache-');
      chownSync(foreign, 65534, 65534);
    }
    const other = kd(['validate', manifests], foreign);
    expect(cacheReport(other)).toBe('validate.cjs: unsafe, kept');
    expect(seen(other)).toEqual(seen(uncached));
    expect(readdirSync(foreign).some((f) => f.endsWith('.v8cache'))).toBe(false);
  });

  it('is not used when its folder cannot be one (a file is in the way), and kd runs the same', () => {
    const base = tempDir('kd-code-cache-');
    writeFileSync(path.join(base, 'file'), 'x');
    const uncached = kd(['validate', manifests], base, { KD_NO_CODE_CACHE: '1' });
    const run = kd(['validate', manifests], path.join(base, 'file', 'code'));
    expect(cacheReport(run)).toBe('validate.cjs: unsafe, kept');
    expect(seen(run)).toEqual(seen(uncached));
  });

  it('is not used when its folder cannot be made (a read-only home): Node\'s loader runs the file', () => {
    // A folder this user may not write in: as root, the run is another user's.
    const parent = tempDir('kd-code-cache-ro-');
    const home = tempDir('kd-code-cache-home-');
    const asRoot = process.getuid!() === 0;
    // Root's folder, which the other user may enter but not write; or this user's, made read-only.
    if (asRoot) {
      chownSync(home, 65534, 65534);
      chmodSync(parent, 0o755);
    } else chmodSync(parent, 0o500);
    const dir = path.join(parent, 'code');
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'kubectl-kd.cjs'), ...args], {
        encoding: 'utf8',
        cwd: home,
        env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: path.join(home, '.config'), KD_CODE_CACHE_DIR: dir, KD_CODE_CACHE_DEBUG: '1', NO_COLOR: '1' },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        timeout: 60_000,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const first = run(['validate', '--version']);
    expect(cacheReport(first)).toBe('validate.cjs: unwritable, kept');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run(['validate', '--version', '--verbose']).stderr).toContain(`note: kd's code cache is not used: ${dir} cannot be written\n`);
    expect(readdirSync(parent)).toEqual([]);
    chmodSync(parent, 0o700);
  });

  it('does not make a home that does not exist (removed meanwhile, or never made)', () => {
    const gone = path.join(tempDir('kd-code-cache-'), 'gone-home');
    const run = runKd(['validate', '--version'], { env: { HOME: gone, XDG_CACHE_HOME: '', KD_CODE_CACHE_DIR: '', KD_CODE_CACHE_DEBUG: '1' } });
    expect(cacheReport(run)).toBe('validate.cjs: unwritable, kept');
    expect(run.status).toBe(0);
    expect(existsSync(gone)).toBe(false);
  });

  it.each([['KD_NO_CODE_CACHE'], ['NODE_DISABLE_COMPILE_CACHE']])('is off with %s', (name) => {
    const dir = tempDir('kd-code-cache-');
    for (let i = 0; i < 2; i++) expect(cacheReport(kd(['validate', '--version'], dir, { [name]: '1' }))).toBe('validate.cjs: disabled, kept');
    expect(cacheFiles(dir)).toEqual([]);
  });

  it('lives in $XDG_CACHE_HOME/kd/code by default', () => {
    const home = tempDir('kd-code-cache-home-');
    const run = runKd(['validate', '--version'], { env: { HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg'), KD_CODE_CACHE_DIR: '', KD_CODE_CACHE_DEBUG: '1' } });
    expect(cacheReport(run)).toMatch(/^validate\.cjs: none, wrote/);
    expect(readdirSync(path.join(home, 'xdg', 'kd', 'code')).filter((f) => f.startsWith('validate-'))).toHaveLength(1);
  });

  it('is not kept for the small file of --version and usage errors', () => {
    const dir = tempDir('kd-code-cache-');
    const run = kd(['--version'], dir);
    expect(cacheReport(run)).toBe('kd.cjs: small, kept');
    expect(run.status).toBe(0);
    expect(cacheFiles(dir)).toEqual([]);
  });

  it('is left whole by two runs at once', async () => {
    const dir = tempDir('kd-code-cache-');
    const env = { KD_CODE_CACHE_DIR: dir, KD_CODE_CACHE_DEBUG: '1' };
    const runs = await Promise.all([runKdAsync(['validate', manifests], { env }), runKdAsync(['validate', manifests], { env })]);
    for (const run of runs) {
      expect(run.status).toBe(1);
      expect(cacheReport(run)).toMatch(/^validate\.cjs: (none|used), (wrote \d+ bytes|kept)$/);
    }
    expect(cacheFiles(dir).filter((f) => !f.endsWith('.v8cache'))).toEqual([]);
    expect(cacheReport(kd(['validate', manifests], dir))).toBe('validate.cjs: used, kept');
  });
});

function flip(data: Buffer, at: number): Buffer {
  const copy = Buffer.from(data);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}
