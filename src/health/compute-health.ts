/**
 * `computeHealth`: the status of one object, a pure function of the object, the pods and events
 * the caller matched to it, and the time it is given. It never throws. Steps:
 *  1. nothing there: NotFound; not an object with apiVersion and kind: Unknown;
 *  2. a deletionTimestamp: Terminating, whatever the kind;
 *  3. the latest generation must be observed (see observed-generation.ts);
 *  4. the kind's own rule from the registry, else the generic condition rules;
 *  5. while still in progress, a pod that waiting will not heal fails the object fast;
 *  6. while still in progress, the latest Warning event is added to the message, so a wait that
 *     ends in a timeout already says why.
 */
import { parseApiVersion, type KubeObject } from '../model/index.js';
import { conditionsHealth } from './conditions.js';
import { arrayField, isMap, nameOf, parseTime, stringField } from './fields.js';
import { generationNotObserved } from './observed-generation.js';
import { findPodProblem } from './pod-problems.js';
import { healthRuleFor } from './registry.js';
import { DEFAULT_UNSCHEDULABLE_GRACE_MS, result, type HealthContext, type HealthResult, type ResolvedHealthContext } from './types.js';

export function computeHealth(object: KubeObject | null | undefined, context?: HealthContext): HealthResult {
  if (object === undefined || object === null) return { state: 'NotFound', reason: 'NotFound', message: 'the object does not exist' };
  if (!isMap(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return result.unknown('NotAnObject', 'not a Kubernetes object (apiVersion and kind are required)');
  }
  const resolved: ResolvedHealthContext = {
    now: context?.now,
    pods: [...(context?.pods ?? [])].sort((a, b) => compareStrings(nameOf(a), nameOf(b))),
    events: context?.events ?? [],
    unschedulableGraceMs: context?.unschedulableGraceMs ?? DEFAULT_UNSCHEDULABLE_GRACE_MS,
    completion: context?.completion ?? false,
  };
  try {
    let health = ownHealth(object, object.apiVersion, object.kind, resolved);
    if (health.state === 'InProgress') health = podFailure(resolved, health) ?? health;
    if (health.state === 'InProgress') health = withLatestWarning(health, resolved.events);
    return health;
  } catch (error) {
    // Checks read through tolerant accessors; reaching this is a bug in kd, not in the object.
    return result.unknown('CheckError', `health check failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function ownHealth(object: KubeObject, apiVersion: string, kind: string, context: ResolvedHealthContext): HealthResult {
  const deletion = stringField(object, 'metadata', 'deletionTimestamp');
  if (deletion !== undefined) {
    const finalizers = arrayField(object, 'metadata', 'finalizers').filter((f): f is string => typeof f === 'string');
    const waiting = finalizers.length ? `; waiting for finalizers: ${finalizers.join(', ')}` : '';
    return { state: 'Terminating', reason: 'Terminating', message: `deletion requested at ${deletion}${waiting}` };
  }
  const rule = healthRuleFor({ group: parseApiVersion(apiVersion).group, kind });
  const stale = generationNotObserved(object, { required: rule?.requireObservedGeneration ?? false });
  if (stale) return stale;
  return rule ? rule.check(object, context) : conditionsHealth(object);
}

function podFailure(context: ResolvedHealthContext, health: HealthResult): HealthResult | undefined {
  for (const pod of context.pods) {
    const problem = findPodProblem(pod, context);
    if (problem) {
      const failed = result.failed(problem.reason, problem.message, { failFast: true });
      if (health.ready) failed.ready = health.ready;
      return failed;
    }
  }
  return undefined;
}

function withLatestWarning(health: HealthResult, events: KubeObject[]): HealthResult {
  let latest: { at: number; reason: string; message: string } | undefined;
  for (const event of events) {
    if (stringField(event, 'type') !== 'Warning') continue;
    const at =
      parseTime(stringField(event, 'lastTimestamp')) ??
      parseTime(stringField(event, 'eventTime')) ??
      parseTime(stringField(event, 'series', 'lastObservedTime')) ??
      parseTime(stringField(event, 'metadata', 'creationTimestamp')) ??
      0;
    if (latest && at < latest.at) continue;
    latest = { at, reason: stringField(event, 'reason') ?? 'Warning', message: stringField(event, 'message') ?? stringField(event, 'note') ?? '' };
  }
  if (!latest) return health;
  return { ...health, message: `${health.message}; last warning: ${latest.reason}${latest.message ? `: ${latest.message.trim()}` : ''}` };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
