import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../src/sim/strategic-merge-patch.js';
import { cursor } from '../../src/sim/schema-nav.js';
import type { OpenApiDocument } from '../../src/schema/types.js';
import { loadDoc } from './sim-support.js';

const apps = loadDoc('apps/v1');
const deploymentSchema = () => cursor(apps, apps.components.schemas['io.k8s.api.apps.v1.Deployment']);

const base = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['--x', '--y'] },
          { name: 'side', image: 'busybox' },
        ],
      },
    },
  },
};

describe('strategic merge patch', () => {
  it('merges containers by name and keeps unmentioned fields', () => {
    const out = applyStrategicMergePatch(base, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } }, deploymentSchema()) as typeof base;
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['--x', '--y'] },
      { name: 'side', image: 'busybox' },
    ]);
  });

  it('replaces lists without a merge strategy (args) and deletes keys set to null', () => {
    const out = applyStrategicMergePatch(base, { metadata: { labels: { tier: null } }, spec: { template: { spec: { containers: [{ name: 'web', args: ['--z'] }] } } } }, deploymentSchema()) as typeof base;
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.template.spec.containers[0]!.args).toEqual(['--z']);
  });

  it('$patch: delete removes a list item by merge key; $patch: replace replaces a map', () => {
    const out = applyStrategicMergePatch(
      base,
      { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } }, strategy: { $patch: 'replace', type: 'Recreate' } } },
      deploymentSchema(),
    ) as typeof base;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('$setElementOrder reorders merged items the way kubectl apply sends it', () => {
    const patch: Record<string, unknown> = {
      spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'C', value: '3' }], '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }, { name: 'B' }] }] } } },
    };
    const out = applyStrategicMergePatch(base, patch, deploymentSchema()) as typeof base;
    expect(out.spec.template.spec.containers[0]!.env!.map((e) => e.name)).toEqual(['C', 'A', 'B']);
  });

  it('$retainKeys drops the keys not listed (strategy type switch)', () => {
    const out = applyStrategicMergePatch(base, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema()) as typeof base;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('$deleteFromPrimitiveList removes values from a merged primitive list', () => {
    const doc: OpenApiDocument = {
      paths: {},
      components: {
        schemas: {
          T: { type: 'object', properties: { finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' } } },
        },
      },
    };
    const out = applyStrategicMergePatch({ finalizers: ['a', 'b', 'c'] }, { '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['d'] }, cursor(doc, doc.components.schemas.T));
    expect(out).toEqual({ finalizers: ['a', 'c', 'd'] });
  });
});
