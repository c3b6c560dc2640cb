/**
 * The apps workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet) and ReplicationController:
 * their defaults (apps/v1 SetDefaults_*), the immutable selector, and StatefulSet's short list of
 * updatable spec fields.
 */
import type { StatusCause } from '../../model/status.js';
import { deepEqual } from '../schema-nav.js';
import { defaultTemplate } from './pod.js';
import { child, goLabelSelector, setDefault, specOf, specsOf, type Obj, type Strategy } from './strategy.js';

function immutableSelector(oldObj: Obj, newObj: Obj): StatusCause[] {
  const { os, ns } = specsOf(oldObj, newObj);
  if (deepEqual(os.selector, ns.selector)) return [];
  return [{ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goLabelSelector(ns.selector)}: field is immutable` }];
}

export const deploymentStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'replicas', 1);
    setDefault(s, 'revisionHistoryLimit', 10);
    setDefault(s, 'progressDeadlineSeconds', 600);
    const st = child(s, 'strategy');
    setDefault(st, 'type', 'RollingUpdate');
    if (st.type === 'RollingUpdate') {
      const ru = child(st, 'rollingUpdate');
      setDefault(ru, 'maxSurge', '25%');
      setDefault(ru, 'maxUnavailable', '25%');
    }
    defaultTemplate(s);
  },
  validateUpdate: immutableSelector,
};

export const replicaSetStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'replicas', 1);
    defaultTemplate(s);
  },
  validateUpdate: immutableSelector,
};

/** ReplicationController: ReplicaSet's defaults; its selector is not immutable upstream. */
export const replicationControllerStrategy: Strategy = { defaults: replicaSetStrategy.defaults! };

const STATEFULSET_UPDATABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'selector']);

export const statefulSetStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'replicas', 1);
    setDefault(s, 'podManagementPolicy', 'OrderedReady');
    setDefault(s, 'revisionHistoryLimit', 10);
    const us = child(s, 'updateStrategy');
    setDefault(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') setDefault(child(us, 'rollingUpdate'), 'partition', 0);
    const pr = child(s, 'persistentVolumeClaimRetentionPolicy');
    setDefault(pr, 'whenDeleted', 'Retain');
    setDefault(pr, 'whenScaled', 'Retain');
    defaultTemplate(s);
  },
  validateUpdate(oldObj, newObj) {
    const out = immutableSelector(oldObj, newObj);
    const { os, ns } = specsOf(oldObj, newObj);
    const keys = new Set([...Object.keys(os), ...Object.keys(ns)]);
    if ([...keys].some((k) => !STATEFULSET_UPDATABLE.has(k) && !deepEqual(os[k], ns[k])))
      out.push({
        reason: 'FieldValueForbidden',
        field: 'spec',
        message: `Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
      });
    return out;
  },
};

export const daemonSetStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'revisionHistoryLimit', 10);
    const us = child(s, 'updateStrategy');
    setDefault(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') {
      const ru = child(us, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', 1);
      setDefault(ru, 'maxSurge', 0);
    }
    defaultTemplate(s);
  },
  validateUpdate: immutableSelector,
};
