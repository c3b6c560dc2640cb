/**
 * HorizontalPodAutoscaler (autoscaling/v1, v2). Current once the autoscaler can reach its target
 * (AbleToScale not False). Missing metrics (ScalingActive False) do not hold the run: an HPA
 * without a metrics server is a configuration to report, not a rollout to wait for.
 */
import type { KubeObject } from '../../model/index.js';
import { describeCondition, findCondition, numberField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function horizontalPodAutoscalerHealth(object: KubeObject): HealthResult {
  const able = findCondition(object, 'AbleToScale');
  if (able?.status === 'False') return result.inProgress(able.reason || 'NotAbleToScale', describeCondition(able, 'cannot scale its target'));
  const current = numberField(object, 'status', 'currentReplicas');
  const desired = numberField(object, 'status', 'desiredReplicas');
  const counts = current !== undefined && desired !== undefined ? { ready: current, desired } : undefined;
  const active = findCondition(object, 'ScalingActive');
  if (active?.status === 'False') {
    return result.current(active.reason || 'ScalingInactive', `scaling inactive: ${describeCondition(active, 'no metrics')}`, counts);
  }
  return result.current('Ready', counts ? `${counts.ready} current, ${counts.desired} desired replicas` : 'autoscaler ready', counts);
}
