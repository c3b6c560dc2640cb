/**
 * Which pods belong to the rollout being gated, so that fail-fast and health judge the new
 * revision only: while a fix rolls out, the old revision's pods crash-looping is the very thing
 * being replaced — progress, not failure.
 *  - Deployment: the pods of its newest ReplicaSet (the one whose `deployment.kubernetes.io/revision`
 *    is the Deployment's own, else the highest), by that ReplicaSet's `pod-template-hash`.
 *  - StatefulSet: the pods whose `controller-revision-hash` is `status.updateRevision`.
 *  - DaemonSet: the pods whose `controller-revision-hash` is the hash of its newest
 *    ControllerRevision.
 *  - Job: the pods whose controller-uid is the Job's uid.
 * Until the controller has observed the current generation, no pods are the rollout's (the old
 * ones would be judged as the new). Anything else: the workload's selector (label-selector.ts).
 */
import type { KubeObject } from '../model/index.js';
import { podMatcher, type PodMatcher } from './label-selector.js';
import { metadataOf } from './object-refs.js';
import { isPlainObject as isMap } from '../model/json.js';

export const REPLICA_SET_GVK = { group: 'apps', version: 'v1', kind: 'ReplicaSet' } as const;
export const CONTROLLER_REVISION_GVK = { group: 'apps', version: 'v1', kind: 'ControllerRevision' } as const;

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH = 'pod-template-hash';
const REVISION_HASH = 'controller-revision-hash';

/** The owned objects a workload's rollout is read from: ReplicaSets or ControllerRevisions, if any. */
export function rolloutOwnedKind(workload: { kind: string; group: string }): typeof REPLICA_SET_GVK | typeof CONTROLLER_REVISION_GVK | undefined {
  if (workload.group !== 'apps') return undefined;
  if (workload.kind === 'Deployment') return REPLICA_SET_GVK;
  if (workload.kind === 'DaemonSet') return CONTROLLER_REVISION_GVK;
  return undefined;
}

/** The matcher of the current rollout's pods; `owned` are the namespace's ReplicaSets or ControllerRevisions. */
export function rolloutPodMatcher(workload: KubeObject, owned: Iterable<KubeObject>): PodMatcher {
  const selector = podMatcher(workload);
  const kind = workload.kind;
  const meta = metadataOf(workload);
  const uid = typeof meta['uid'] === 'string' ? meta['uid'] : undefined;
  if (kind === 'Job' && uid)
    return (pod) => {
      if (!selector(pod)) return false;
      const owner = labelOf(pod, 'batch.kubernetes.io/controller-uid') ?? labelOf(pod, 'controller-uid');
      return owner === undefined || owner === uid;
    };
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet') return selector;
  if (!observed(workload)) return () => false;
  const status = isMap(workload['status']) ? workload['status'] : {};
  let label: string;
  let value: string | undefined;
  if (kind === 'StatefulSet') {
    label = REVISION_HASH;
    value = typeof status['updateRevision'] === 'string' ? status['updateRevision'] : undefined;
  } else {
    const mine = [...owned].filter((o) => uid !== undefined && ownedBy(o, uid));
    if (kind === 'Deployment') {
      label = TEMPLATE_HASH;
      const wanted = annotationOf(workload, REVISION_ANNOTATION);
      const byRevision = (o: KubeObject) => Number(annotationOf(o, REVISION_ANNOTATION) ?? 0);
      // The Deployment names its current revision; a ReplicaSet of it not seen yet (the watch lags)
      // means no pods are the rollout's, never the previous revision's.
      const newest = wanted !== undefined ? mine.find((rs) => annotationOf(rs, REVISION_ANNOTATION) === wanted) : mine.sort((a, b) => byRevision(b) - byRevision(a))[0];
      value = newest ? labelOf(newest, TEMPLATE_HASH) : undefined;
    } else {
      label = REVISION_HASH;
      const newest = mine.sort((a, b) => Number(b['revision'] ?? 0) - Number(a['revision'] ?? 0))[0];
      const name = newest ? String(metadataOf(newest)['name'] ?? '') : '';
      value = newest ? (labelOf(newest, REVISION_HASH) ?? name.slice(name.lastIndexOf('-') + 1)) : undefined;
    }
  }
  // The new revision's objects do not exist yet: none of the pods are the rollout's.
  if (value === undefined) return () => false;
  return (pod) => selector(pod) && labelOf(pod, label) === value;
}

/** The controller has seen the current spec (observedGeneration ≥ generation). */
function observed(workload: KubeObject): boolean {
  const generation = metadataOf(workload)['generation'];
  const status = isMap(workload['status']) ? workload['status'] : {};
  const seen = status['observedGeneration'];
  return typeof generation !== 'number' || (typeof seen === 'number' && seen >= generation);
}

function ownedBy(object: KubeObject, uid: string): boolean {
  const refs = metadataOf(object)['ownerReferences'];
  return Array.isArray(refs) && refs.some((r) => isMap(r) && r['uid'] === uid && r['controller'] === true);
}

function labelOf(object: KubeObject, key: string): string | undefined {
  const labels = metadataOf(object)['labels'];
  const v = isMap(labels) ? labels[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function annotationOf(object: KubeObject, key: string): string | undefined {
  const annotations = metadataOf(object)['annotations'];
  const v = isMap(annotations) ? annotations[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}
