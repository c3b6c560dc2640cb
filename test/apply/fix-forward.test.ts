/**
 * Fix-forward: a Deployment whose revision 1 crash-loops, then a revision 2 that fixes it. With
 * `maxUnavailable: 0` the old crashing pods stay while the new ones start, so a gate that judged
 * every pod of the selector would fail the fix (and `--atomic` would roll the fix back). Fail-fast
 * and health look only at the new ReplicaSet's pods. (A StatefulSet with OrderedReady does not
 * replace a broken pod by itself, in kd sim as in Kubernetes, so it has no such sequence; its
 * update-revision matching is covered in rollout-pods.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePorts, type ReleasePorts } from '../../src/apply/index.js';
import { SecretReleaseStore } from '../../src/apply/release/index.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

function deployment(image: string, podAnnotations: Record<string, string>): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  strategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
      annotations: ${JSON.stringify({ 'sim.kd.io/ready-after': '2s', ...podAnnotations })}
    spec: { containers: [{ name: web, image: ${image} }] }
`;
}

describe('fix-forward after a crash loop', () => {
  let s: ApplySim;
  let ports: ReleasePorts;
  beforeAll(async () => {
    s = await startApplySim();
    ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
  });
  afterAll(async () => {
    await s.stop();
  });

  for (const atomic of [false, true]) {
    it(`a fixed Deployment succeeds while the old ReplicaSet's pods still crash${atomic ? ' (--atomic)' : ''}`, async () => {
      const ns = `fix-forward${atomic ? '-atomic' : ''}`;
      const release = { name: 'web', namespace: ns };
      const broken = await s.apply({ objects: manifests(deployment('example/web:1', { 'sim.kd.io/fail': 'crashloop' }), ns), release, atomic }, { ports });
      expect(doneOf(broken)).toMatchObject({ status: 'failed', failure: { kind: 'health' } });
      expect(doneOf(broken).failure?.message).toContain('CrashLoopBackOff');
      const fixed = await s.apply({ objects: manifests(deployment('example/web:2', {}), ns), release, atomic }, { ports });
      const failed = fixed.filter((e) => e.type === 'object-failed');
      expect(failed).toEqual([]);
      expect(doneOf(fixed)).toMatchObject({ status: 'succeeded', revision: 2 });
      const live = await s.session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web' });
      expect((live?.['spec'] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image).toBe('example/web:2');
      const store = new SecretReleaseStore({ client: s.session.client, now: () => s.clock.now(), kdVersion: 'test' });
      expect((await store.revisions(release)).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 failed', '2 deployed']);
    });
  }

  it('still fails fast when the new revision itself crash-loops', async () => {
    const ns = 'fix-forward-still-broken';
    const release = { name: 'web', namespace: ns };
    expect(doneOf(await s.apply({ objects: manifests(deployment('example/web:1', {}), ns), release }, { ports })).status).toBe('succeeded');
    const started = s.clock.now();
    const broken = await s.apply({ objects: manifests(deployment('example/web:2', { 'sim.kd.io/fail': 'crashloop' }), ns), release, timeoutMs: 600_000 }, { ports });
    expect(doneOf(broken)).toMatchObject({ status: 'failed', failure: { kind: 'health' } });
    expect(s.clock.now() - started).toBeLessThan(120_000);
  });
});
