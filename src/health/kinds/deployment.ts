/**
 * Deployment (apps/v1). Current when the rollout is over: updated, ready and available replicas
 * all equal the desired count and no old replicas are left. A Progressing condition with reason
 * ProgressDeadlineExceeded is a failure at once, with the controller's message (kstatus only
 * reports it; waiting longer changes nothing). A paused Deployment is not waited on: its rollout
 * will not move until someone resumes it.
 */
import type { KubeObject } from '../../model/index.js';
import { field, findCondition, numberField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function deploymentHealth(object: KubeObject): HealthResult {
  const progressing = findCondition(object, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return result.failed('ProgressDeadlineExceeded', progressing.message || 'the deployment exceeded its progress deadline', { failFast: true });
  }
  if (field(object, 'spec', 'paused') === true) {
    return result.current('Paused', 'rollout paused (spec.paused); not waited on');
  }
  const desired = numberField(object, 'spec', 'replicas') ?? 1;
  const total = numberField(object, 'status', 'replicas') ?? 0;
  const updated = numberField(object, 'status', 'updatedReplicas') ?? 0;
  const ready = numberField(object, 'status', 'readyReplicas') ?? 0;
  const available = numberField(object, 'status', 'availableReplicas') ?? 0;
  const counts = { ready: available, desired };
  if (updated < desired) {
    return result.inProgress('RolloutInProgress', `${updated} of ${desired} replicas updated`, counts);
  }
  if (total > updated) {
    const old = total - updated;
    return result.inProgress('OldReplicasPending', `${old} old replica${old === 1 ? '' : 's'} pending termination`, counts);
  }
  if (total > desired) {
    // Scaled down: the extra replicas still run (kstatus: "Pending termination"); Current only
    // when they are gone, so a watch never shows more ready replicas than wanted as healthy.
    const extra = total - desired;
    return result.inProgress('ExtraPods', `${extra} extra replica${extra === 1 ? '' : 's'} pending termination`, counts);
  }
  if (ready < desired) {
    return result.inProgress('ReplicasNotReady', `${ready} of ${desired} updated replicas ready`, counts);
  }
  if (available < desired) {
    return result.inProgress('ReplicasNotAvailable', `${available} of ${desired} updated replicas available`, counts);
  }
  return result.current('Available', `${available} of ${desired} replicas updated and available`, counts);
}
