/**
 * Fidelity suite: the real kubectl (1.32, chosen by the dispatcher from /version) against kd sim.
 * Every expectation below is what kubectl prints against a real kube-apiserver (from kubectl's
 * source and the Kubernetes docs), not what the simulator happened to answer. Each test works in
 * its own namespace with its own HOME and discovery cache. In the first group no controllers run:
 * where a command waits for status (wait, rollout status), the test writes that status itself
 * through the ControllerHost, as the deployment controller would; the last group runs the
 * simulated controllers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import type { SimHandle } from '../../src/sim/server.js';
import { createNamespace, startValidatingSim } from '../support/validating-sim.js';
import { KubectlEnv, requireKubectl, scrub } from './kubectl-harness.js';
import { builtinControllers, FAIL_ANNOTATION } from '../../src/sim/controllers/index.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHEMAS = BUILT_IN_SCHEMAS;
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

let sim: SimHandle;
const source = new SchemaDirSource(SCHEMAS);
let counter = 0;

beforeAll(async () => {
  requireKubectl();
  sim = await startValidatingSim(source);
});

afterAll(async () => {
  await sim?.stop();
});

/** A fresh namespace (created through the API) and a kubectl environment defaulting to it. */
function workspace(prefix: string): { ns: string; k: KubectlEnv } {
  const ns = `${prefix}-${++counter}`;
  createNamespace(sim, ns);
  return { ns, k: new KubectlEnv(sim.kubeconfig({ namespace: ns })) };
}

function deployment(name: string, replicas: number, image = 'nginx:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;
}

/** Table output split into cells (kubectl pads columns with at least three spaces). */
function rows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** What the deployment controller writes once all replicas are available. */
function markAvailable(ns: string, name: string): void {
  const d = sim.host.get(DEPLOYMENTS, ns, name)!;
  const spec = d.spec as { replicas: number };
  const gen = (d.metadata as { generation: number }).generation;
  sim.host.updateStatus(
    DEPLOYMENTS,
    {
      ...d,
      status: {
        observedGeneration: gen,
        replicas: spec.replicas,
        updatedReplicas: spec.replicas,
        readyReplicas: spec.replicas,
        availableReplicas: spec.replicas,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:00:00Z' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}-5d8f7c9b6" has successfully progressed.`, lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:00:00Z' },
        ],
      },
    },
    'kube-controller-manager',
  );
}

/** What the deployment controller writes while a crashlooping pod keeps the rollout unavailable. */
function markUnavailable(ns: string, name: string): void {
  const d = sim.host.get(DEPLOYMENTS, ns, name)!;
  const spec = d.spec as { replicas: number };
  sim.host.updateStatus(
    DEPLOYMENTS,
    {
      ...d,
      status: {
        observedGeneration: (d.metadata as { generation: number }).generation,
        replicas: spec.replicas,
        updatedReplicas: spec.replicas,
        unavailableReplicas: spec.replicas,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:00:00Z' }],
      },
    },
    'kube-controller-manager',
  );
}

