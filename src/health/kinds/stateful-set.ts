/**
 * StatefulSet (apps/v1). Current when every replica is ready and the rollout reached every pod:
 * currentRevision equals updateRevision. Two strategies change what "reached" means: with
 * OnDelete the controller never replaces pods itself, so only readiness is required; with a
 * RollingUpdate partition only the pods at or above the partition are updated.
 */
import type { KubeObject } from '../../model/index.js';
import { numberField, stringField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function statefulSetHealth(object: KubeObject): HealthResult {
  const desired = numberField(object, 'spec', 'replicas') ?? 1;
  const total = numberField(object, 'status', 'replicas') ?? 0;
  const ready = numberField(object, 'status', 'readyReplicas') ?? 0;
  const available = numberField(object, 'status', 'availableReplicas') ?? ready;
  const updated = numberField(object, 'status', 'updatedReplicas') ?? 0;
  const counts = { ready, desired };
  if (total > desired) {
    const extra = total - desired;
    return result.inProgress('ExtraPods', `${extra} extra replica${extra === 1 ? '' : 's'} pending termination`, counts);
  }
  if (ready < desired) return result.inProgress('ReplicasNotReady', `${ready} of ${desired} replicas ready`, counts);
  if (available < desired) return result.inProgress('ReplicasNotAvailable', `${available} of ${desired} replicas available`, counts);
  const strategy = stringField(object, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  if (strategy === 'OnDelete') {
    return result.current('Ready', `${ready} of ${desired} replicas ready (OnDelete strategy: pods are updated when deleted)`, counts);
  }
  const partition = numberField(object, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  if (partition > 0) {
    const expected = Math.max(0, desired - partition);
    if (updated < expected) {
      return result.inProgress('RolloutInProgress', `${updated} of ${expected} replicas above partition ${partition} updated`, counts);
    }
    return result.current('PartitionRolledOut', `partitioned rollout complete: ${updated} of ${desired} replicas updated, ${ready} ready`, counts);
  }
  const currentRevision = stringField(object, 'status', 'currentRevision');
  const updateRevision = stringField(object, 'status', 'updateRevision');
  if (updateRevision !== undefined && currentRevision !== updateRevision) {
    return result.inProgress('RolloutInProgress', `${updated} of ${desired} replicas updated to revision ${updateRevision}`, counts);
  }
  return result.current('Ready', `${ready} of ${desired} replicas ready at revision ${updateRevision ?? currentRevision ?? 'unknown'}`, counts);
}
