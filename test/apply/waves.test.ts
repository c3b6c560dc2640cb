import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doneOf, eventLines, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

const threeWaves = `
apiVersion: v1
kind: ConfigMap
metadata: { name: config, annotations: { kd.io/sync-wave: "-1" } }
data: { a: "1" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db }
spec:
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db }, annotations: { sim.kd.io/ready-after: 3s } }
    spec: { containers: [{ name: db, image: postgres:16 }] }
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { selector: { app: db }, ports: [{ port: 5432 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, annotations: { kd.io/sync-wave: "1" } }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.27 }] }
`;

describe('waves', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('starts wave N+1 only after every object of wave N is healthy', async () => {
    const events = await s.apply({ objects: manifests(threeWaves, 'waves') });
    expect(doneOf(events)).toMatchObject({ status: 'succeeded' });
    const lines = eventLines(events, ['wave-started', 'wave-finished', 'object-applied', 'health-changed', 'done']);
    const index = (line: string) => {
      const i = lines.indexOf(line);
      expect(i, line).toBeGreaterThanOrEqual(0);
      return i;
    };
    // wave 0: the db Deployment becomes Current before wave 0 finishes and wave 1 starts.
    expect(index('health Deployment db Current')).toBeLessThan(index('wave-finished 0 ok'));
    expect(index('wave-finished 0 ok')).toBeLessThan(index('wave-started 1'));
    expect(index('wave-finished -1 ok')).toBeLessThan(index('wave-started 0'));
    expect(index('applied create Deployment web')).toBeGreaterThan(index('wave-started 1'));
    // In a wave, kinds go in install order: the Service before the Deployment.
    expect(index('applied create Service db')).toBeLessThan(index('applied create Deployment db'));
    // The namespace did not exist: kd created it before the first object in it.
    expect(lines[lines.findIndex((l) => l.startsWith('applied'))]).toBe('applied namespace-created Namespace waves');
    expect(lines.at(-1)).toBe('done succeeded');
    const db = await s.session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'waves', name: 'db' });
    expect((db?.['status'] as { readyReplicas?: number }).readyReplicas).toBe(2);
  });
});
