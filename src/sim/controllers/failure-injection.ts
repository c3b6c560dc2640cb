/**
 * Failure injection: the `sim.kd.io/*` annotations a user puts on a workload or its pod template
 * to make the simulated cluster misbehave the way a real one does. Workload controllers copy them
 * onto the pods they create, so the kubelet and scheduler read them from the pod alone.
 * Unknown values are ignored (the pod behaves normally), never an error.
 */
import type { KubeObject } from '../../model/object-ref.js';
import { annotationsOf } from './objects.js';

export const FAIL_ANNOTATION = 'sim.kd.io/fail';
export const READY_AFTER_ANNOTATION = 'sim.kd.io/ready-after';

export const FAILURE_MODES = ['crashloop', 'image-pull', 'unschedulable', 'config-error', 'never-ready', 'job-fail', 'provisioning'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface PodBehaviour {
  fail?: FailureMode;
  readyAfterMs?: number;
}

export function behaviourOf(pod: KubeObject): PodBehaviour {
  const a = annotationsOf(pod);
  const out: PodBehaviour = {};
  const fail = a[FAIL_ANNOTATION]?.trim();
  if (fail && (FAILURE_MODES as readonly string[]).includes(fail)) out.fail = fail as FailureMode;
  const readyAfter = a[READY_AFTER_ANNOTATION];
  if (readyAfter !== undefined) {
    const ms = parseGoDuration(readyAfter.trim());
    if (ms !== undefined) out.readyAfterMs = ms;
  }
  return out;
}

/** The `sim.kd.io/*` annotations of an object, to be inherited by what it creates. */
export function simAnnotations(o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotationsOf(o))) if (k.startsWith('sim.kd.io/')) out[k] = v;
  return out;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration such as `3s`, `500ms`, `1m30s` (a bare number means seconds). */
export function parseGoDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    matched += m[0].length;
  }
  return matched === text.length && matched > 0 ? Math.round(total) : undefined;
}

/** Formats milliseconds as Go's `time.Duration.String()` does for whole seconds: `10s`, `1m20s`, `5m0s`. */
export function formatGoDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
