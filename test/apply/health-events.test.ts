/**
 * Health gets the events it reads: during apply, the health gate hands the object's Events to
 * computeHealth, so a claim whose provisioning fails (kd sim's `sim.kd.io/fail: provisioning`)
 * is reported with the provisioner's reason rather than a bare "waiting to be bound".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/index.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

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

describe('health with events during apply', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim({ speed: 50 });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('reports a claim that fails to provision with the event reason', async () => {
    const events = await s.apply({ objects: manifests(CLAIM, 'pvc-fail'), timeoutMs: 30_000 });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.kind).toBe('timeout');
    const changes = events.filter((e): e is Extract<ApplyEvent, { type: 'health-changed' }> => e.type === 'health-changed' && e.ref.name === 'data');
    expect(changes.at(-1)?.message).toMatch(/waiting for the claim to be bound; last warning: ProvisioningFailed: failed to provision volume with StorageClass "fast-ssd"/);
    const failed = events.find((e): e is Extract<ApplyEvent, { type: 'object-failed' }> => e.type === 'object-failed');
    expect(failed?.message).toContain('last warning: ProvisioningFailed');
  });

  it('leaves a claim that binds without warnings', async () => {
    const events = await s.apply({ objects: manifests(CLAIM.replace('annotations: { sim.kd.io/fail: provisioning }', 'labels: { app: db }'), 'pvc-ok') });
    expect(doneOf(events).status).toBe('succeeded');
    const messages = events.flatMap((e) => (e.type === 'health-changed' ? [e.message] : []));
    expect(messages.join('\n')).not.toContain('last warning');
  });
});
