/**
 * Pod states that waiting will not fix, so the gate fails fast instead of running into its
 * timeout (the complaint users have about every other tool): a container in CrashLoopBackOff,
 * ImagePullBackOff, ErrImagePull, CreateContainerConfigError, InvalidImageName (and the other
 * config errors the kubelet reports the same way), or a pod Unschedulable for longer than a grace
 * period, which gives the scheduler and a cluster autoscaler a moment first.
 * The message names the pod, the container and the kubelet's own words.
 */
import type { KubeObject } from '../model/index.js';
import { arrayField, field, findCondition, formatDuration, nameOf, numberField, parseTime, stringField } from './fields.js';

export const FAIL_FAST_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RunContainerError',
]);

export interface PodProblem {
  reason: string;
  message: string;
}

export function findPodProblem(pod: KubeObject, options: { now: number | undefined; unschedulableGraceMs: number }): PodProblem | undefined {
  if (field(pod, 'metadata', 'deletionTimestamp') !== undefined) return undefined;
  const podName = nameOf(pod);
  const groups: Array<[string, string]> = [
    ['initContainerStatuses', 'init container'],
    ['containerStatuses', 'container'],
  ];
  for (const [key, label] of groups) {
    for (const status of arrayField(pod, 'status', key)) {
      const reason = stringField(status, 'state', 'waiting', 'reason');
      if (reason === undefined || !FAIL_FAST_WAITING_REASONS.has(reason)) continue;
      const container = stringField(status, 'name') ?? '<unnamed>';
      const kubeletMessage = stringField(status, 'state', 'waiting', 'message');
      let message = `pod ${podName} ${label} ${container}: ${reason}`;
      if (kubeletMessage) message += `: ${kubeletMessage}`;
      const last = lastTermination(status);
      if (reason === 'CrashLoopBackOff' && last) message += ` (${last})`;
      return { reason, message };
    }
  }
  const unschedulable = unschedulableSince(pod);
  if (unschedulable && options.now !== undefined && options.now - unschedulable.since >= options.unschedulableGraceMs) {
    const detail = unschedulable.message ? `: ${unschedulable.message}` : '';
    return { reason: 'Unschedulable', message: `pod ${podName} unschedulable for ${formatDuration(options.now - unschedulable.since)}${detail}` };
  }
  return undefined;
}

/**
 * When the pods' verdict changes by time alone: the earliest moment after `now` at which an
 * Unschedulable pod reaches its grace period (Infinity if none will). The waiter sleeps until
 * then; the rule it wakes for is `findPodProblem`'s, so both read the condition here.
 */
export function unschedulableDueAt(pods: readonly KubeObject[], options: { now: number; unschedulableGraceMs: number }): number {
  let at = Infinity;
  for (const pod of pods) {
    if (field(pod, 'metadata', 'deletionTimestamp') !== undefined) continue;
    const since = unschedulableSince(pod)?.since;
    if (since === undefined) continue;
    const due = since + options.unschedulableGraceMs;
    if (due > options.now) at = Math.min(at, due);
  }
  return at;
}

function unschedulableSince(pod: KubeObject): { since: number; message: string | undefined } | undefined {
  const scheduled = findCondition(pod, 'PodScheduled');
  if (!scheduled || scheduled.status !== 'False' || scheduled.reason !== 'Unschedulable') return undefined;
  const since = parseTime(scheduled.lastTransitionTime);
  return since === undefined ? undefined : { since, message: scheduled.message || undefined };
}

/** Why the container last stopped, which is what a user needs about a crash loop. */
function lastTermination(containerStatus: unknown): string | undefined {
  const terminated = field(containerStatus, 'lastState', 'terminated');
  if (terminated === undefined) return undefined;
  const parts: string[] = [];
  const reason = stringField(terminated, 'reason');
  const exitCode = numberField(terminated, 'exitCode');
  const message = stringField(terminated, 'message');
  if (reason) parts.push(reason);
  if (exitCode !== undefined) parts.push(`exit code ${exitCode}`);
  let out = parts.length ? `last termination: ${parts.join(', ')}` : '';
  if (message) out += `${out ? ': ' : 'last termination: '}${message.trim()}`;
  const restarts = numberField(containerStatus, 'restartCount');
  if (restarts !== undefined && restarts > 0) out += `${out ? '; ' : ''}${restarts} restart${restarts === 1 ? '' : 's'}`;
  return out || undefined;
}
