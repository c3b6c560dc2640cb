import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, renderPlanText, type ApplyEvent, type ReleasePorts } from '../../src/index.js';
import { formatEventJsonl } from '../../plugin/output/events-jsonl.js';
import { doneOf, eventLines, fixture, fixturesDir, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

const crd = readFileSync(path.resolve(fixturesDir, '../../../examples/shop/30-crd.yaml'), 'utf8');
const promotion = `
apiVersion: shop.example.com/v1
kind: Promotion
metadata: { name: spring }
spec: { code: SPRING25, discountPercent: 25 }
`;

const secretApp = `
apiVersion: v1
kind: Secret
metadata: { name: creds }
stringData: { password: hunter2, user: app }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
`;

function planOf(events: readonly ApplyEvent[]) {
  const plan = events.find((e) => e.type === 'plan');
  if (!plan || plan.type !== 'plan') throw new Error('no plan event');
  return plan.plan;
}

describe('CRDs, dry runs and diffs', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, 'test');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('applies a CRD and its custom resources in one run and one wave, waiting for Established first', async () => {
    const events = await s.apply({ objects: manifests(`${crd}\n---\n${promotion}`, 'crd-one-run') });
    expect(doneOf(events).failure).toBeUndefined();
    const lines = eventLines(events, ['object-applied', 'health-changed']);
    const established = lines.indexOf('health CustomResourceDefinition promotions.shop.example.com Current');
    expect(established).toBeGreaterThan(lines.indexOf('applied create CustomResourceDefinition promotions.shop.example.com'));
    expect(lines.indexOf('applied create Promotion spring')).toBeGreaterThan(established);
    const cr = await s.session.client.get({ group: 'shop.example.com', version: 'v1', kind: 'Promotion', namespace: 'crd-one-run', name: 'spring' });
    expect(cr?.['spec']).toEqual({ code: 'SPRING25', discountPercent: 25 });
  });

  it('--dry-run=client reports the plan and writes nothing', async () => {
    const events = await s.apply({ objects: manifests(secretApp, 'dry-client'), release: { name: 'dry', namespace: 'dry-client' }, dryRun: 'client' }, { ports });
    expect(doneOf(events).status).toBe('succeeded');
    expect(renderPlanText(planOf(events))).toBe(fixture('dry-run-client-plan.txt'));
    expect(eventLines(events)).toEqual(['plan', 'done succeeded']);
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'dry-client' })).toBeUndefined();
  });

  it('--dry-run=server sends each object as a server-side dry run and stores nothing', async () => {
    await s.session.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dry-server' } });
    const events = await s.apply({ objects: manifests(secretApp, 'dry-server'), dryRun: 'server' });
    expect(doneOf(events).status).toBe('succeeded');
    expect(events.filter((e) => e.type === 'object-applied').map((e) => e.type === 'object-applied' && `${e.ref.kind} ${String(e.dryRun)}`)).toEqual(['Secret true', 'ConfigMap true']);
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: 'dry-server', name: 'creds' })).toBeUndefined();
  });

  it('--diff prints unified diffs with Secret values masked', async () => {
    const ns = 'diffed';
    await s.apply({ objects: manifests(secretApp, ns), release: { name: 'diffed', namespace: ns } }, { ports });
    const changed = secretApp.replace('password: hunter2', 'password: correct-horse').replace('mode: fast', 'mode: slow');
    const events = await s.apply({ objects: manifests(changed, ns), release: { name: 'diffed', namespace: ns }, diff: true }, { ports });
    expect(doneOf(events).status).toBe('succeeded');
    const diffs = events.flatMap((e) => (e.type === 'diff' ? [e.diff] : []));
    const all = diffs.join('');
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('correct-horse');
    expect(all).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(all).not.toContain(Buffer.from('correct-horse').toString('base64'));
    const secretDiff = diffs.find((d) => d.includes('Secret diffed/creds'))!;
    // A changed value is a changed line of salted hashes; an unchanged one is context.
    const before = /^-  password: "?(\*\*\* #[0-9a-f]{8})"?$/m.exec(secretDiff)?.[1];
    const after = /^\+  password: "?(\*\*\* #[0-9a-f]{8})"?$/m.exec(secretDiff)?.[1];
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(before).not.toBe(after);
    expect(secretDiff).toMatch(/^ {3}user: "?\*\*\* #[0-9a-f]{8}"?$/m);
    expect(diffs.find((d) => d.includes('ConfigMap diffed/settings'))).toContain('-  mode: fast\n+  mode: slow\n');
  });

  it('--diff masks Secret values inside kubectl\'s last-applied annotation and inside any annotation holding a Secret\'s JSON', async () => {
    const ns = 'diff-last-applied';
    const release = { name: 'lastapplied', namespace: ns };
    await s.session.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // What `kubectl apply -f` (client side) leaves: the object as applied, values in clear, in an annotation.
    const applied = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, stringData: { password: 'hunter2' } };
    await s.session.client.create({ ...applied, metadata: { ...applied.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) } } });
    const stash = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other' }, data: { token: Buffer.from('tok-s3cr3t').toString('base64') } });
    await s.session.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns, annotations: { 'example.com/applied': stash } }, data: { mode: 'fast' } });
    const files = `
apiVersion: v1
kind: Secret
metadata: { name: creds }
stringData: { password: correct-horse }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: slow }
`;
    // Dry runs first: after the real run nothing is left to change.
    for (const dryRun of ['server', 'client', 'none'] as const) {
      const events = await s.apply({ objects: manifests(files, ns), release, diff: true, dryRun, forceConflicts: true }, { ports });
      expect(doneOf(events).status).toBe('succeeded');
      const diffs = events.flatMap((e) => (e.type === 'diff' ? [e.diff] : []));
      expect([dryRun, diffs.length]).toEqual([dryRun, 2]);
      const out = events.map((e) => formatEventJsonl(e)).join('') + diffs.join('');
      for (const secret of ['hunter2', 'correct-horse', 'tok-s3cr3t', Buffer.from('tok-s3cr3t').toString('base64'), Buffer.from('hunter2').toString('base64')]) expect(out).not.toContain(secret);
    }
  });

  it('--diff shows only what the apply changes: no finalizers, namespace label, last-applied annotation or key order (client, server and real runs)', async () => {
    const ns = 'diff-noise';
    const release = { name: 'noise', namespace: ns };
    const crdText = (order: 'file' | 'server', extra: string) =>
      order === 'server'
        ? `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.noise.example.com\nspec:\n  group: noise.example.com\n  names:\n    kind: Widget\n    plural: widgets\n${extra}  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: { type: integer }\n`
        : `kind: CustomResourceDefinition\napiVersion: apiextensions.k8s.io/v1\nspec:\n  versions:\n    - schema:\n        openAPIV3Schema:\n          properties:\n            spec:\n              properties:\n                size: { type: integer }\n              type: object\n          type: object\n      storage: true\n      served: true\n      name: v1\n  scope: Namespaced\n  names:\n${extra}    plural: widgets\n    kind: Widget\n  group: noise.example.com\nmetadata:\n  name: widgets.noise.example.com\n`;
    // The cluster as others left it: a namespace created by the API (finalizers, name label), a
    // ConfigMap from `kubectl apply` (last-applied annotation), the CRD as the server orders its keys.
    await s.session.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'fast' } };
    await s.session.client.create({ ...cm, metadata: { ...cm.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(cm) } } });
    await s.session.client.create(manifests(crdText('server', ''), ns)[0]!.object);
    const liveNs = await s.session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: ns });
    expect(JSON.stringify(liveNs)).toContain('kubernetes.io/metadata.name');

    const files = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: { team: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: slow }\n---\n${crdText('file', '    shortNames: [wd]\n')}`;
    for (const dryRun of ['client', 'server', 'none'] as const) {
      const events = await s.apply({ objects: manifests(files, ns), release, diff: true, dryRun, forceConflicts: true }, { ports });
      expect(doneOf(events).status).toBe('succeeded');
      const diffs = new Map(events.flatMap((e) => (e.type === 'diff' ? [[e.ref.kind, e.diff] as const] : [])));
      // The release's membership label is a real change (every run shows it): set aside here.
      const changed = (kind: string) => (diffs.get(kind) ?? '').split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l) && !l.includes('applyset.kubernetes.io/part-of') && l !== '+  labels:');
      expect([dryRun, changed('Namespace')]).toEqual([dryRun, ['+    team: a']]);
      expect([dryRun, changed('ConfigMap')]).toEqual([dryRun, ['-  mode: fast', '+  mode: slow']]);
      expect([dryRun, changed('CustomResourceDefinition')]).toEqual([dryRun, ['+    shortNames:', '+      - wd']]);
    }
  });

  it('--dry-run=server of a first install: objects in a namespace or of a CRD the apply creates are reported as not checked, not as failures', async () => {
    const files = `
