/**
 * The published package as a user gets it: `npm pack`, installed into a temporary global prefix,
 * found by the real kubectl as a plugin, and run as `kubectl kd` on Node 22. Slow (packing and
 * installing take tens of seconds), so it is its own command, `npm run test:package`, which
 * .ci/run runs after `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/schemas.js';

const MAX_TARBALL_BYTES = 5 * 1024 * 1024;
const work = mkdtempSync(path.join(os.tmpdir(), 'kd-package-'));
const prefix = path.join(work, 'prefix');
let tarball = '';
let packedFiles: string[] = [];

/** Where npm keeps downloaded packages for this user: the install takes the dependencies from there. */
const npmCache = process.env.npm_config_cache || path.join(os.userInfo().homedir, '.npm');

function which(cmd: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the package test needs ${cmd} on PATH`);
  return r.stdout.trim();
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = work) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
}

// Only what a user's shell would have: the installed package's bin, Node 22, kubectl, the system.
const userPath = [path.join(prefix, 'bin'), path.dirname(process.execPath), path.dirname(which('kubectl')), '/usr/bin', '/bin'].join(':');
const userEnv = (): NodeJS.ProcessEnv => ({ PATH: userPath, HOME: process.env.HOME, NO_COLOR: '1', KUBECONFIG: '' });

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'dist', 'kubectl-kd.cjs'))) throw new Error('build first: npm run build (npm run test:package does)');
  const npm = which('npm');
  const env = { ...process.env, npm_config_cache: npmCache, npm_config_update_notifier: 'false' };
  // The build has just run (npm run test:package builds first), so skip prepack's second build.
  const packed = run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], env, repoRoot);
  expect(packed.status, packed.stderr).toBe(0);
  const info = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, info[0]!.filename);
  packedFiles = info[0]!.files.map((f) => f.path);
  const installed = run(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], env);
  expect(installed.status, installed.stderr).toBe(0);
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed kubectl-kd', () => {
  it(`is at most ${MAX_TARBALL_BYTES / 1024 / 1024} MB and carries no source maps, tests or sources`, () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(MAX_TARBALL_BYTES);
    expect(packedFiles.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(packedFiles.filter((f) => /^(test|src|plugin|lsp|bench|scripts)\//.test(f))).toEqual([]);
    expect(packedFiles).toContain('schemas/kubernetes/api/v1.json');
    expect(packedFiles).toContain('bin/kubectl-kd.cjs');
  });

  it('is found by kubectl as a plugin after a global install', () => {
    const r = run('kubectl', ['plugin', 'list'], userEnv());
    expect(r.stdout).toContain(path.join(prefix, 'bin', 'kubectl-kd'));
    expect(r.stderr).not.toContain('warning');
    expect(r.status).toBe(0);
  });

  it('validates manifests as `kubectl kd validate`, with the built-in schemas of the package', () => {
    writeFileSync(
      path.join(work, 'web.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: shop-web:1.4.0\n          ports: [{containerPort: 8080}]\n',
    );
    const ok = run('kubectl', ['kd', 'validate', 'web.yaml'], userEnv());
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('valid: 1 object in 1 file\n');
    expect(ok.status).toBe(0);

    writeFileSync(path.join(work, 'bad.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  portz: []\n');
    const bad = run('kubectl', ['kd', 'validate', 'bad.yaml'], userEnv());
    expect(bad.stdout).toContain('bad.yaml:6:3');
    expect(bad.stdout).toContain('unknown field "spec.portz"');
    expect(bad.status).toBe(1);

    // The code cache of the command files is the user's (plugin/bundle-loader.ts), never written
    // into the installation, which may be read-only or shared.
    const cacheDir = path.join(process.env.HOME!, '.cache', 'kd', 'code');
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('validate-') && f.endsWith('.v8cache'))).toHaveLength(1);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const installed = path.join(prefix, 'lib', 'node_modules', 'kubectl-kd');
    expect(readdirSync(installed, { recursive: true }).filter((f) => String(f).endsWith('.v8cache'))).toEqual([]);
  });

  it('runs the in-process simulator and the overall help, each from its own bundle file', () => {
    writeFileSync(path.join(work, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  mode: fast\n');
    const drift = run('kubectl', ['kd', 'drift', '--sim', 'cm.yaml'], userEnv());
    expect(drift.stdout).toContain('1 object: 1 new');
    expect(drift.status).toBe(0);
    const help = run('kubectl', ['kd', '--help'], userEnv());
    expect(help.stdout).toContain('kubectl kd drift');
    expect(help.status).toBe(0);
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/kubectl-kd.cjs', 'dist/cli/drift.cjs', 'dist/cli/help.cjs', 'dist/parts/sim.js', 'dist/parts/watch.js', 'dist/cel.js', 'dist/ws.js']));
  });

  it('runs the language server binary', () => {
    const r = run('kd-lsp', ['--version'], userEnv());
    expect(r.stdout).toMatch(/^kd-lsp \d+\.\d+\.\d+/);
    expect(r.status).toBe(0);
  });
});
