import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/index.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

function deployment(name: string, podAnnotations: Record<string, string>, extra = ''): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
${extra}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name} }
      annotations: ${JSON.stringify(podAnnotations)}
    spec: { containers: [{ name: app, image: example/app:1 }] }
`;
}

const CLAIM = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations: { sim.kd.io/fail: provisioning }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast-ssd
  resources: { requests: { storage: 5Gi } }
`;

function failedOf(events: readonly ApplyEvent[]): Extract<ApplyEvent, { type: 'object-failed' }> {
  const failed = events.find((e): e is Extract<ApplyEvent, { type: 'object-failed' }> => e.type === 'object-failed');
  if (!failed) throw new Error('no object-failed event');
  return failed;
}

describe('fail fast', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim();
  });
  afterAll(async () => {
    await s.stop();
  });

  // Each case would run into the 10-minute run timeout if kd waited; failing fast ends it in
  // simulated seconds, with the kubelet's (or controller's) reason.
  const cases: Array<{ name: string; mode: string; reason: string; extra?: string; message: RegExp }> = [
    { name: 'crash', mode: 'crashloop', reason: 'CrashLoopBackOff', message: /container app: CrashLoopBackOff/ },
    { name: 'pull', mode: 'image-pull', reason: 'ImagePullBackOff|ErrImagePull', message: /container app: (ImagePullBackOff|ErrImagePull)/ },
    { name: 'config', mode: 'config-error', reason: 'CreateContainerConfigError', message: /CreateContainerConfigError/ },
    { name: 'unsched', mode: 'unschedulable', reason: 'Unschedulable', message: /unschedulable for .*Insufficient cpu/ },
    { name: 'deadline', mode: 'never-ready', reason: 'ProgressDeadlineExceeded', extra: '  progressDeadlineSeconds: 20', message: /timed out progressing/ },
  ];
  for (const c of cases) {
    it(`fails a Deployment whose pods show ${c.reason} before the timeout`, async () => {
      const started = s.clock.now();
      const events = await s.apply({
        objects: manifests(deployment(c.name, { 'sim.kd.io/fail': c.mode }, c.extra), `ff-${c.name}`),
        timeoutMs: 600_000,
        unschedulableGraceMs: 10_000,
      });
      const done = doneOf(events);
      expect(done.status).toBe('failed');
      expect(done.failure?.kind).toBe('health');
      const failed = failedOf(events);
      expect(failed.ref.name).toBe(c.name);
      expect(failed.reason).toMatch(new RegExp(`^(${c.reason})$`));
      expect(failed.message).toMatch(c.message);
      expect(done.failure?.message).toContain(`Deployment ff-${c.name}/${c.name}: Failed`);
      expect(s.clock.now() - started).toBeLessThan(120_000);
      // The wave that failed is reported as failed, and nothing after it started.
      expect(events.filter((e) => e.type === 'wave-finished').map((e) => (e as { ok: boolean }).ok)).toEqual([false]);
    });
  }

  it('reports the latest events of a failed object and its pods', async () => {
    const events = await s.apply({ objects: manifests(deployment('evented', { 'sim.kd.io/fail': 'crashloop' }), 'ff-events'), timeoutMs: 600_000 });
    const failed = failedOf(events);
    expect(failed.events.some((e) => /^Warning BackOff Pod\/evented-/.test(e))).toBe(true);
  });

  it('times out an object that never becomes ready, naming its last status', async () => {
    const events = await s.apply({
      objects: manifests(deployment('slow', { 'sim.kd.io/fail': 'never-ready' }).replace('metadata: { name: slow }', 'metadata: { name: slow, annotations: { kd.io/timeout: 15s } }'), 'ff-timeout'),
      timeoutMs: 600_000,
    });
    const done = doneOf(events);
    expect(done.failure?.kind).toBe('timeout');
    expect(done.failure?.message).toMatch(/^Deployment ff-timeout\/slow: timed out waiting \(still InProgress/);
    // Its kd.io/timeout of 15 s after it was applied, exactly (simulated time).
    const applied = events.find((e) => e.type === 'object-applied' && e.ref.name === 'slow');
    expect(done.at - applied!.at).toBe(15_000);
    expect(done.failure?.hint).toContain('--timeout');
  });

  // Health gets the events it reads: the gate hands the object's Events to computeHealth, so a
  // claim whose provisioning fails is reported with the provisioner's reason.
  it('reports a claim that fails to provision with the event reason', async () => {
    const events = await s.apply({ objects: manifests(CLAIM, 'pvc-fail'), timeoutMs: 30_000 });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.kind).toBe('timeout');
    // The run's 30 s timeout, exactly (simulated time).
    expect(done.at - events[0]!.at).toBe(30_000);
    const changes = events.filter((e): e is Extract<ApplyEvent, { type: 'health-changed' }> => e.type === 'health-changed' && e.ref.name === 'data');
    expect(changes.at(-1)?.message).toMatch(/waiting for the claim to be bound; last warning: ProvisioningFailed: failed to provision volume with StorageClass "fast-ssd"/);
    expect(failedOf(events).message).toContain('last warning: ProvisioningFailed');
  });

  it('leaves a claim that binds without warnings', async () => {
    const events = await s.apply({ objects: manifests(CLAIM.replace('annotations: { sim.kd.io/fail: provisioning }', 'labels: { app: db }'), 'pvc-ok') });
    expect(doneOf(events).status).toBe('succeeded');
    const messages = events.flatMap((e) => (e.type === 'health-changed' ? [e.message] : []));
    expect(messages.join('\n')).not.toContain('last warning');
  });
});