apiVersion: v1
kind: Namespace
metadata: { name: dry-first }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.dry.example.com }
spec:
  group: dry.example.com
  names: { kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: { kd.io/hook: pre-apply }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: m, image: busybox:1.36 }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: dry.example.com/v1
kind: Gadget
metadata: { name: g1 }
spec: { size: 3 }
`;
    const events = await s.apply({ objects: manifests(files, 'dry-first'), dryRun: 'server' });
    expect(doneOf(events).status).toBe('succeeded');
    const applied = events.flatMap((e) => (e.type === 'object-applied' ? [`${e.ref.kind} ${e.unchecked ?? 'checked'}`] : []));
    expect(applied.sort()).toEqual([
      'ConfigMap not checked by the server: namespace dry-first does not exist yet (this apply creates it)',
      'CustomResourceDefinition checked',
      'Gadget not checked by the server: its CustomResourceDefinition is created by this apply',
      'Namespace checked',
    ]);
    const hook = events.find((e) => e.type === 'hook-finished');
    expect(hook?.type === 'hook-finished' && [hook.ok, hook.message]).toEqual([true, 'dry run: not run, not checked by the server: namespace dry-first does not exist yet (this apply creates it)']);
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'dry-first' })).toBeUndefined();
    expect(await s.session.client.get({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: 'gadgets.dry.example.com' })).toBeUndefined();
  });

  it('--dry-run=server still fails on what the real apply would fail on: a kind no CRD in the run or cluster serves, an invalid name in an existing namespace', async () => {
    const unknownKind = await s.apply({ objects: manifests('apiVersion: nowhere.example.com/v1\nkind: Thing\nmetadata: { name: t }\n', 'default'), dryRun: 'server' });
    expect(doneOf(unknownKind).status).toBe('failed');
    expect(doneOf(unknownKind).failure?.message).toMatch(/does not serve kind Thing/);
    const invalid = await s.apply({ objects: manifests('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: Not_A_DNS_Name }\n', 'default'), dryRun: 'server' });
    expect(doneOf(invalid).status).toBe('failed');
    expect(invalid.some((e) => e.type === 'object-applied' && e.unchecked !== undefined)).toBe(false);
  });
});
