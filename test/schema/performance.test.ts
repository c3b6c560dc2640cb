/**
 * Validation cost per object: 10,000 Deployments and Services (every one distinct) against the
 * 1.35 documents. The budget is ~20 µs per object; the assertion leaves room for slow machines,
 * the measured figure is printed.
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

describe('validation performance', () => {
  it('validates 10,000 Deployments and Services well within budget', async () => {
    const manifests = Array.from({ length: 10_000 }, (_, i) => manifest(i % 2 === 0 ? deployment(i) : service(i), i));
    const registry = new SchemaRegistry([source]);
    await registry.prepare(manifests.map((m) => m.ref));
    validateManifest(manifests[0]!, registry, { strict: true }); // compile outside the timing
    validateManifest(manifests[1]!, registry, { strict: true });
    const start = performance.now();
    let problems = 0;
    for (const m of manifests) problems += validateManifest(m, registry, { strict: true }).length;
    const perObject = ((performance.now() - start) * 1000) / manifests.length;
    console.log(`schema validation: ${perObject.toFixed(1)} µs per object`);
    expect(problems).toBe(0);
    expect(perObject).toBeLessThan(100);
  });
});
