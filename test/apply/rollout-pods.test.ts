/** Which pods belong to the rollout being gated, for each workload kind, on real-world object shapes. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/index.js';
import { rolloutPodMatcher } from '../../src/apply/rollout-pods.js';

const pod = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels } });
const names = (pods: KubeObject[], match: (p: KubeObject) => boolean) => pods.filter(match).map((p) => (p.metadata as { name: string }).name);

describe('rollout pods', () => {
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'd-1', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 2 },
  };
  const rs = (hash: string, revision: string, owner = 'd-1'): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: 'shop', labels: { app: 'web', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }] },
  });
  const pods = [pod('web-6b7f9c8d4-aaaaa', { app: 'web', 'pod-template-hash': '6b7f9c8d4' }), pod('web-5c4d8f7b9-bbbbb', { app: 'web', 'pod-template-hash': '5c4d8f7b9' })];

  it('a Deployment: the pods of the ReplicaSet of its current revision', () => {
    expect(names(pods, rolloutPodMatcher(deploy, [rs('6b7f9c8d4', '1'), rs('5c4d8f7b9', '2'), rs('5c4d8f7b9', '9', 'other')]))).toEqual(['web-5c4d8f7b9-bbbbb']);
  });

  it('a Deployment not yet observed by its controller, or whose new ReplicaSet does not exist yet: no pods', () => {
    expect(names(pods, rolloutPodMatcher({ ...deploy, status: { observedGeneration: 1 } }, [rs('6b7f9c8d4', '1'), rs('5c4d8f7b9', '2')]))).toEqual([]);
    expect(names(pods, rolloutPodMatcher(deploy, [rs('6b7f9c8d4', '1')]))).toEqual([]);
    expect(names(pods, rolloutPodMatcher({ ...deploy, metadata: { ...(deploy.metadata as object), annotations: {} } }, [rs('6b7f9c8d4', '1')]))).toEqual(['web-6b7f9c8d4-aaaaa']);
  });

  it('a StatefulSet: the pods whose controller-revision-hash is the update revision', () => {
    const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', uid: 's-1', generation: 3 }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { observedGeneration: 3, currentRevision: 'db-7d9f8b6c5', updateRevision: 'db-84c6f7d9b' } };
    const stsPods = [pod('db-0', { app: 'db', 'controller-revision-hash': 'db-7d9f8b6c5' }), pod('db-1', { app: 'db', 'controller-revision-hash': 'db-84c6f7d9b' })];
    expect(names(stsPods, rolloutPodMatcher(sts, []))).toEqual(['db-1']);
  });

  it('a DaemonSet: the pods of its newest ControllerRevision', () => {
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', uid: 'ds-1', generation: 2 }, spec: { selector: { matchLabels: { app: 'agent' } } }, status: { observedGeneration: 2 } };
    const cr = (hash: string, revision: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `agent-${hash}`, labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: [{ uid: 'ds-1', controller: true }] }, revision });
    const dsPods = [pod('agent-x1', { app: 'agent', 'controller-revision-hash': '6d5f4c8b7' }), pod('agent-x2', { app: 'agent', 'controller-revision-hash': '7f6b9d4c8' })];
    expect(names(dsPods, rolloutPodMatcher(ds, [cr('6d5f4c8b7', 1), cr('7f6b9d4c8', 2)]))).toEqual(['agent-x2']);
  });

  it('a Job: its own pods by controller-uid, not those of an earlier Job of the same name', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', uid: 'j-2' }, spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j-2' } } } };
    const jobPods = [pod('migrate-a', { 'batch.kubernetes.io/controller-uid': 'j-1', 'job-name': 'migrate' }), pod('migrate-b', { 'batch.kubernetes.io/controller-uid': 'j-2', 'job-name': 'migrate' })];
    expect(names(jobPods, rolloutPodMatcher(job, []))).toEqual(['migrate-b']);
  });
});
