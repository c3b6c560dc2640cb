/**
 * The watch's drift of one object (plugin/watch/live-drift.ts): three-way from src/drift, the
 * owner of a drifted field from managedFields, server defaults and other managers' fields not
 * drift, Secret values never shown, and `d`'s live → files diff saying `in sync` when they agree.
 */
import { describe, expect, it } from 'vitest';
import { entriesOf, liveDiffLines, liveDrift, type LiveDriftInput } from '../../plugin/watch/live-drift.js';
import type { KubeObject } from '../../src/index.js';

const ref = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const desired: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'ghcr.io/shop/web:1.4.2', ports: [{ containerPort: 8080 }] }] } } },
};

/** The object as the API server stores it after kd's apply: defaults filled in, kd's managedFields. */
function liveOf(replicas: number, extra: Array<Record<string, unknown>> = []): KubeObject {
  return {
    ...desired,
    metadata: {
      ...(desired.metadata as object),
      uid: '5b1c2f0e-8d1e-4f7a-9d8e-2b1f6c0a9e11',
      resourceVersion: '1042',
      generation: 2,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      managedFields: [
        {
          manager: 'kubectl-kd',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          time: '2026-12-05T00:10:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              ...(extra.length === 0 ? { 'f:replicas': {} } : {}),
              'f:selector': {},
              'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } } },
            },
          },
        },
        ...extra,
      ],
    },
    spec: {
      ...(desired.spec as object),
      replicas,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'ghcr.io/shop/web:1.4.2', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
      },
    },
    status: { replicas, readyReplicas: replicas, observedGeneration: 2 },
  };
}

const scaledByKubectl = { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: '2026-12-05T00:12:03Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' };
const input = (live: KubeObject | undefined, files = desired): LiveDriftInput => ({ ref, desired: files, applied: desired, live, salt: 'test' });

describe('live drift', () => {
  it('server defaults, status and other fields are not drift: in sync, and d says so', () => {
    expect(liveDrift(input(liveOf(3)))).toBeUndefined();
    expect(liveDiffLines(input(liveOf(3)))).toEqual([expect.stringMatching(/^in sync/)]);
  });

  it('kubectl scale: drifted, owned by kubectl (Update, scale subresource) at its time; d shows live → files', () => {
    const live = liveOf(6, [scaledByKubectl]);
    const entries = entriesOf(liveDrift(input(live)));
    expect(entries).toEqual([{ ref, class: 'drifted', path: 'spec.replicas', desired: '3', applied: '3', live: '6', owner: { manager: 'kubectl', operation: 'Update', subresource: 'scale', time: '2026-12-05T00:12:03Z' } }]);
    const lines = liveDiffLines(input(live));
    expect(lines.slice(0, 2)).toEqual(['--- live Deployment shop/web', '+++ desired Deployment shop/web']);
    expect(lines).toContain('-  replicas: 6');
    expect(lines).toContain('+  replicas: 3');
    expect(lines.join('\n')).not.toMatch(/progressDeadlineSeconds|managedFields|status/);
  });

  it('files changed, cluster as applied: pending; both changed differently: conflict', () => {
    const files = { ...desired, spec: { ...(desired.spec as object), replicas: 4 } };
    expect(entriesOf(liveDrift(input(liveOf(3), files))).map((e) => [e.class, e.path])).toEqual([['pending', 'spec.replicas']]);
    expect(entriesOf(liveDrift(input(liveOf(6, [scaledByKubectl]), files))).map((e) => [e.class, e.path, e.owner?.manager])).toEqual([['conflict', 'spec.replicas', 'kubectl']]);
  });

  it('deleted in the cluster: missing; d says it is not there (never a /dev/null diff)', () => {
    expect(entriesOf(liveDrift(input(undefined)))).toEqual([{ ref, class: 'missing', path: '' }]);
    expect(liveDiffLines(input(undefined))).toEqual([expect.stringMatching(/^not in the cluster/)]);
    expect(liveDiffLines(undefined)).toEqual(['not applied yet in this watch']);
  });

  it('a cluster-scoped object (the Namespace) compares like any other', () => {
    const nsRef = { group: '', version: 'v1', kind: 'Namespace', name: 'shop' };
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } };
    const live: KubeObject = { ...ns, metadata: { name: 'shop', labels: { team: 'shop', 'kubernetes.io/metadata.name': 'shop' }, uid: 'u' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    expect(liveDiffLines({ ref: nsRef, desired: ns, applied: ns, live, salt: 's' })).toEqual([expect.stringMatching(/^in sync/)]);
    const labelled = { ...live, metadata: { ...(live.metadata as object), labels: { team: 'payments', 'kubernetes.io/metadata.name': 'shop' } } };
    expect(entriesOf(liveDrift({ ref: nsRef, desired: ns, applied: ns, live: labelled, salt: 's' })).map((e) => [e.class, e.path, e.live])).toEqual([['drifted', 'metadata.labels.team', '"payments"']]);
  });

  it('kubectl label during the watch is foreign, by kubectl; controllers\' fields and older writes are not', () => {
    const labelled = liveOf(3, [
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2026-12-05T00:12:10Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } } } },
      { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', time: '2026-12-05T00:12:30Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } } } },
    ]);
    (labelled.metadata as { labels: Record<string, string> }).labels = { app: 'web', tier: 'gold' };
    // kd still owns replicas here, so the first entry stays kd's (the fixture drops it only for a scale).
    (labelled.metadata as { managedFields: Array<{ fieldsV1: { 'f:spec': Record<string, unknown> } }> }).managedFields[0]!.fieldsV1['f:spec']['f:replicas'] = {};
    const during = entriesOf(liveDrift({ ...input(labelled), foreignSince: '2026-12-05T00:12:00Z' }));
    expect(during.map((e) => [e.class, e.path, e.live, e.owner?.manager])).toEqual([['foreign', 'metadata.labels.tier', '"gold"', 'kubectl-label']]);
    expect(liveDrift({ ...input(labelled), foreignSince: '2026-12-05T00:13:00Z' })).toBeUndefined();
    expect(liveDrift(input(labelled))).toBeUndefined();
  });

  it('a Secret value changed is drift without either value on screen', () => {
    const sref = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' };
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data: { password: 'c2VjcmV0LTE=' } };
    const live: KubeObject = { ...secret, data: { password: 'b3RoZXItdmFsdWU=' } };
    const entries = entriesOf(liveDrift({ ref: sref, desired: secret, applied: secret, live, salt: 's' }));
    expect(entries.map((e) => [e.class, e.path])).toEqual([['drifted', 'data.password']]);
    const lines = liveDiffLines({ ref: sref, desired: secret, applied: secret, live, salt: 's' });
    expect(JSON.stringify([entries, lines])).not.toMatch(/c2VjcmV0|b3RoZXI|secret-1|other-value/);
  });
});
