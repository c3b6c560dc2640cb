/**
 * Fidelity check with the real kubectl: server-side apply of an empty map or list, then the same
 * object with an entry added, then with it removed again (same field manager). kube-apiserver
 * (structured-merge-diff) owns an empty map as a whole and its keys once it has keys; the sim
 * used to prune the map the applier no longer owned "as a whole", losing the new key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandle } from '../../src/sim/server.js';
import { startValidatingSim } from '../support/validating-sim.js';
import { builtInSource } from '../../src/io/schema-sources.js';
import { KubectlEnv, requireKubectl } from '../e2e/kubectl-harness.js';

function configMap(annotations: string, data: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations: ${annotations}
data: ${data}
`;
}

function deployment(templateAnnotations: string, env: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations: ${templateAnnotations}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env: ${env}
`;
}

describe('kubectl apply --server-side of empty maps and lists', () => {
  let sim: SimHandle;
  let k: KubectlEnv;

  beforeAll(async () => {
    requireKubectl();
    sim = await startValidatingSim(builtInSource(), { namespaces: ['shop'] });
    k = new KubectlEnv(sim.kubeconfig({ namespace: 'shop' }));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  async function apply(name: string, text: string): Promise<void> {
    const r = await k.run(['apply', '--server-side', '-f', k.file(name, text)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
  async function jsonpath(kind: string, name: string, path: string): Promise<unknown> {
    const r = await k.run(['get', kind, name, '-o', `jsonpath={${path}}`]);
    expect(r.code).toBe(0);
    return r.stdout === '' ? undefined : JSON.parse(r.stdout);
  }
  async function appliedFields(kind: string, name: string): Promise<unknown> {
    const r = await k.run(['get', kind, name, '--show-managed-fields', '-o', 'json']);
    const obj = JSON.parse(r.stdout) as { metadata: { managedFields: Array<{ manager: string; operation: string; fieldsV1: unknown }> } };
    return obj.metadata.managedFields.find((e) => e.operation === 'Apply')?.fieldsV1;
  }

  it('metadata.annotations and data: {} then a key then {} again', async () => {
    await apply('cm1.yaml', configMap('{}', '{}'));
    expect(await jsonpath('configmap', 'settings', '.metadata.annotations')).toEqual({});
    await apply('cm2.yaml', configMap('{team: shop}', '{mode: fast}'));
    expect(await jsonpath('configmap', 'settings', '.metadata.annotations')).toEqual({ team: 'shop' });
    expect(await jsonpath('configmap', 'settings', '.data')).toEqual({ mode: 'fast' });
    expect(await appliedFields('configmap', 'settings')).toEqual({
      'f:data': { 'f:mode': {} },
      'f:metadata': { 'f:annotations': { 'f:team': {} } },
    });
    // kube-apiserver drops the now-empty map when it serializes (omitempty); either way the key is gone.
    await apply('cm3.yaml', configMap('{}', '{}'));
    expect([undefined, {}]).toContainEqual(await jsonpath('configmap', 'settings', '.metadata.annotations'));
    expect([undefined, {}]).toContainEqual(await jsonpath('configmap', 'settings', '.data'));
  });

  it("a Deployment's template annotations: {} and env: [] then an entry then empty again", async () => {
    await apply('d1.yaml', deployment('{}', '[]'));
    await apply('d2.yaml', deployment('{"kd.io/rev": "2"}', '[{name: MODE, value: fast}]'));
    expect(await jsonpath('deployment', 'web', '.spec.template.metadata.annotations')).toEqual({ 'kd.io/rev': '2' });
    expect(await jsonpath('deployment', 'web', '.spec.template.spec.containers[0].env')).toEqual([{ name: 'MODE', value: 'fast' }]);
    await apply('d3.yaml', deployment('{}', '[]'));
    expect([undefined, {}]).toContainEqual(await jsonpath('deployment', 'web', '.spec.template.metadata.annotations'));
    expect([undefined, []]).toContainEqual(await jsonpath('deployment', 'web', '.spec.template.spec.containers[0].env'));
  });
});
