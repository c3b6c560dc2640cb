/**
 * Tolerant readers for the parts of an object's status that health checks look at. Objects come
 * from a cluster (or a simulator) and may be partial or malformed: every reader returns
 * `undefined` for anything missing or of the wrong type instead of throwing.
 */
import type { KubeObject } from '../model/index.js';
import { isPlainObject as isMap } from '../model/json.js';

export type JsonMap = Record<string, unknown>;

export { isMap };

export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function numberField(value: unknown, ...path: string[]): number | undefined {
  const v = field(value, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringField(value: unknown, ...path: string[]): string | undefined {
  const v = field(value, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function arrayField(value: unknown, ...path: string[]): unknown[] {
  const v = field(value, ...path);
  return Array.isArray(v) ? v : [];
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** `status.conditions`, keeping only entries with a string type. */
export function conditions(object: KubeObject): Condition[] {
  const out: Condition[] = [];
  for (const c of arrayField(object, 'status', 'conditions')) {
    const type = stringField(c, 'type');
    if (type === undefined) continue;
    const condition: Condition = {
      type,
      status: stringField(c, 'status') ?? 'Unknown',
      reason: stringField(c, 'reason') ?? '',
      message: stringField(c, 'message') ?? '',
    };
    const ltt = stringField(c, 'lastTransitionTime');
    if (ltt !== undefined) condition.lastTransitionTime = ltt;
    const og = numberField(c, 'observedGeneration');
    if (og !== undefined) condition.observedGeneration = og;
    out.push(condition);
  }
  return out;
}

export function findCondition(object: KubeObject, type: string): Condition | undefined {
  return conditions(object).find((c) => c.type === type);
}

export function nameOf(object: unknown): string {
  return stringField(object, 'metadata', 'name') ?? stringField(object, 'metadata', 'generateName') ?? '<unnamed>';
}

/** The condition's reason and message as one phrase: `Reason: message`, or whichever exists. */
export function describeCondition(c: Condition, fallback: string): string {
  if (c.message !== '') return c.message;
  if (c.reason !== '') return c.reason;
  return fallback;
}

/** Parse an RFC 3339 timestamp without reading the clock. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
}
