/**
 * The Job controller: runs up to `parallelism` pods until `completions` succeed (Indexed jobs get
 * one pod per index), re-creates failed pods after an exponential back-off, and fails the Job
 * when failures exceed backoffLimit (restarts count for restartPolicy OnFailure) or it runs past
 * activeDeadlineSeconds. Status as a 1.35 controller writes it: startTime, active, ready,
 * succeeded, failed, terminating, uncountedTerminatedPods, completionTime, and the conditions
 * SuccessCriteriaMet+Complete or FailureTarget+Failed.
 * Limits: no podFailurePolicy, successPolicy or backoffLimitPerIndex.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runWorkloadController, type RunOptions } from './work-queue.js';
import { formatTime, isControlledBy, jsonEqual, meta, nameOf, parseTime, uidOf, type Condition, type Obj, type PodTemplate } from './objects.js';
import { isActive, isPodReady, podFromTemplate, podPhase, type Pod } from './pods.js';
import { generateName } from './names.js';

export const JOB_COMPONENT = 'job-controller';
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  completionMode?: string;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  template?: PodTemplate;
}
export type Job = Obj<JobSpec>;

const finishedCondition = (job: Job): Condition | undefined =>
  ((job.status?.conditions ?? []) as Condition[]).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

const restarts = (p: KubeObject): number =>
  [...(((p as Pod).status?.containerStatuses ?? []) as Array<{ restartCount?: number }>), ...(((p as Pod).status?.initContainerStatuses ?? []) as Array<{ restartCount?: number }>)].reduce(
    (n, c) => n + (c.restartCount ?? 0),
    0,
  );

function finishedAt(p: KubeObject): number | undefined {
  const statuses = ((p as Pod).status?.containerStatuses ?? []) as Array<{ state?: { terminated?: { finishedAt?: string } } }>;
  return Math.max(0, ...statuses.map((s) => parseTime(s.state?.terminated?.finishedAt) ?? 0)) || undefined;
}

const cond = (type: string, reason: string, message: string, now: number): Condition => ({
  type,
  status: 'True',
  lastProbeTime: formatTime(now),
  lastTransitionTime: formatTime(now),
  reason,
  message,
});

export function startJobController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) =>
    runWorkloadController<Job>(
      host,
      {
        name: 'job',
        workload: R.jobs,
        kind: 'Job',
        children: R.pods,
        reconcile: (job, ns, name) => {
          if (finishedCondition(job)) return;
          const now = host.clock.now();
          const spec = job.spec ?? {};
          const pods = host.list(R.pods, ns).filter((p) => isControlledBy(p, job));
          const active = pods.filter(isActive);
          const succeededPods = pods.filter((p) => podPhase(p) === 'Succeeded');
          const failedPods = pods.filter((p) => podPhase(p) === 'Failed');
          const indexed = spec.completionMode === 'Indexed';
          const completions = spec.completions;
          const parallelism = spec.parallelism ?? 1;
          const backoffLimit = spec.backoffLimit ?? 6;
          const restartCount = active.reduce((n, p) => n + restarts(p), 0);
          const indexOf = (p: KubeObject) => Number(meta(p).annotations?.['batch.kubernetes.io/job-completion-index'] ?? -1);
          const succeededIndexes = new Set(succeededPods.map(indexOf));
          const succeeded = indexed ? succeededIndexes.size : succeededPods.length;
          const failed = failedPods.length;
          const startTime = (job.status?.startTime as string | undefined) ?? formatTime(now);
          const conditions = [...((job.status?.conditions ?? []) as Condition[])];
          let requeue: number | undefined;

          const deleteActive = () => {
            for (const p of active) {
              host.delete(R.pods, ns, nameOf(p), 'Background');
              host.recordEvent(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(p)}`, JOB_COMPONENT);
            }
          };
          let outcome: 'complete' | 'failed' | undefined;
          const deadline = spec.activeDeadlineSeconds;
          if (failed > backoffLimit || (spec.template?.spec?.restartPolicy === 'OnFailure' && backoffLimit > 0 && restartCount >= backoffLimit) || (spec.template?.spec?.restartPolicy === 'OnFailure' && backoffLimit === 0 && restartCount > 0)) {
            deleteActive();
            conditions.push(cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now), cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now));
            host.recordEvent(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', JOB_COMPONENT);
            outcome = 'failed';
          } else if (deadline !== undefined && now - (parseTime(startTime) ?? now) >= deadline * 1000) {
            deleteActive();
            conditions.push(cond('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline', now), cond('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline', now));
            host.recordEvent(job, 'Warning', 'DeadlineExceeded', 'Job was active longer than specified deadline', JOB_COMPONENT);
            outcome = 'failed';
          } else if ((completions !== undefined && succeeded >= completions) || (completions === undefined && succeeded > 0 && active.length === 0)) {
            deleteActive();
            conditions.push(cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now));
            host.recordEvent(job, 'Normal', 'Completed', 'Job completed', JOB_COMPONENT);
            outcome = 'complete';
          } else if (!spec.suspend) {
            // Wait out the back-off after the latest failure before replacing pods.
            const lastFailure = Math.max(0, ...failedPods.map((p) => finishedAt(p) ?? 0));
            const backoff = failed > 0 ? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failed - 1)) : 0;
            const readyAt = lastFailure + backoff;
            const remaining = completions === undefined ? (succeeded > 0 ? 0 : parallelism) : completions - succeeded;
            const want = Math.min(parallelism, remaining);
            if (active.length < want && failed > 0 && readyAt > now) requeue = readyAt - now;
            else {
              const busy = new Set([...active.map(indexOf), ...succeededIndexes]);
              for (let i = active.length; i < want; i++) {
                let index = -1;
                if (indexed) {
                  index = 0;
                  while (busy.has(index)) index++;
                  busy.add(index);
                }
                const prefix = indexed ? `${name}-${index}-` : `${name}-`;
                const podName = generateName(prefix, `${uidOf(job)}/${now}/${i}`, (n) => host.get(R.pods, ns, n) !== undefined);
                const labels: Record<string, string> = { 'batch.kubernetes.io/controller-uid': uidOf(job), 'batch.kubernetes.io/job-name': name, 'controller-uid': uidOf(job), 'job-name': name };
                const annotations: Record<string, string> = {};
                if (indexed) {
                  labels['batch.kubernetes.io/job-completion-index'] = String(index);
                  annotations['batch.kubernetes.io/job-completion-index'] = String(index);
                }
                const pod = host.create(R.pods, podFromTemplate(spec.template, job, { name: podName, generateName: prefix, namespace: ns, labels, annotations }), MANAGER.controllerManager);
                host.recordEvent(job, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(pod)}`, JOB_COMPONENT);
              }
            }
          }
          if (spec.activeDeadlineSeconds !== undefined && !outcome) {
            const left = (parseTime(startTime) ?? now) + spec.activeDeadlineSeconds * 1000 - now;
            requeue = requeue === undefined ? left : Math.min(requeue, left);
          }
          const activeNow = outcome ? 0 : host.list(R.pods, ns).filter((p) => isControlledBy(p, job) && isActive(p)).length;
          const status: Record<string, unknown> = { ...(job.status ?? {}) };
          const put = (key: string, value: number) => (value > 0 ? (status[key] = value) : delete status[key]);
          status.startTime = startTime;
          put('active', activeNow);
          put('succeeded', succeeded);
          put('failed', failed);
          status.ready = outcome ? 0 : active.filter(isPodReady).length;
          status.terminating = 0;
          status.uncountedTerminatedPods = {};
          if (indexed && succeededIndexes.size > 0) status.completedIndexes = compressIndexes([...succeededIndexes].filter((i) => i >= 0));
          if (outcome === 'complete') status.completionTime = formatTime(now);
          if (conditions.length > 0) status.conditions = conditions;
          if (!jsonEqual(status, job.status)) host.updateStatus(R.jobs, { ...job, status }, MANAGER.controllerManager);
          return requeue;
        },
      },
      options,
    );
}

/** `1,3-5,7`: the form of status.completedIndexes. */
export function compressIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