describe('kubectl against kd sim', () => {
  it('creates a namespace and reports an existing one as AlreadyExists', async () => {
    const k = new KubectlEnv(sim.kubeconfig());
    const created = await k.run(['create', 'namespace', 'fidelity-ns']);
    expect(created).toMatchObject({ code: 0, stdout: 'namespace/fidelity-ns created\n' });
    const again = await k.run(['create', 'namespace', 'fidelity-ns']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (AlreadyExists): namespaces "fidelity-ns" already exists\n');
    const got = await k.run(['get', 'namespace', 'fidelity-ns']);
    expect(rows(got.stdout).map((r) => r.slice(0, 2))).toEqual([['NAME', 'STATUS'], ['fidelity-ns', 'Active']]);
  });

  it('client-side apply: created, configured, unchanged', async () => {
    const { k } = workspace('csa');
    const f = k.file('d.yaml', deployment('web', 2));
    expect(await k.run(['apply', '-f', f])).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' });
    expect(await k.run(['apply', '-f', f])).toMatchObject({ code: 0, stdout: 'deployment.apps/web unchanged\n' });
    k.file('d.yaml', deployment('web', 3));
    expect(await k.run(['apply', '-f', f])).toMatchObject({ code: 0, stdout: 'deployment.apps/web configured\n' });
    const replicas = await k.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']);
    expect(replicas.stdout).toBe('3 2');
  });

  it('server-side apply: conflict with another manager, then --force-conflicts takes the field', async () => {
    const { k } = workspace('ssa');
    const f = k.file('d.yaml', deployment('web', 2));
    expect(await k.run(['apply', '--server-side', '-f', f])).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
    k.file('d.yaml', deployment('web', 5));
    const conflicting = await k.run(['apply', '--server-side', '--field-manager=other', '-f', f]);
    expect(conflicting.code).toBe(1);
    expect(conflicting.stderr.split('\n')[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(conflicting.stderr).toContain('--force-conflicts');
    const forced = await k.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', f]);
    expect(forced).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
    const mf = JSON.parse((await k.run(['get', 'deploy', 'web', '-o', 'json', '--show-managed-fields'])).stdout) as {
      spec: { replicas: number };
      metadata: { managedFields: Array<{ manager: string; operation: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } }> };
    };
    expect(mf.spec.replicas).toBe(5);
    const owners = mf.metadata.managedFields.filter((e) => e.fieldsV1['f:spec']?.['f:replicas'] !== undefined).map((e) => `${e.manager}/${e.operation}`);
    expect(owners).toEqual(['other/Apply']);
  });

  it('get: table, -o yaml, -o json, -l, -A, and the empty message', async () => {
    const { ns, k } = workspace('get');
    const empty = await k.run(['get', 'pods']);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 2))]);
    await k.run(['apply', '-f', k.file('e.yaml', deployment('api', 1).replace('app: api}', 'app: api, tier: back}'))]);
    const table = await k.run(['get', 'deployments']);
    expect(rows(scrub(table.stdout))).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['api', '0/1', '0', '0', '<age>'],
      ['web', '0/2', '0', '0', '<age>'],
    ]);
    const wide = await k.run(['get', 'deployment', 'web', '-o', 'wide']);
    expect(rows(scrub(wide.stdout))).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['web', '0/2', '0', '0', '<age>', 'web', 'nginx:1.27', 'app=web'],
    ]);
    const labelled = await k.run(['get', 'deploy', '-l', 'tier=back']);
    expect(rows(scrub(labelled.stdout)).slice(1)).toEqual([['api', '0/1', '0', '0', '<age>']]);
    const all = await k.run(['get', 'deploy', '-A']);
    const mine = rows(scrub(all.stdout)).filter((r) => r[0] === ns || r[0] === 'NAMESPACE');
    expect(mine).toEqual([
      ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      [ns, 'api', '0/1', '0', '0', '<age>'],
      [ns, 'web', '0/2', '0', '0', '<age>'],
    ]);
    const yaml = await k.run(['get', 'deploy', 'web', '-o', 'yaml']);
    const expected = readFileSync(path.resolve(here, '../fixtures/sim/deployment-web-get-yaml.yaml'), 'utf8').replace(/__NS__/g, ns);
    expect(scrub(yaml.stdout)).toBe(expected);
    const json = JSON.parse((await k.run(['get', 'deploy', '-o', 'json'])).stdout) as { kind: string; items: Array<{ metadata: { name: string } }> };
    expect(json.kind).toBe('List');
    expect(json.items.map((i) => i.metadata.name)).toEqual(['api', 'web']);
  });

  it('describe shows the object as kubectl formats it', async () => {
    const { ns, k } = workspace('describe');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 2))]);
    const out = await k.run(['describe', 'deployment', 'web']);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines).toContain('Name:                   web');
    expect(lines).toContain(`Namespace:              ${ns}`);
    expect(lines).toContain('Selector:               app=web');
    expect(lines).toContain('Replicas:               2 desired | 0 updated | 0 total | 0 available | 0 unavailable');
    expect(lines).toContain('StrategyType:           RollingUpdate');
    expect(lines).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge');
    expect(lines).toContain('    Image:         nginx:1.27');
  });

  it('diff exits 0 when equal and 1 with a unified diff when different', async () => {
    const { k } = workspace('diff');
    const f = k.file('d.yaml', deployment('web', 2));
    await k.run(['apply', '-f', f]);
    expect(await k.run(['diff', '-f', f])).toMatchObject({ code: 0, stdout: '' });
    k.file('d.yaml', deployment('web', 4));
    const changed = await k.run(['diff', '-f', f]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('-  replicas: 2\n+  replicas: 4\n');
    expect(changed.stdout).toContain('-  generation: 1\n+  generation: 2\n');
    // dryRun stored nothing.
    expect((await k.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('2');
  });

  it('wait --for=condition=Available returns when the condition appears', async () => {
    const { ns, k } = workspace('wait');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    setTimeout(() => markAvailable(ns, 'web'), 700);
    const out = await k.run(['wait', '--for=condition=Available', 'deployment/web', '--timeout=10s']);
    expect(out).toMatchObject({ code: 0, stdout: 'deployment.apps/web condition met\n' });
  });

  it('rollout status succeeds for a healthy rollout and times out for a crashlooping one', async () => {
    const { ns, k } = workspace('rollout');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('good', 1))]);
    await k.run(['apply', '-f', k.file('e.yaml', deployment('bad', 1))]);
    setTimeout(() => markAvailable(ns, 'good'), 500);
    markUnavailable(ns, 'bad');
    const good = await k.run(['rollout', 'status', 'deployment/good', '--timeout=10s']);
    expect(good.code).toBe(0);
    expect(good.stdout.trimEnd().split('\n').pop()).toBe('deployment "good" successfully rolled out');
    const bad = await k.run(['rollout', 'status', 'deployment/bad', '--timeout=2s']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('Waiting for deployment "bad" rollout to finish: 0 of 1 updated replicas are available...');
    expect(bad.stderr).toBe('error: timed out waiting for the condition\n');
  });

  it('scale goes through the scale subresource', async () => {
    const { k } = workspace('scale');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    expect(await k.run(['scale', 'deployment/web', '--replicas=4'])).toMatchObject({ code: 0, stdout: 'deployment.apps/web scaled\n' });
    expect((await k.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('4');
    // kubectl checks --resource-version itself before sending the scale.
    const wrongRv = await k.run(['scale', 'deployment/web', '--replicas=2', '--resource-version=1']);
    expect(wrongRv.code).toBe(1);
    expect(wrongRv.stderr).toMatch(/^error: Expected resource version to be 1, was \d+\n$/);
  });

  it('patch: strategic, merge and json, and "no change"', async () => {
    const { k } = workspace('patch');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    const smp = await k.run(['patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}']);
    expect(smp).toMatchObject({ code: 0, stdout: 'deployment.apps/web patched\n' });
    const merge = await k.run(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    expect(merge).toMatchObject({ code: 0, stdout: 'deployment.apps/web patched\n' });
    const json = await k.run(['patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"add","path":"/spec/minReadySeconds","value":5}]']);
    expect(json).toMatchObject({ code: 0, stdout: 'deployment.apps/web patched\n' });
    const same = await k.run(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    expect(same).toMatchObject({ code: 0, stdout: 'deployment.apps/web patched (no change)\n' });
    const got = JSON.parse((await k.run(['get', 'deploy', 'web', '-o', 'json'])).stdout) as {
      spec: { replicas: number; minReadySeconds: number; template: { spec: { containers: Array<{ name: string; image: string; ports: unknown[] }> } } };
    };
    expect(got.spec.replicas).toBe(3);
    expect(got.spec.minReadySeconds).toBe(5);
    // The strategic merge kept the container's other fields (merged by name, not replaced).
    expect(got.spec.template.spec.containers).toMatchObject([{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
  });

  it('label and annotate, with overwrite rules', async () => {
    const { k } = workspace('label');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    expect(await k.run(['label', 'deployment', 'web', 'tier=front'])).toMatchObject({ code: 0, stdout: 'deployment.apps/web labeled\n' });
    const again = await k.run(['label', 'deployment', 'web', 'tier=back']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("error: 'tier' already has a value (front), and --overwrite is false\n");
    expect(await k.run(['annotate', 'deployment', 'web', 'note=hello'])).toMatchObject({ code: 0, stdout: 'deployment.apps/web annotated\n' });
    const out = await k.run(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.tier} {.metadata.annotations.note}']);
    expect(out.stdout).toBe('front hello');
  });

  it('edit through KUBE_EDITOR', async () => {
    const { k } = workspace('edit');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    const editor = k.file('editor.sh', '#!/bin/sh\nsed -i "s/replicas: 1/replicas: 6/" "$1"\n');
    const out = await k.run(['edit', 'deployment/web'], { env: { KUBE_EDITOR: `sh ${editor}` } });
    expect(out).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n' });
    expect((await k.run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('6');
  });

  it('immutable selector: 422 Invalid as kubectl prints it', async () => {
    const { k } = workspace('immutable');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    const out = await k.run(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n',
    );
  });

  it('delete cascades to owned objects in the background', async () => {
    const { ns, k } = workspace('cascade');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    const d = sim.host.get(DEPLOYMENTS, ns, 'web')!;
    const dm = d.metadata as { uid: string };
    const rs = sim.host.create(
      { group: 'apps', version: 'v1', resource: 'replicasets' },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web-abc', namespace: ns, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: dm.uid, controller: true, blockOwnerDeletion: true }] },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      },
      'kube-controller-manager',
    );
    sim.host.create(
      { group: '', version: 'v1', resource: 'pods' },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-abc-x1', namespace: ns, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: (rs.metadata as { uid: string }).uid, controller: true, blockOwnerDeletion: true }] },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
      'kube-controller-manager',
    );
    expect(await k.run(['delete', 'deployment', 'web'])).toMatchObject({ code: 0, stdout: 'deployment.apps "web" deleted\n' });
    await new Promise((r) => setTimeout(r, 200));
    const left = await k.run(['get', 'rs,pods']);
    expect(left).toMatchObject({ stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
    const missing = await k.run(['delete', 'deployment', 'web']);
    expect(missing).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments.apps "web" not found\n' });
    expect((await k.run(['delete', 'deployment', 'web', '--ignore-not-found'])).code).toBe(0);
  });

  it('delete waits for finalizers to be removed', async () => {
    const { k } = workspace('finalizer');
    await k.run(['create', 'configmap', 'held', '--from-literal=a=b']);
    await k.run(['patch', 'configmap', 'held', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
    const deleting = k.run(['delete', 'configmap', 'held', '--timeout=15s']);
    await new Promise((r) => setTimeout(r, 1500));
    const mid = await k.run(['get', 'configmap', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    expect(mid.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const addMore = await k.run(['patch', 'configmap', 'held', '--type=json', '-p', '[{"op":"add","path":"/metadata/finalizers/-","value":"example.com/late"}]']);
    expect(addMore.code).toBe(1);
    expect(addMore.stderr).toContain('no new finalizers can be added if the object is being deleted');
    await k.run(['patch', 'configmap', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    expect(await deleting).toMatchObject({ code: 0, stdout: 'configmap "held" deleted\n' });
    expect((await k.run(['get', 'configmap', 'held'])).stderr).toBe('Error from server (NotFound): configmaps "held" not found\n');
  });

  it('delete --all: an object without finalizers is gone when its DELETE answers, so the wait is one GET each; the root CA comes back', async () => {
    // kubectl's wait (IsDeleted) GETs each deleted object through one client throttled to 5
    // requests/s, and opens a watch only for an object still there with the UID it deleted. For
    // 1,000 ConfigMaps that is ~200 s of client-side throttling against any cluster; the sim must
    // add no watch to it. kube-controller-manager re-creates kube-root-ca.crt (a new UID) at once.
    const { ns, k } = workspace('delete-all');
    const names = Array.from({ length: 12 }, (_, i) => `settings-${i}`);
    const docs = names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\ndata:\n  LOG_LEVEL: info\n`).join('---\n');
    expect((await k.run(['apply', '--server-side', '-f', k.file('cms.yaml', docs)])).code).toBe(0);
    const all = [...names, 'kube-root-ca.crt'].sort();
    const out = await k.run(['delete', 'configmap', '--all', '-v=6'], { timeoutMs: 15_000 });
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n').filter(Boolean).sort()).toEqual(all.map((n) => `configmap "${n}" deleted`).sort());
    const requests = out.stderr.split('\n').flatMap((l) => /round_trippers\.go:\d+\] (\w+) (\S+) (\d+)/.exec(l)?.slice(1, 4).join(' ') ?? []);
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    const waits = requests.filter((r) => r.startsWith('GET ') && r.includes(`${base}/`));
    expect(waits.map((r) => r.replace(/^GET \S+\/configmaps\/(\S+) /, '$1 ')).sort()).toEqual(all.map((n) => `${n} ${n === 'kube-root-ca.crt' ? 200 : 404}`));
    expect(requests.filter((r) => r.includes('watch=true'))).toEqual([]);
    expect(await k.run(['get', 'configmaps', '-o', 'name'])).toMatchObject({ code: 0, stdout: 'configmap/kube-root-ca.crt\n' });
    const sa = await k.run(['delete', 'serviceaccount', 'default']);
    expect(sa).toMatchObject({ code: 0, stdout: 'serviceaccount "default" deleted\n' });
    expect((await k.run(['get', 'serviceaccounts', '-o', 'name'])).stdout).toBe('serviceaccount/default\n');
  });

  it('get --watch prints a row per event', async () => {
    const { ns, k } = workspace('watch');
    await k.run(['apply', '-f', k.file('d.yaml', deployment('web', 1))]);
    const watching = k.run(['get', 'deployment', 'web', '--watch', '--request-timeout=3s'], { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 1000));
    await k.run(['scale', 'deployment/web', '--replicas=2']);
    markAvailable(ns, 'web');
    const out = await watching;
    expect(rows(scrub(out.stdout))).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['web', '0/1', '0', '0', '<age>'],
      ['web', '0/2', '0', '0', '<age>'],
      ['web', '2/2', '2', '2', '<age>'],
    ]);
  });

  it('api-resources and api-versions list what the schemas declare', async () => {
    const k = new KubectlEnv(sim.kubeconfig());
    const res = await k.run(['api-resources']);
    expect(res.code).toBe(0);
    const table = rows(res.stdout);
    expect(table[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(table).toContainEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(table).toContainEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(table).toContainEqual(['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition']);
    expect(table).toContainEqual(['jobs', 'batch/v1', 'true', 'Job']);
    const ns = await k.run(['api-resources', '--namespaced=false', '-o', 'name']);
    expect(ns.stdout.split('\n')).toContain('nodes');
    expect(ns.stdout.split('\n')).not.toContain('pods');
    const versions = await k.run(['api-versions']);
    const list = versions.stdout.trim().split('\n');
    expect(list).toContain('apps/v1');
    expect(list).toContain('v1');
    expect(list).toContain('autoscaling/v2');
    expect(list.some((v) => /alpha|beta/.test(v))).toBe(false);
  });

  it('explain deployment.spec.strategy reads the OpenAPI v3 document', async () => {
    const k = new KubectlEnv(sim.kubeconfig());
    const out = await k.run(['explain', 'deployment.spec.strategy']);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual(['GROUP:      apps', 'KIND:       Deployment', 'VERSION:    v1', '', 'FIELD: strategy <DeploymentStrategy>']);
    expect(out.stdout).toContain('  rollingUpdate\t<RollingUpdateDeployment>');
    expect(out.stdout).toContain('  type\t<string>');
  });

  it('apply --prune --applyset removes what left the set', async () => {
    const { ns, k } = workspace('applyset');
    const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\ndata: {k: v}\n`;
    const f = k.file('set.yaml', `${cm('a')}---\n${cm('b')}`);
    const env = { KUBECTL_APPLYSET: 'true' };
    // A namespaced ApplySet parent needs an explicit --namespace.
    const first = await k.run(['apply', '-n', ns, '--prune', '--applyset=myset', '-f', f], { env });
    expect(first).toMatchObject({ code: 0, stdout: 'configmap/a created\nconfigmap/b created\n' });
    k.file('set.yaml', cm('a'));
    const second = await k.run(['apply', '-n', ns, '--prune', '--applyset=myset', '-f', f], { env });
    const missingNs = await k.run(['apply', '--prune', '--applyset=myset', '-f', f], { env });
    expect(missingNs).toMatchObject({ code: 1, stderr: 'error: namespace is required to use namespace-scoped ApplySet\n' });
    expect(second).toMatchObject({ code: 0, stdout: 'configmap/a unchanged\nconfigmap/b pruned\n' });
    const names = (await k.run(['get', 'cm', '-o', 'name'])).stdout.trim().split('\n');
    expect(names).toEqual(['configmap/a', 'configmap/kube-root-ca.crt']);
  });

  it('CRDs register at once, their objects are validated, and deleting the CRD deletes them', async () => {
    const { k } = workspace('crd');
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.fidelity.example.com}
spec:
  group: fidelity.example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;
    expect(await k.run(['apply', '-f', k.file('crd.yaml', crd)])).toMatchObject({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io/widgets.fidelity.example.com created\n' });
    expect(await k.run(['wait', '--for=condition=Established', 'crd/widgets.fidelity.example.com', '--timeout=10s'])).toMatchObject({
      code: 0,
      stdout: 'customresourcedefinition.apiextensions.k8s.io/widgets.fidelity.example.com condition met\n',
    });
    const w = (size: string) => `apiVersion: fidelity.example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: ${size}}\n`;
    expect(await k.run(['apply', '-f', k.file('w.yaml', w('3'))])).toMatchObject({ code: 0, stdout: 'widget.fidelity.example.com/w1 created\n' });
    expect(rows(scrub((await k.run(['get', 'wd'])).stdout))).toEqual([['NAME', 'SIZE', 'AGE'], ['w1', '3', '<age>']]);
    const bad = await k.run(['apply', '-f', k.file('w2.yaml', w('"big"').replace('w1', 'w2'))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Widget "w2" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
    expect((await k.run(['delete', 'crd', 'widgets.fidelity.example.com'])).code).toBe(0);
    expect(sim.storage.store.list('fidelity.example.com', 'widgets')).toEqual([]);
  });

  it('a write with an unknown field fails under Strict and warns under Warn', async () => {
    const { k } = workspace('strict');
    const f = k.file('d.yaml', deployment('web', 1).replace('  replicas: 1', '  replicas: 1\n  bogus: true'));
    const strict = await k.run(['apply', '-f', f]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus"\n`,
    );
    const warn = await k.run(['apply', '--validate=warn', '-f', f]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toBe('Warning: unknown field "spec.bogus"\n');
    expect(warn.stdout).toBe('deployment.apps/web created\n');
  });

  it('auth can-i and whoami see the cluster admin', async () => {
    const k = new KubectlEnv(sim.kubeconfig());
    expect(await k.run(['auth', 'can-i', 'create', 'deployments'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    const who = await k.run(['auth', 'whoami']);
    expect(rows(who.stdout)).toEqual([['ATTRIBUTE', 'VALUE'], ['Username', 'kd-sim-admin'], ['Groups', '[system:masters system:authenticated]']]);
  });

  it('applies every file of examples/shop in order; the core validator answers bad values as the API server does', async () => {
    const k = new KubectlEnv(sim.kubeconfig());
    const shop = path.resolve(here, '../../examples/shop');
    const out: string[] = [];
    for (const file of ['00-namespace.yaml', '10-config.yaml', '30-crd.yaml', '40-web.yaml', '50-promotion.yaml', '60-worker.yaml']) {
      const r = await k.run(['apply', '-f', path.join(shop, file)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      out.push(r.stdout);
    }
    expect(out.join('')).toBe(
      [
        'namespace/shop created',
        'configmap/shop-config created',
        'secret/shop-db-credentials created',
        'customresourcedefinition.apiextensions.k8s.io/promotions.shop.example.com created',
        'deployment.apps/web created',
        'service/web created',
        'promotion.shop.example.com/black-friday created',
        'deployment.apps/worker created',
        '',
      ].join('\n'),
    );
    // The migration Job has only generateName: kubectl apply refuses it on the client, as against any server; it is created.
    const job = path.join(shop, '20-migrate-job.yaml');
    expect(await k.run(['apply', '-f', job])).toMatchObject({ code: 1, stderr: 'error: from shop-migrate-: cannot use generate name with apply\n' });
    const created = await k.run(['create', '-f', job]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^job\.batch\/shop-migrate-[a-z0-9]{5} created\n$/);

    // The CRD's CEL rule, checked by the core validator on the server side.
    const promo = (code: string, pct: number) =>
      k.file('promo.yaml', `apiVersion: shop.example.com/v1\nkind: Promotion\nmetadata: {name: spring, namespace: shop}\nspec: {code: ${code}, discountPercent: ${pct}}\n`);
    const cel = await k.run(['apply', '-f', promo('SPRING26', 60)]);
    expect(cel.code).toBe(1);
    expect(cel.stderr).toBe('The Promotion "spring" is invalid: spec: Invalid value: "object": discounts above 50% are for VIP codes only\n');
    const bounds = await k.run(['apply', '-f', promo('sp', 95)]);
    expect(bounds.code).toBe(1);
    expect(bounds.stderr).toBe(
      'The Promotion "spring" is invalid: \n' +
        '* spec.code: Invalid value: "sp": spec.code in body should match \'^[A-Z0-9]{4,12}$\'\n' +
        '* spec.discountPercent: Invalid value: 95: spec.discountPercent in body should be less than or equal to 90\n' +
        '* spec: Invalid value: "object": discounts above 50% are for VIP codes only\n',
    );
    expect(await k.run(['apply', '-f', promo('SPRING26', 20)])).toMatchObject({ code: 0, stdout: 'promotion.shop.example.com/spring created\n' });

    // A built-in kind: a malformed quantity fails in the decoder (400), a second container of the same name in validation (422).
    const web = readFileSync(path.join(shop, '40-web.yaml'), 'utf8').split(/^---$/m)[0]!;
    const variant = (name: string, edit: (text: string) => string) => k.file(`${name}.yaml`, edit(web.replace('name: web\n', `name: ${name}\n`)));
    const badCpu = variant('web-cpu', (t) => t.replace('cpu: 100m', 'cpu: 1 core'));
    expect(await k.run(['apply', '-f', badCpu])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error from server (BadRequest): error when creating "${badCpu}": Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n`,
    });
    const dup = variant('web-dup', (t) => t.replace('      containers:\n', '      containers:\n        - {name: web, image: busybox}\n'));
    expect(await k.run(['apply', '-f', dup])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The Deployment "web-dup" is invalid: spec.template.spec.containers[1].name: Duplicate value: "web"\n',
    });
  });

  it("the API server's built-in validation: 422 Invalid with its causes, for apply (JSON) and create (protobuf)", async () => {
    const { k } = workspace('builtin');
    const apply = async (name: string, text: string) => k.run(['apply', '-f', k.file(`${name}.yaml`, text)]);
    const invalid = (kind: string, name: string, causes: string) => ({ code: 1, stdout: '', stderr: `The ${kind} "${name}" is invalid: ${causes}\n` });
    expect(await apply('mismatch', deployment('mismatch', 1).replace('      labels: {app: mismatch}\n    spec:', '      labels: {app: other}\n    spec:'))).toEqual(
      invalid('Deployment', 'mismatch', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`'),
    );
    expect(await apply('port', deployment('port', 1).replace('containerPort: 80', 'containerPort: 70000'))).toEqual(
      invalid('Deployment', 'port', 'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'),
    );
    expect(await apply('tls', 'apiVersion: v1\nkind: Secret\nmetadata: {name: site-tls}\ntype: kubernetes.io/tls\ndata: {ca.crt: Y2E=}\n')).toEqual(
      invalid('Secret', 'site-tls', '\n* data[tls.crt]: Required value\n* data[tls.key]: Required value'),
    );
    expect(await apply('cm', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {bad/key: x}\n')).toEqual(
      invalid('ConfigMap', 'conf', `data[bad/key]: Invalid value: "bad/key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`),
    );
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n      containers: [{name: migrate, image: busybox:1.36}]\n';
    expect(await apply('job', job)).toEqual(invalid('Job', 'migrate', 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'));
    expect(await k.run(['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=61 * * * *'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: failed to create cronjob: CronJob.batch "tick" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n',
    });
    expect(await k.run(['create', 'deployment', 'wide', '--image=nginx:1.27', '--port=70000'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: failed to create deployment: Deployment.apps "wide" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n',
    });
  });

  it('create deployment|service|job|cronjob, run and expose: typed clients send protobuf, the server reads it', async () => {
    const { ns, k } = workspace('create');
    expect(await k.run(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=8080'])).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
    expect(await k.run(['create', 'service', 'nodeport', 'edge', '--tcp=80:8080'])).toEqual({ code: 0, stdout: 'service/edge created\n', stderr: '' });
    expect(await k.run(['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'])).toEqual({ code: 0, stdout: 'job.batch/once created\n', stderr: '' });
    expect(await k.run(['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *'])).toEqual({ code: 0, stdout: 'cronjob.batch/tick created\n', stderr: '' });
    expect(await k.run(['run', 'solo', '--image=nginx:1.27', '--port=80'])).toEqual({ code: 0, stdout: 'pod/solo created\n', stderr: '' });
    expect(await k.run(['expose', 'deployment', 'web', '--port=80', '--target-port=8080'])).toEqual({ code: 0, stdout: 'service/web exposed\n', stderr: '' });
    const dep = sim.storage.store.get('apps', 'deployments', ns, 'web') as any;
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.containers).toMatchObject([{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }]);
    const edge = sim.storage.store.get('', 'services', ns, 'edge') as any;
    expect(edge.spec).toMatchObject({ type: 'NodePort', selector: { app: 'edge' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    const job = sim.storage.store.get('batch', 'jobs', ns, 'once') as any;
    expect(job.spec.template.spec).toMatchObject({ restartPolicy: 'Never', containers: [{ name: 'once', image: 'busybox:1.36', command: ['echo', 'hi'] }] });
    const web = sim.storage.store.get('', 'services', ns, 'web') as any;
    expect(web.spec).toMatchObject({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
  });

  it('get of a missing object or resource type fails like against a real cluster', async () => {
    const { k } = workspace('missing');
    expect(await k.run(['get', 'deployment', 'nope'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
    expect(await k.run(['get', 'gadgets'])).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "gadgets"\n' });
  });
});

describe('kubectl against kd sim over TLS', () => {
  it('authenticates with the generated client certificate, and with a bearer token', async () => {
    const tls = await startValidatingSim(source, { tls: true });
    try {
      const k = new KubectlEnv(tls.kubeconfig());
      expect(rows((await k.run(['get', 'ns', 'default'])).stdout).map((r) => r.slice(0, 2))).toEqual([['NAME', 'STATUS'], ['default', 'Active']]);
    } finally {
      await tls.stop();
    }
    const tok = await startValidatingSim(source, { tls: true, token: 'kd-test-token' });
    try {
      const k = new KubectlEnv(tok.kubeconfig());
      expect((await k.run(['get', 'ns', 'default'])).code).toBe(0);
      const wrong = await k.run(['--token=wrong', 'get', 'ns']);
      expect(wrong).toMatchObject({ code: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' });
    } finally {
      await tok.stop();
    }
  });
});

describe('kubectl against kd sim with the simulated controllers', () => {
  let live: SimHandle;
  beforeAll(async () => {
    live = await startValidatingSim(source, { controllers: builtinControllers({ nodes: 2, podReadyDelayMs: 200 }) });
  });
  afterAll(async () => {
    await live?.stop();
  });

  it('rollout status follows a real rollout to the end, and times out on a crashlooping one', async () => {
    const k = new KubectlEnv(live.kubeconfig());
    await k.run(['apply', '-f', k.file('good.yaml', deployment('good', 2))]);
    const good = await k.run(['rollout', 'status', 'deployment/good', '--timeout=20s'], { timeoutMs: 30_000 });
    expect(good.code).toBe(0);
    expect(good.stdout.trimEnd().split('\n').pop()).toBe('deployment "good" successfully rolled out');
    const crashing = deployment('bad', 1).replace('    metadata:\n      labels: {app: bad}', `    metadata:\n      labels: {app: bad}\n      annotations: {${FAIL_ANNOTATION}: crashloop}`);
    await k.run(['apply', '-f', k.file('bad.yaml', crashing)]);
    const bad = await k.run(['rollout', 'status', 'deployment/bad', '--timeout=3s'], { timeoutMs: 15_000 });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: timed out waiting for the condition\n');
    const pods = rows((await k.run(['get', 'pods', '-l', 'app=bad'])).stdout);
    expect(pods[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(pods[1]![1]).toBe('0/1');
    expect(['CrashLoopBackOff', 'Error']).toContain(pods[1]![2]);
  });
});
