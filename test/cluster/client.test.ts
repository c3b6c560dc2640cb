import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRequestError, KubeClient, type ClusterClient, type HttpRequest, type HttpTransport } from '../../src/cluster/index.js';
import type { KubeObject } from '../../src/model/object-ref.js';
import { startTestSim, widgetCrd, type TestSim } from './support/sim.js';
import { rejectionOf } from '../support/rejection.js';

let t: TestSim;
let client: ClusterClient;
beforeAll(async () => {
  t = await startTestSim();
  client = (await t.connect({ cacheDir: false })).client;
});
afterAll(() => t.stop());

const deploymentGvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(name: string, replicas: number, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

const rejection = (p: Promise<unknown>) => rejectionOf(p, ClusterRequestError);

const managers = (o: KubeObject | undefined) =>
  ((o?.metadata as { managedFields?: Array<{ manager: string; operation: string }> }).managedFields ?? []).map((m) => `${m.manager}/${m.operation}`).sort();

describe('the dynamic client', () => {
  it('round-trips a custom resource with fields no schema in this program knows', async () => {
    await client.apply(widgetCrd());
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', annotations: { note: 'kept' } },
      spec: { size: 3, color: 'blue', extra: { nested: { deep: [1, 'two', { three: true }] }, 'odd-key': '', big: 12345678901234 } },
    };
    const applied = await client.apply(widget);
    const fetched = await client.get({ group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'default', name: 'w1' });
    for (const o of [applied, fetched]) {
      expect(o?.spec).toEqual(widget.spec);
      expect((o?.metadata as { annotations?: unknown }).annotations).toEqual({ note: 'kept' });
      expect([o?.apiVersion, o?.kind]).toEqual(['example.com/v1', 'Widget']);
    }
    const listed = await client.list({ group: 'example.com', version: 'v1', kind: 'Widget' });
    expect(listed.items.map((o) => [o.apiVersion, o.kind, o.spec])).toEqual([['example.com/v1', 'Widget', widget.spec]]);
    // The status subresource is written and read through its own path.
    await client.patch({ group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'default', name: 'w1' }, { status: { phase: 'Ready' } }, { type: 'merge', subresource: 'status' });
    const status = await client.getStatus({ group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'default', name: 'w1' });
    expect(status?.status).toEqual({ phase: 'Ready' });
    expect(t.requests.filter((r) => r.includes('/widgets/w1/status')).map((r) => r.split(' ')[0])).toEqual(['PATCH', 'GET']);
  });

  it('applies server-side: create, update, conflict with another manager, force', async () => {
    const created = await client.apply(deployment('web', 2));
    expect(managers(created)).toEqual(['kubectl-kd/Apply']);
    expect((created.spec as { replicas: number }).replicas).toBe(2);
    const updated = await client.apply(deployment('web', 2, 'nginx:1.28'));
    expect((updated.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image).toBe('nginx:1.28');

    // Another manager takes spec.replicas (as `kubectl scale` or an HPA would).
    await client.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 5 } }, { fieldManager: 'kubectl-client-side-apply', force: true });
    const e = await rejection(client.apply(deployment('web', 3, 'nginx:1.28')));
    expect(e.kind).toBe('cluster');
    expect(e.message).toBe(`apply Deployment default/web: Conflict: ${e.status?.message}`);
    expect(e.status?.message).toMatch(/^Apply failed with 1 conflict: conflict with "?kubectl-client-side-apply"?: \.spec\.replicas$/);
    expect([e.code, e.reason, e.isFieldConflict]).toEqual([409, 'Conflict', true]);
    expect(e.conflicts).toEqual([{ manager: e.conflicts[0]!.manager, field: '.spec.replicas' }]);
    expect(e.conflicts[0]!.manager.replace(/"/g, '')).toBe('kubectl-client-side-apply');
    expect(e.hint).toContain('--force-conflicts');
    // A field conflict is an answer, not a race: one request, no retry.
    expect(e.attempts).toBe(1);

    const forced = await client.apply(deployment('web', 3, 'nginx:1.28'), { force: true });
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    const live = await client.get({ ...deploymentGvk, namespace: 'default', name: 'web' });
    expect((live?.spec as { replicas: number }).replicas).toBe(3);
  });

  it('dry-runs an apply without persisting it', async () => {
    const answer = await client.apply(deployment('dry', 1), { dryRun: true });
    expect((answer.metadata as { name: string }).name).toBe('dry');
    expect(await client.get({ ...deploymentGvk, namespace: 'default', name: 'dry' })).toBeUndefined();
    expect(t.requests.some((r) => r.startsWith('PATCH /apis/apps/v1/namespaces/default/deployments/dry?') && r.includes('dryRun=All'))).toBe(true);
  });

  it('rejects unknown fields and says which, without retrying a schema error', async () => {
    const bad = deployment('strict', 1);
    (bad.spec as Record<string, unknown>).replica = 2;
    // kube-apiserver answers an apply with an undeclared field with a 500, not a 400.
    const applied = await rejection(client.apply(bad));
    expect([applied.code, applied.reason, applied.attempts]).toEqual([500, 'InternalError', 1]);
    expect(applied.message).toBe(
      'apply Deployment default/strict: InternalError: failed to create typed patch object (default/strict; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema',
    );
    expect(applied.hint).toBe("a field is not in the kind's schema: remove it or fix its name (`kubectl kd validate` finds these offline)");
    const created = await rejection(client.create(bad));
    expect([created.code, created.reason, created.attempts]).toEqual([400, 'BadRequest', 1]);
    expect(created.message).toContain('unknown field "spec.replica"');
  });

  it('a create retried after its answer was lost returns the object its first attempt made', async () => {
    const real = (client as KubeClient).transport;
    // The POST reaches the server but its answer is lost; the transport's retry meets AlreadyExists.
    const lossy = {
      server: real.server,
      request: async (req: HttpRequest) => {
        if (req.method !== 'POST') return real.request(req);
        await real.request(req).catch(() => undefined);
        const again = await rejection(real.request(req));
        again.attempts = 2;
        throw again;
      },
    } as unknown as HttpTransport;
    const retrying = new KubeClient({ transport: lossy, discovery: (client as KubeClient).discovery });
    const created = await retrying.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'answer-lost' }, data: { a: '1' } });
    const live = await client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'answer-lost' });
    expect((created.metadata as { uid: string }).uid).toBe((live!.metadata as { uid: string }).uid);
    // Not for a dry run, which creates nothing: there AlreadyExists is the answer.
    const dry = await rejection(retrying.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'answer-lost' } }, { dryRun: true }));
    expect([dry.isAlreadyExists, dry.attempts]).toEqual([true, 2]);
  });

  it('creates, patches in three flavours, lists by label in pages, and deletes', async () => {
    for (let i = 0; i < 7; i++) await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { set: 'paged' } }, data: { i: String(i) } });
    const e = await rejection(client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-0' } }));
    expect([e.isAlreadyExists, e.message]).toEqual([true, 'create ConfigMap default/cm-0: AlreadyExists: configmaps "cm-0" already exists']);

    const before = t.requests.length;
    const listed = await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { labelSelector: 'set=paged', pageSize: 3 });
    expect(listed.items.map((o) => (o.metadata as { name: string }).name)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
    expect(t.requests.slice(before).length).toBe(3);
    expect(Number(listed.resourceVersion)).toBeGreaterThan(0);

    const target = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'cm-0' };
    await client.patch(target, { data: { merged: 'yes' } }, { type: 'merge' });
    await client.patch(target, [{ op: 'add', path: '/data/json', value: 'yes' }], { type: 'json' });
    await client.patch(target, { metadata: { labels: { strategic: 'yes' } } }, { type: 'strategic' });
    const patched = await client.get(target);
    expect(patched?.data).toEqual({ i: '0', merged: 'yes', json: 'yes' });
    expect((patched?.metadata as { labels: unknown }).labels).toEqual({ set: 'paged', strategic: 'yes' });
    const failedTest = await rejection(client.patch(target, [{ op: 'test', path: '/data/i', value: 'nope' }], { type: 'json' }));
    expect(failedTest.code).toBeGreaterThanOrEqual(400);
    expect(failedTest.attempts).toBe(1);

    expect(await client.delete(target, { propagationPolicy: 'Background' })).toEqual({ outcome: 'deleted' });
    expect(await client.delete(target)).toEqual({ outcome: 'not-found' });
    expect(await client.get(target)).toBeUndefined();
    const cluster = await client.list({ group: '', version: 'v1', kind: 'Namespace' });
    expect(cluster.items.map((o) => (o.metadata as { name: string }).name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
  });

  it('reports a deletion held by a finalizer as terminating', async () => {
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const target = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'held' };
    const out = await client.delete(target, { propagationPolicy: 'Foreground' });
    expect(out.outcome).toBe('terminating');
    await client.patch(target, { metadata: { finalizers: null } }, { type: 'merge' });
    expect(await client.get(target)).toBeUndefined();
  });

  it('defaults the namespace of namespaced objects and ignores it for cluster-scoped ones', async () => {
    const cm = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nsless' } });
    expect((cm.metadata as { namespace: string }).namespace).toBe('default');
    const ns = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect((ns.metadata as { namespace?: string }).namespace).toBeUndefined();
    expect(await client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'shop', namespace: 'ignored' })).toBeDefined();
  });
});
