/**
 * `kubectl kd sim` as a user runs it: the real binary serves, the real kubectl talks to it through
 * the kubeconfig it wrote, `validate --cluster` uses its schemas and CRDs, and Ctrl-C stops it
 * cleanly with exit 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kdBin, repoRoot, runKd } from './run-kd.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-cli-'));
const kubeconfig = path.join(dir, 'sim.kubeconfig');
let sim: ChildProcess;
let output = '';
let exited: Promise<number | null>;

function kubectl(args: string[], input?: string) {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input: input ?? '',
    env: { ...process.env, HOME: dir },
    timeout: 30_000,
  });
  if (r.error) throw new Error(`kubectl could not run (${r.error.message}); install kubectl 1.32 on PATH`);
  return r;
}

beforeAll(async () => {
  sim = spawn(process.execPath, [kdBin, 'sim', '--kubeconfig-out', kubeconfig, '--speed', '20'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  exited = new Promise((resolve) => sim.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kd sim did not start: ${output}`)), 20_000);
    sim.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('press Ctrl-C to stop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

afterAll(() => {
  if (sim.exitCode === null) sim.kill('SIGKILL');
});

describe('kubectl kd sim', () => {
  it('prints where it serves and where the kubeconfig is', () => {
    expect(output).toMatch(/^kd sim serving at https:\/\/127\.0\.0\.1:\d+: reports Kubernetes v1\.32\.4 \(kubectl version, nodes\), serves the API of built-in schemas \(Kubernetes \d+\.\d+\), clock x20\n/);
    expect(output).toContain(`kubeconfig written to ${kubeconfig}`);
    const config = parse(readFileSync(kubeconfig, 'utf8'));
    expect(config['current-context']).toBe('kd-sim');
  });

  it('is a cluster the real kubectl works with', () => {
    const ns = kubectl(['get', 'namespaces', '-o', 'name']);
    expect(ns.status).toBe(0);
    expect(ns.stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
    const applied = kubectl(['apply', '-f', path.join(repoRoot, 'examples/shop/00-namespace.yaml'), '-f', path.join(repoRoot, 'examples/shop/30-crd.yaml')]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('namespace/shop created\ncustomresourcedefinition.apiextensions.k8s.io/promotions.shop.example.com created\n');
  });

  it("validates against the cluster's schemas and CRDs with validate --cluster", () => {
    const bad = path.join(dir, 'promotion.yaml');
    writeFileSync(bad, 'apiVersion: shop.example.com/v1\nkind: Promotion\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  code: ab\n  discountPercent: 5\n');
    const r = runKd(['validate', '--cluster', '--kubeconfig', kubeconfig, bad]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${bad}:7:9: error: spec.code`);
    expect(r.status).toBe(1);
    const good = runKd(['validate', '--cluster', '--kubeconfig', kubeconfig, path.join(repoRoot, 'examples/shop/50-promotion.yaml')]);
    expect(good.stdout).toBe('valid: 1 object in 1 file\n');
    expect(good.status).toBe(0);
  });

  it('stops cleanly on Ctrl-C with exit 0', async () => {
    sim.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('kd sim stopping\n');
  });
});

/** Starts `kd sim` with `args` and resolves once it serves (or exits first). */
function startKdSim(args: string[], home: string) {
  const child = spawn(process.execPath, [kdBin, 'sim', ...args], { cwd: home, env: { ...process.env, NO_COLOR: '1', HOME: home, TMPDIR: home } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const serving = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kd sim did not start: ${stdout}${stderr}`)), 20_000);
    child.stdout!.on('data', () => {
      if (stdout.includes('press Ctrl-C to stop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exit.then(() => clearTimeout(timer));
  });
  return { child, exit, serving, out: () => stdout, err: () => stderr };
}

describe('kubectl kd sim as a local service', () => {
  it('writes the default kubeconfig owner-only into a fresh private folder', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-home-'));
    const s = startKdSim([], home);
    try {
      await s.serving;
      const written = /kubeconfig written to (\S+)/.exec(s.out())![1]!;
      expect(path.dirname(path.dirname(written))).toBe(home);
      expect(path.basename(path.dirname(written))).toMatch(/^kd-sim-[A-Za-z0-9]{6}$/);
      expect(statSync(written).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(written)).mode & 0o777).toBe(0o700);
      expect(parse(readFileSync(written, 'utf8')).users[0].user.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.err()).toBe('');
    } finally {
      s.child.kill('SIGTERM');
      await s.exit;
    }
  });

  it('--no-auth serves plain HTTP with a warning; refused beyond loopback (exit 2)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-home-'));
    const s = startKdSim(['--no-auth', '--kubeconfig-out', path.join(home, 'kc')], home);
    try {
      await s.serving;
      expect(s.out()).toMatch(/serving at http:\/\/127\.0\.0\.1:\d+/);
      expect(s.err()).toBe('warning: --no-auth: any program of any user of this machine can read and change the simulated cluster, Secrets included\n');
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    }
    const wide = runKd(['sim', '--no-auth', '--host', '0.0.0.0'], { cwd: home, env: { HOME: home } });
    expect(wide.status).toBe(2);
    expect(wide.stdout).toBe('');
    expect(wide.stderr).toContain('--no-auth cannot be used with --host 0.0.0.0');
  });

  it('--host beyond loopback keeps authentication and warns', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-home-'));
    const kc = path.join(home, 'kc');
    const s = startKdSim(['--host', '0.0.0.0', '--kubeconfig-out', kc], home);
    try {
      await s.serving;
      expect(s.err()).toBe(
        "warning: --host 0.0.0.0 serves beyond this machine: anyone who can reach it and has the kubeconfig's token controls the simulated cluster\n",
      );
      expect(s.out()).toMatch(/serving at https:\/\/0\.0\.0\.0:\d+/);
      const config = parse(readFileSync(kc, 'utf8'));
      expect(config.users[0].user.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    }
  });

  it('--state in a missing folder exits 2 before serving, with no stack trace', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-home-'));
    const r = runKd(['sim', '--state', 'missing-dir/s.json'], { cwd: home, env: { HOME: home } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the folder of the simulator state file ${path.join(home, 'missing-dir', 's.json')} does not exist`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('keeps serving when the state folder disappears, reports it, and still stops on SIGTERM', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kd-sim-home-'));
    const stateDir = mkdtempSync(path.join(home, 'state-'));
    const kc = path.join(home, 'kc');
    const s = startKdSim(['--state', path.join(stateDir, 's.json'), '--kubeconfig-out', kc], home);
    await s.serving;
    const before = spawnSync('kubectl', ['--kubeconfig', kc, 'create', 'configmap', 'before', '--from-literal=a=b'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
    expect(before.stdout).toBe('configmap/before created\n');
    for (let i = 0; i < 50 && !existsSync(path.join(stateDir, 's.json')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(statSync(path.join(stateDir, 's.json')).mode & 0o777).toBe(0o600);
    rmSync(stateDir, { recursive: true });
    const created = spawnSync('kubectl', ['--kubeconfig', kc, 'create', 'configmap', 'after', '--from-literal=a=b'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
    expect(created.stdout).toBe('configmap/after created\n');
    for (let i = 0; i < 50 && !s.err().includes('cannot write the state file'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(s.err()).toContain(`warning: cannot write the state file ${path.join(stateDir, 's.json')}: ENOENT`);
    const got = spawnSync('kubectl', ['--kubeconfig', kc, 'get', 'configmap', 'after', '-o', 'name'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
    expect(got.stdout).toBe('configmap/after\n');
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.err()).not.toMatch(/\n\s+at /);
  });
});
