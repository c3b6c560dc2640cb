/**
 * ReplicaSet (apps/v1) and ReplicationController (v1): the same rule for both. Current when the
 * desired number of replicas exist, are ready and available. A ReplicaFailure condition (pods
 * could not be created, e.g. a quota) keeps it in progress with the controller's message: the
 * cause may go away (quota raised), so it is reported, not failed.
 */
import type { KubeObject } from '../../model/index.js';
import { findCondition, numberField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function replicaSetHealth(object: KubeObject): HealthResult {
  const desired = numberField(object, 'spec', 'replicas') ?? 1;
  const total = numberField(object, 'status', 'replicas') ?? 0;
  const ready = numberField(object, 'status', 'readyReplicas') ?? 0;
  const available = numberField(object, 'status', 'availableReplicas') ?? 0;
  const counts = { ready: available, desired };
  const failure = findCondition(object, 'ReplicaFailure');
  if (failure?.status === 'True') {
    return result.inProgress(failure.reason || 'ReplicaFailure', failure.message || 'pods could not be created', counts);
  }
  if (total < desired) return result.inProgress('ReplicasNotCreated', `${total} of ${desired} replicas created`, counts);
  if (total > desired) {
    const extra = total - desired;
    return result.inProgress('ExtraPods', `${extra} extra replica${extra === 1 ? '' : 's'} pending termination`, counts);
  }
  if (ready < desired) return result.inProgress('ReplicasNotReady', `${ready} of ${desired} replicas ready`, counts);
  if (available < desired) return result.inProgress('ReplicasNotAvailable', `${available} of ${desired} replicas available`, counts);
  return result.current('Available', `${available} of ${desired} replicas available`, counts);
}
