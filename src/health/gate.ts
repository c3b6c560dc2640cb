/**
 * What the executor does with an object once applied: wait for it to be healthy, or not. The
 * decision comes from the object's annotations (`kd.io/health: skip` opts out; `kd.io/timeout`
 * bounds the wait) read by the annotation module, so the rules live in one place. Hooks wait for
 * completion rather than readiness (a hook Pod must have Succeeded).
 */
import { isHook, readKdAnnotations } from '../annotations/index.js';
import type { KubeObject } from '../model/index.js';

export interface HealthGate {
  mode: 'wait' | 'skip';
  /** From `kd.io/timeout`; undefined means the run's `--timeout` applies. */
  timeoutMs: number | undefined;
  /** True for hooks: pass `completion: true` to computeHealth. */
  completion: boolean;
  /** The annotation key the mode was read from, when one was set. */
  source?: string;
}

export function healthGate(object: KubeObject): HealthGate {
  const { value } = readKdAnnotations(object);
  const gate: HealthGate = { mode: value.health, timeoutMs: value.timeoutMs, completion: isHook(value) };
  const source = value.source.health;
  if (source !== undefined) gate.source = source;
  return gate;
}
