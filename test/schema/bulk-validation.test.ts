/**
 * Validating many distinct objects against one registry: every valid one passes, and one broken
 * object among thousands is reported, alone and under its own name (compiled validators are
 * shared across objects, so nothing of one object may leak into the next). How fast this is is
 * measured by bench/schema.mjs, never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { SchemaRegistry, validateManifest } from '../../src/schema/index.js';
import type { Manifest } from '../../src/model/index.js';
import { source } from './run-fixture.js';

function deployment(i: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `web-${i}`, namespace: 'shop', labels: { app: `web-${i}`, tier: 'frontend' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: `web-${i}` } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: `web-${i}` } },
        spec: {
          containers: [
            {
              name: 'web',
              image: `nginx:1.${i % 30}`,
              ports: [{ containerPort: 80, name: 'http' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '1Gi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            },
            { name: 'sidecar', image: 'busybox', args: ['sleep', 'infinity'] },
          ],
        },
      },
    },
  };
}

function service(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `web-${i}`, namespace: 'shop' },
    spec: { type: 'ClusterIP', selector: { app: `web-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

const nowhere = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function manifest(object: Record<string, unknown>, i: number): Manifest {
  const [group, version] = (object.apiVersion as string).includes('/') ? (object.apiVersion as string).split('/') : ['', object.apiVersion as string];
  const meta = object.metadata as { name: string; namespace: string };
  return {
    object,
    ref: { group: group!, version: version!, kind: object.kind as string, name: meta.name, namespace: meta.namespace },
    file: 'bench.yaml',
    documentIndex: i,
    locate: () => nowhere,
  };
}

describe('validating many objects', () => {
  it('passes 2,000 distinct Deployments and Services and reports the one broken among them', async () => {
    const objects = Array.from({ length: 2_000 }, (_, i) => (i % 2 === 0 ? deployment(i) : service(i)));
    const broken = objects[1_000]! as { spec: { replicas: unknown } };
    broken.spec.replicas = 'three';
    const manifests = objects.map((o, i) => manifest(o, i));
    const registry = new SchemaRegistry([source]);
    await registry.prepare(manifests.map((m) => m.ref));
    const found = manifests.flatMap((m) => validateManifest(m, registry, { strict: true }).map((d) => ({ name: m.ref.name, message: d.message })));
    expect(found.map((f) => f.name)).toEqual(['web-1000']);
    expect(found[0]!.message).toMatch(/replicas/);
  });
});
