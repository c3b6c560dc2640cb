/**
 * Job and CronJob, as pkg/apis/batch/validation validates them: the pod template's restartPolicy
 * (OnFailure or Never; unset means Always and is refused), non-negative parallelism, completions,
 * backoffLimit and TTL, Indexed jobs' completions, and CronJob schedules (cron.ts) and time zones.
 */
import { checkRestartPolicy, nonNegative } from './apps.js';
import { cronScheduleError, timeZoneError } from './cron.js';
import { Errors, FieldPath, isRecord, type FieldError } from './field.js';
import { validatePodSpec } from './pod.js';

export const RULE_JOB = 'builtin/job';
export const RULE_CRON = 'builtin/cron-schedule';

const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function validateJobSpec(spec: Record<string, unknown>, at: FieldPath): FieldError[] {
  const out: FieldError[] = [];
  const e = new Errors(RULE_JOB);
  nonNegative(e, spec, at, ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished']);
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    e.invalid(at.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be greater than 0');
  if (spec.completionMode === 'Indexed') {
    if (typeof spec.completions !== 'number') e.required(at.child('completions'), 'when completion mode is Indexed');
    if (typeof spec.parallelism === 'number' && spec.parallelism > 100000)
      e.invalid(at.child('parallelism'), spec.parallelism, 'must be less than or equal to 100000 when completion mode is Indexed');
  }
  out.push(...e.list);
  const template = isRecord(spec.template) ? spec.template : undefined;
  if (template) {
    const podAt = at.child('template', 'spec');
    const podSpec = isRecord(template.spec) ? template.spec : {};
    out.push(...validatePodSpec(podSpec, podAt));
    out.push(...checkRestartPolicy(podSpec, podAt, ['OnFailure', 'Never']));
  }
  return out;
}

export function validateJob(o: Record<string, unknown>): FieldError[] {
  return isRecord(o.spec) ? validateJobSpec(o.spec, FieldPath.root('spec')) : [];
}

export function validateCronJob(o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const at = FieldPath.root('spec');
  const e = new Errors(RULE_CRON);
  const schedule = spec.schedule;
  if (typeof schedule === 'string') {
    if (schedule === '') e.required(at.child('schedule'));
    else {
      const err = cronScheduleError(schedule);
      if (err) e.invalid(at.child('schedule'), schedule, err);
      if (schedule.includes('TZ')) e.invalid(at.child('schedule'), schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    }
  }
  if (typeof spec.timeZone === 'string') {
    const tz = spec.timeZone;
    const tzAt = at.child('timeZone');
    if (tz === '') e.invalid(tzAt, tz, 'timeZone must be nil or non-empty string');
    else if (tz.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p))) e.invalid(tzAt, tz, `unknown time zone ${tz}`);
    else {
      if (tz.toLowerCase() === 'local') e.invalid(tzAt, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
      const err = tz === 'Local' ? undefined : timeZoneError(tz);
      if (err) e.invalid(tzAt, tz, err);
    }
  }
  const counters = new Errors(RULE_JOB);
  nonNegative(counters, spec, at, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']);
  const out = [...e.list, ...counters.list];
  const jt = isRecord(spec.jobTemplate) ? spec.jobTemplate : undefined;
  if (jt && isRecord(jt.spec)) out.push(...validateJobSpec(jt.spec, at.child('jobTemplate', 'spec')));
  return out;
}
