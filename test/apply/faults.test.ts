import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ReleasePorts } from '../../src/apply/index.js';
import { SecretReleaseStore } from '../../src/apply/release/store.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

const NS = 'faulty';
const WAVES = 5;
const PER_WAVE = { configMaps: 60, services: 20, deployments: 20 };

function manyObjects(): string {
  const docs: string[] = [];
  for (let w = 0; w < WAVES; w++) {
    const wave = `kd.io/sync-wave: "${w}"`;
    for (let i = 0; i < PER_WAVE.configMaps; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm-${w}-${i}, annotations: { ${wave} } }\ndata: { wave: "${w}", index: "${i}" }\n`);
    for (let i = 0; i < PER_WAVE.services; i++)
      docs.push(`apiVersion: v1\nkind: Service\nmetadata: { name: svc-${w}-${i}, annotations: { ${wave} } }\nspec: { selector: { app: app-${w}-${i} }, ports: [{ port: 80 }] }\n`);
    for (let i = 0; i < PER_WAVE.deployments; i++)
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app-${w}-${i}, annotations: { ${wave} } }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: app-${w}-${i} } }\n  template:\n    metadata: { labels: { app: app-${w}-${i} } }\n    spec: { containers: [{ name: app, image: example/app:${w} }] }\n`,
      );
  }
  const hook = (name: string, phase: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata: { name: ${name}, annotations: { kd.io/hook: ${phase} } }\nspec:\n  backoffLimit: 0\n  template:\n    spec: { restartPolicy: Never, containers: [{ name: task, image: example/task:1 }] }\n`;
  docs.push(hook('before', 'pre-apply'), hook('after', 'post-apply'));
  return docs.join('---\n');
}

describe('under injected faults', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  beforeAll(async () => {
    s = await startApplySim({ podReadyDelayMs: 200, faults: 'seed=7,429=0.03,500=0.02,503=0.02,reset=0.01,retry-after=0,watch-close=1s' });
    ports = releasePorts(s.session.client, s.clock, 'test');
  });
  afterAll(async () => {
    await s.stop();
  });

  it('applies 500 objects in 5 waves with every object correct, one new revision and no hook run twice', { timeout: 30_000 }, async () => {
    const objects = manifests(manyObjects(), NS);
    expect(objects.length).toBe(502);
    const events = await s.apply({ objects, release: { name: 'many', namespace: NS }, timeoutMs: 30 * 60_000, concurrency: 16 }, { ports });
    const done = doneOf(events);
    expect(done.failure).toBeUndefined();
    expect(done).toMatchObject({ status: 'succeeded', revision: 1, counts: { applied: 500, hooks: 2 } });
    // Faults happened and were retried (else this test proves nothing).
    expect(events.filter((e) => e.type === 'retry').length).toBeGreaterThan(10);
    expect(events.filter((e) => e.type === 'hook-started').map((e) => e.type === 'hook-started' && e.ref.name)).toEqual(['before', 'after']);
    expect(events.filter((e) => e.type === 'wave-finished').map((e) => e.type === 'wave-finished' && `${e.wave} ${e.ok}`)).toEqual(['0 true', '1 true', '2 true', '3 true', '4 true']);

    const client = s.session.client;
    const cms = (await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { namespace: NS })).items.filter((c) => (c.metadata as { name: string }).name.startsWith('cm-'));
    expect(cms.length).toBe(WAVES * PER_WAVE.configMaps);
    for (const cm of cms) {
      const [, w, i] = (cm.metadata as { name: string }).name.split('-');
      expect(cm['data']).toEqual({ wave: w, index: i });
    }
    const deployments = (await client.list({ group: 'apps', version: 'v1', kind: 'Deployment' }, { namespace: NS })).items;
    expect(deployments.length).toBe(WAVES * PER_WAVE.deployments);
    for (const d of deployments) expect((d['status'] as { availableReplicas?: number }).availableReplicas).toBe(1);
    expect((await client.list({ group: '', version: 'v1', kind: 'Service' }, { namespace: NS })).items.length).toBe(WAVES * PER_WAVE.services);
    // Each hook Job was created once: one Job, whose controller ran one pod.
    const jobs = (await client.list({ group: 'batch', version: 'v1', kind: 'Job' }, { namespace: NS })).items;
    expect(jobs.map((j) => (j.metadata as { name: string }).name).sort()).toEqual(['after', 'before']);
    for (const j of jobs) expect((j['status'] as { succeeded?: number }).succeeded).toBe(1);
    const store = new SecretReleaseStore({ client, now: () => s.clock.now(), kdVersion: 'test' });
    expect((await store.revisions({ name: 'many', namespace: NS })).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 deployed']);
  });
});
