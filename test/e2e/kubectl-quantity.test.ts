/**
 * Resource quantities through the real kubectl against kd sim: the server stores them in canonical
 * form, so `1000m` reads back as `1` and `1024Mi` as `1Gi`. Because kubectl's client-side apply
 * compares the written `1000m` with the live `1`, every re-apply sends a patch and prints
 * "configured" (kubernetes/kubernetes#116135), while `kubectl diff`, which compares server
 * dry-run results, finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import type { SimHandle } from '../../src/sim/server.js';
import { startValidatingSim } from '../support/validating-sim.js';
import { KubectlEnv, requireKubectl } from './kubectl-harness.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

const SCHEMAS = BUILT_IN_SCHEMAS;
const NS = 'quantities';

let sim: SimHandle;
const source = new SchemaDirSource(SCHEMAS);

beforeAll(async () => {
  requireKubectl();
  sim = await startValidatingSim(source, { namespaces: [NS] });
});

afterAll(async () => {
  await sim?.stop();
});

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests:
            cpu: 1000m
            memory: 1024Mi
          limits:
            cpu: 1.5
            memory: 1.5Gi
`;

describe('kubectl and resource quantities', () => {
  it('apply stores 1000m and 1024Mi as 1 and 1Gi; re-apply says configured, diff finds nothing', async () => {
    const k = new KubectlEnv(sim.kubeconfig({ namespace: NS }));
    const file = k.file('web.yaml', manifest);
    const created = await k.run(['apply', '-f', file]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('deployment.apps/web created\n');

    const requests = await k.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.requests.cpu} {.spec.template.spec.containers[0].resources.requests.memory}']);
    expect(requests.stdout).toBe('1 1Gi');
    const limits = await k.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.cpu} {.spec.template.spec.containers[0].resources.limits.memory}']);
    expect(limits.stdout).toBe('1500m 1536Mi');

    const again = await k.run(['apply', '-f', file]);
    expect(again.stdout).toBe('deployment.apps/web configured\n');
    const generation = await k.run(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.generation}']);
    expect(generation.stdout).toBe('1');

    const diff = await k.run(['diff', '-f', file]);
    expect({ code: diff.code, stdout: diff.stdout }).toEqual({ code: 0, stdout: '' });
  });

  it('an unparsable quantity is refused as the API server refuses it', async () => {
    const k = new KubectlEnv(sim.kubeconfig({ namespace: NS }));
    const file = k.file('bad.yaml', manifest.replace('name: web\nspec', 'name: bad\nspec').replace('cpu: 1000m', 'cpu: lots'));
    const r = await k.run(['apply', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n`,
    );
  });
});
