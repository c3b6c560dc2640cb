/**
 * Pod (v1). Current when Ready, or when it ran to completion (Succeeded) under restartPolicy Never
 * or OnFailure. Phase Failed is a failure with the kubelet's reason (Evicted, DeadlineExceeded).
 * A container the kubelet cannot start or keeps restarting fails fast (see pod-problems.ts).
 * Hooks ask for completion: then only Succeeded counts, Ready is still in progress.
 */
import type { KubeObject } from '../../model/index.js';
import { arrayField, findCondition, stringField } from '../fields.js';
import { findPodProblem } from '../pod-problems.js';
import { result, type HealthResult, type ResolvedHealthContext } from '../types.js';

export function podHealth(object: KubeObject, context: ResolvedHealthContext): HealthResult {
  const phase = stringField(object, 'status', 'phase') ?? 'Pending';
  const restartPolicy = stringField(object, 'spec', 'restartPolicy') ?? 'Always';
  if (phase === 'Succeeded') {
    if (restartPolicy === 'Always' && !context.completion) {
      return result.failed('Completed', 'pod exited although its restartPolicy is Always (it is expected to keep running)');
    }
    return result.current('Succeeded', 'pod ran to completion');
  }
  if (phase === 'Failed') {
    const reason = stringField(object, 'status', 'reason') ?? 'PodFailed';
    const message = stringField(object, 'status', 'message') ?? failedContainerMessage(object) ?? 'pod failed';
    return result.failed(reason, message, { failFast: true });
  }
  const problem = findPodProblem(object, context);
  if (problem) return result.failed(problem.reason, problem.message, { failFast: true });
  const ready = findCondition(object, 'Ready');
  if (context.completion) {
    return result.inProgress(phase === 'Running' ? 'Running' : 'Pending', `pod ${phase.toLowerCase()}; waiting for it to complete`);
  }
  if (ready?.status === 'True') return result.current('Ready', 'pod is ready');
  const scheduled = findCondition(object, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return result.inProgress('Unschedulable', scheduled.message || 'pod cannot be scheduled yet');
  }
  if (phase === 'Pending') return result.inProgress('Pending', 'pod pending');
  return result.inProgress('NotReady', ready?.message || `pod ${phase.toLowerCase()} but not ready`);
}

function failedContainerMessage(object: KubeObject): string | undefined {
  for (const status of arrayField(object, 'status', 'containerStatuses')) {
    const reason = stringField(status, 'state', 'terminated', 'reason');
    if (reason && reason !== 'Completed') {
      const name = stringField(status, 'name') ?? '<unnamed>';
      const message = stringField(status, 'state', 'terminated', 'message');
      return `container ${name} terminated: ${reason}${message ? `: ${message.trim()}` : ''}`;
    }
  }
  return undefined;
}
