/**
 * `kubectl kd sim` as a user runs it: the real binary serves, the real kubectl talks to it through
 * the kubeconfig it wrote, `validate --cluster` uses its schemas and CRDs, and Ctrl-C stops it
 * cleanly with exit 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(output).toMatch(/^kd sim serving at http:\/\/127\.0\.0\.1:\d+: reports Kubernetes v1\.32\.4 \(kubectl version, nodes\), serves the API of built-in schemas \(Kubernetes \d+\.\d+\), clock x20\n/);
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
