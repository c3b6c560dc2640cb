import { describe, expect, it } from 'vitest';
import { conflictMessage, fieldSetOf, formatFieldPath, fromFieldsV1, serverSideApply, toFieldsV1, updateManagedFields, type ManagedFieldsEntry } from '../../src/sim/managed-fields.js';
import { cursor } from '../../src/sim/schema-nav.js';
import { loadDoc } from './sim-support.js';

const apps = loadDoc('apps/v1');
const schema = () => cursor(apps, apps.components.schemas['io.k8s.api.apps.v1.Deployment']);
const T = '2026-01-01T00:00:00Z';

function deploy(replicas: number, image = 'nginx:1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] } }, ...extra },
  };
}

function withManaged(obj: Record<string, unknown>, managed: ManagedFieldsEntry[]): Record<string, unknown> {
  return { ...obj, metadata: { ...(obj.metadata as object), managedFields: managed } };
}

const apply = (live: Record<string, unknown> | undefined, cfg: Record<string, unknown>, manager: string, force = false) =>
  serverSideApply(live, cfg, schema(), { manager, apiVersion: 'apps/v1', time: T }, force);

describe('field sets', () => {
  it('keys list-map items by their keys, filling defaulted keys, and round-trips through fieldsV1', () => {
    const r = apply(undefined, deploy(2), 'kubectl');
    const fields = r.managedFields[0]!.fieldsV1;
    expect(fields).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
              },
            },
          },
        },
      },
    });
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it('leaves server-owned metadata and status out', () => {
    const set = fieldSetOf({ metadata: { name: 'x', uid: 'u', resourceVersion: '1', labels: { a: 'b' } }, status: { replicas: 1 }, spec: { replicas: 1 } }, schema());
    expect([...set].map((p) => p.split('\u0000').join('/')).sort()).toEqual(['f:metadata/f:labels/f:a', 'f:spec/f:replicas']);
  });

  it('formats paths as the API server prints them', () => {
    expect(formatFieldPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe('.spec.template.spec.containers[name="web"].image');
  });
});

describe('server-side apply', () => {
  it('creates with one Apply entry per manager', () => {
    const r = apply(undefined, deploy(2), 'kubectl');
    expect(r.conflicts).toEqual([]);
    expect(r.managedFields.map((e) => [e.manager, e.operation, e.time])).toEqual([['kubectl', 'Apply', T]]);
    expect((r.object.spec as { replicas: number }).replicas).toBe(2);
  });

  it('shares ownership when two appliers set the same value, and conflicts when the value differs', () => {
    const first = apply(undefined, deploy(2), 'a');
    const live = withManaged(first.object, first.managedFields);
    const same = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }, 'b');
    expect(same.conflicts).toEqual([]);
    const owners = same.managedFields.filter((e) => fromFieldsV1(e.fieldsV1).has('f:spec\u0000f:replicas')).map((e) => e.manager);
    expect(owners).toEqual(['a', 'b']);
    const differ = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, 'b');
    expect(differ.conflicts.map((c) => [c.manager, formatFieldPath(c.path)])).toEqual([['"a"', '.spec.replicas']]);
    expect(conflictMessage(differ.conflicts)).toBe('Apply failed with 1 conflict: conflict with "a": .spec.replicas');
  });

  it('names an Update manager with its apiVersion and lists several conflicts by manager', () => {
    const created = withManaged(deploy(2), updateManagedFields(undefined, deploy(2), schema(), { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: T }));
    const r = apply(created, deploy(3, 'nginx:2'), 'kubectl');
    expect(conflictMessage(r.conflicts)).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('force transfers the conflicting fields to the applier', () => {
    const first = apply(undefined, deploy(2), 'a');
    const live = withManaged(first.object, first.managedFields);
    const r = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, 'b', true);
    expect(r.conflicts).toEqual([]);
    expect((r.object.spec as { replicas: number }).replicas).toBe(5);
    const a = r.managedFields.find((e) => e.manager === 'a')!;
    const b = r.managedFields.find((e) => e.manager === 'b')!;
    expect(fromFieldsV1(a.fieldsV1).has('f:spec\u0000f:replicas')).toBe(false);
    expect(fromFieldsV1(b.fieldsV1).has('f:spec\u0000f:replicas')).toBe(true);
  });

  it('removes a field its only applier stopped applying, and keeps one another manager owns', () => {
    const first = apply(undefined, deploy(2, 'nginx:1', { minReadySeconds: 5, paused: false }), 'a');
    let live = withManaged(first.object, first.managedFields);
    const other = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { paused: false } }, 'b');
    live = withManaged(other.object, other.managedFields);
    const r = apply(live, deploy(2), 'a');
    const spec = r.object.spec as Record<string, unknown>;
    expect(spec.minReadySeconds).toBeUndefined();
    expect(spec.paused).toBe(false);
  });

  it('removes a list item nobody applies any more', () => {
    const two = deploy(1);
    (two.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers.push({ name: 'side', image: 'busybox' });
    const first = apply(undefined, two, 'a');
    const r = apply(withManaged(first.object, first.managedFields), deploy(1), 'a');
    const containers = (r.object.spec as { template: { spec: { containers: Array<{ name: string }> } } }).template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['web']);
  });
});

describe('update ownership', () => {
  it('gives the writer the fields it changed and takes them from the previous owner', () => {
    const first = apply(undefined, deploy(2), 'a');
    const live = withManaged(first.object, first.managedFields);
    const next = deploy(4);
    const managed = updateManagedFields(live, next, schema(), { manager: 'kubectl-scale', apiVersion: 'apps/v1', time: T, subresource: 'scale' });
    const scale = managed.find((e) => e.manager === 'kubectl-scale')!;
    expect(scale).toMatchObject({ operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(fromFieldsV1(managed.find((e) => e.manager === 'a')!.fieldsV1).has('f:spec\u0000f:replicas')).toBe(false);
  });
});
