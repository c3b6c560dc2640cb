/**
 * The namespace validate defaults to from the kubeconfig (`contextNamespace`, read with the
 * manifest parser since issue 17): the current context's namespace across KUBECONFIG's files
 * (the first current-context wins), `--context` choosing another, and broken or malformed files
 * giving no default rather than an error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextNamespace } from '../../src/io/kubeconfig-namespace.js';
import { runKd } from './run-kd.js';

let dir: string;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-kubeconfig-ns-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: c
    cluster: {server: "https://127.0.0.1:6443"}
users:
  - name: u
    user: {token: abc}
contexts:
  - name: dev
    context: {cluster: c, user: u, namespace: team-a}
  - name: prod
    context:
      cluster: c
      user: u
      namespace: "team-b"
  - name: bare
    context: {cluster: c, user: u}
`;

describe('contextNamespace', () => {
  it("reads the current context's namespace, or the one --context names", () => {
    const kc = file('config', KUBECONFIG);
    expect(contextNamespace({ env: { KUBECONFIG: kc } })).toBe('team-a');
    expect(contextNamespace({ env: {}, kubeconfig: kc, context: 'prod' })).toBe('team-b');
    expect(contextNamespace({ env: { KUBECONFIG: kc }, context: 'bare' })).toBeUndefined();
    expect(contextNamespace({ env: { KUBECONFIG: kc }, context: 'missing' })).toBeUndefined();
  });

  it('takes the first current-context across KUBECONFIG files, and contexts from any of them', () => {
    const first = file('first', 'current-context: prod\n');
    const second = file('second', KUBECONFIG);
    expect(contextNamespace({ env: { KUBECONFIG: [first, path.join(dir, 'absent'), second].join(path.delimiter) } })).toBe('team-b');
  });

  it('gives no default for broken, malformed or absent files', () => {
    for (const text of ['current-context: dev\ncontexts: [\n', 'current-context: dev\ncontexts: {dev: x}\n', 'current-context: dev\ncontexts: [null, 3, {name: dev, context: null}]\n', 'current-context: dev\ncontexts:\n  - name: dev\n    context: {namespace: 42}\n', '- a\n- b\n', '']) {
      expect(contextNamespace({ env: { KUBECONFIG: file('broken', text) } }), text).toBeUndefined();
    }
    expect(contextNamespace({ env: { HOME: dir } })).toBeUndefined();
  });
});

describe('kubectl kd validate with a kubeconfig', () => {
  it("puts objects without a namespace in the context's namespace (two objects, one name: a duplicate there)", () => {
    const kc = file('config', KUBECONFIG);
    const inputs = file('objects.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: team-a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n');
    const dev = runKd(['validate', inputs], { env: { KUBECONFIG: kc } });
    expect(dev.status).toBe(1);
    expect(dev.stdout).toContain('team-a');
    const prod = runKd(['validate', '--context', 'prod', inputs], { env: { KUBECONFIG: kc } });
    expect(prod.stdout).toBe('valid: 2 objects in 1 file\n');
    expect(prod.status).toBe(0);
  });
});
