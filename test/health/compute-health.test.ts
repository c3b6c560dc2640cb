/**
 * computeHealth beyond the one-line fixtures: NotFound, ready counts, the Unschedulable grace
 * period and clock, which pods count, determinism, the gate read from annotations, and that no
 * input makes it throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeHealth, healthGate, isTerminalReason, kindHasPods, unschedulableDueAt, type HealthResult } from '../../src/health/index.js';
import type { KubeObject } from '../../src/model/index.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

const deployment = (status: Record<string, unknown>, spec: Record<string, unknown> = { replicas: 3 }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', generation: 1 },
  spec,
  status: { observedGeneration: 1, ...status },
});

const waitingPod = (name: string, reason: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  status: { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason, message: `${reason} for ${name}` } } }] },
});

const unschedulablePod = (since: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1' },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: since, message: '0/1 nodes are available' }] },
});

const rolling = deployment({ replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1 });

describe('computeHealth', () => {
  it('reports NotFound when there is no object', () => {
    expect(computeHealth(undefined).state).toBe('NotFound');
    expect(computeHealth(null).state).toBe('NotFound');
  });

  it('reports ready against desired replicas for a rolling Deployment', () => {
    expect(computeHealth(rolling).ready).toEqual({ ready: 1, desired: 3 });
  });

  it('keeps the ready counts when a pod fails the Deployment fast', () => {
    const h = computeHealth(rolling, { now: NOW, pods: [waitingPod('web-a', 'CrashLoopBackOff')] });
    expect(h).toMatchObject({ state: 'Failed', reason: 'CrashLoopBackOff', failFast: true, ready: { ready: 1, desired: 3 } });
  });

  it('does not fail an Unschedulable pod fast when it cannot tell since when', () => {
    const pod = unschedulablePod('not a time');
    expect(computeHealth(rolling, { now: NOW, pods: [pod] }).state).toBe('InProgress');
    expect(computeHealth(pod, { now: NOW }).reason).toBe('Unschedulable');
    expect(computeHealth(pod, { now: NOW }).state).toBe('InProgress');
  });

  it('honours a longer Unschedulable grace period', () => {
    const pods = [unschedulablePod('2025-06-01T11:59:15Z')];
    expect(computeHealth(rolling, { now: NOW, pods }).state).toBe('Failed');
    expect(computeHealth(rolling, { now: NOW, pods, unschedulableGraceMs: 60_000 }).state).toBe('InProgress');
  });

  it('wakes the waiter exactly when the Unschedulable grace runs out, by the rule that fails it', () => {
    const pods = [unschedulablePod('2025-06-01T11:59:50Z')];
    const due = unschedulableDueAt(pods, { now: NOW, unschedulableGraceMs: 30_000 });
    expect(due).toBe(Date.parse('2025-06-01T12:00:20Z'));
    expect(computeHealth(rolling, { now: due - 1, pods }).state).toBe('InProgress');
    expect(computeHealth(rolling, { now: due, pods }).state).toBe('Failed');
    // Past due, an unknown time, or a pod not Unschedulable (scheduling gated): nothing to wake for.
    expect(unschedulableDueAt(pods, { now: due, unschedulableGraceMs: 30_000 })).toBe(Infinity);
    expect(unschedulableDueAt([unschedulablePod('not a time')], { now: NOW, unschedulableGraceMs: 30_000 })).toBe(Infinity);
    const gated = { ...pods[0]!, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', lastTransitionTime: '2025-06-01T11:59:50Z' }] } };
    expect(unschedulableDueAt([gated], { now: NOW, unschedulableGraceMs: 30_000 })).toBe(Infinity);
  });

  it('ignores failing pods once the Deployment is Current', () => {
    const done = deployment({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(computeHealth(done, { now: NOW, pods: [waitingPod('web-old', 'CrashLoopBackOff')] }).state).toBe('Current');
  });

  it('ignores pods that are being deleted', () => {
    const leaving = { ...waitingPod('web-old', 'ImagePullBackOff'), metadata: { name: 'web-old', deletionTimestamp: '2025-06-01T11:59:00Z' } };
    expect(computeHealth(rolling, { now: NOW, pods: [leaving] }).state).toBe('InProgress');
  });

  it('names the same pod whatever order the pods come in', () => {
    const a = waitingPod('web-a', 'ErrImagePull');
    const b = waitingPod('web-b', 'CrashLoopBackOff');
    const first = computeHealth(rolling, { now: NOW, pods: [b, a] });
    const second = computeHealth(rolling, { now: NOW, pods: [a, b] });
    expect(first).toEqual(second);
    expect(first.message).toContain('pod web-a');
  });

  it('judges a hook Job by completion either way and a hook Pod only by completion', () => {
    const readyPod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy: 'Never' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(computeHealth(readyPod).state).toBe('Current');
    expect(computeHealth(readyPod, { now: NOW, completion: true }).state).toBe('InProgress');
  });

  it('never throws, whatever the status holds', () => {
    const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod', 'PersistentVolumeClaim', 'Service', 'CustomResourceDefinition', 'Namespace', 'APIService', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'Widget'];
    const versions = ['v1', 'apps/v1', 'batch/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'autoscaling/v2', 'policy/v1', 'networking.k8s.io/v1', 'example.com/v1'];
    const statuses = new Set<HealthResult['state']>(['Current', 'InProgress', 'Failed', 'Terminating', 'NotFound', 'Unknown']);
    fc.assert(
      fc.property(fc.constantFrom(...versions), fc.constantFrom(...kinds), fc.anything(), fc.anything(), fc.anything(), (apiVersion, kind, metadata, spec, status) => {
        const object = { apiVersion, kind, metadata, spec, status } as KubeObject;
        const h = computeHealth(object, { now: NOW, pods: [object], events: [object] });
        expect(statuses.has(h.state)).toBe(true);
        expect(h.reason).not.toBe('CheckError');
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});

describe('terminal reasons of custom resources', () => {
  it.each([
    ['InstallFailed', true],
    ['ReconcileError', true],
    ['InvalidSpec', true],
    ['DependencyNotReady', false],
    ['Progressing', false],
    ['DoesNotExist', false],
  ])('%s is terminal: %s', (reason, terminal) => {
    expect(isTerminalReason(reason)).toBe(terminal);
  });
});

describe('kindHasPods', () => {
  it('is true for workloads and false for everything else', () => {
    expect(kindHasPods({ group: 'apps', kind: 'Deployment' })).toBe(true);
    expect(kindHasPods({ group: 'batch', kind: 'Job' })).toBe(true);
    expect(kindHasPods({ group: '', kind: 'ConfigMap' })).toBe(false);
    expect(kindHasPods({ group: 'example.com', kind: 'Deployment' })).toBe(false);
  });
});

describe('healthGate', () => {
  const withAnnotations = (annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', annotations },
  });

  it('waits by default, with the run timeout', () => {
    expect(healthGate(withAnnotations({}))).toEqual({ mode: 'wait', timeoutMs: undefined, completion: false });
  });

  it('skips an object marked kd.io/health: skip', () => {
    expect(healthGate(withAnnotations({ 'kd.io/health': 'skip' }))).toMatchObject({ mode: 'skip', source: 'kd.io/health' });
  });

  it('takes the timeout from kd.io/timeout', () => {
    expect(healthGate(withAnnotations({ 'kd.io/timeout': '1m30s' })).timeoutMs).toBe(90_000);
  });

  it('asks for completion of hooks, including Argo CD and Helm ones', () => {
    expect(healthGate(withAnnotations({ 'kd.io/hook': 'pre-apply' })).completion).toBe(true);
    expect(healthGate(withAnnotations({ 'argocd.argoproj.io/hook': 'Sync' })).completion).toBe(true);
    expect(healthGate(withAnnotations({ 'helm.sh/hook': 'post-install' })).completion).toBe(true);
  });

  it('falls back to waiting when the health annotation is invalid', () => {
    expect(healthGate(withAnnotations({ 'kd.io/health': 'sometimes' })).mode).toBe('wait');
  });
});
