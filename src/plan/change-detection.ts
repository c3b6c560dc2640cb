/**
 * Whether applying an object would change anything: create, update or unchanged.
 * Unchanged needs two things: the desired object equals what kd applied last time, and the
 * cluster still holds those values. Only the fields kd sets (those in the desired object) are
 * compared with the cluster: server defaults, status and what other managers own are not kd's.
 * The comparison errs towards `update` (a needless write is cheap; a missed one is a bug):
 *  - scalars compare loosely where the API server normalises them (`1` and `"1"`);
 *  - lists must have the same length, item by item (extra items owned by others mean update);
 *  - a Secret's `stringData` is compared with the cluster's base64 `data`;
 *  - server-set metadata (`creationTimestamp: null` from generated manifests, resourceVersion,
 *    uid, managedFields) and `status` are ignored.
 */
import { toFieldPath, type JsonPath, type KubeObject } from '../model/index.js';
import { isPlainObject as isMap } from '../model/json.js';

export interface ChangeResult {
  action: 'create' | 'update' | 'unchanged';
  changedPaths: string[];
}

export interface ChangeInput {
  desired: KubeObject;
  recorded: KubeObject | undefined;
  live: KubeObject | undefined;
  /** False when the cluster was not asked: then kd's own record decides. */
  liveKnown: boolean;
}

const SERVER_METADATA = new Set(['creationTimestamp', 'resourceVersion', 'uid', 'managedFields', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

export function detectChange(input: ChangeInput): ChangeResult {
  const desired = normalise(input.desired);
  if (input.liveKnown && input.live === undefined) return { action: 'create', changedPaths: [] };
  if (input.recorded === undefined) {
    if (!input.liveKnown) return { action: 'create', changedPaths: [] };
    return { action: 'update', changedPaths: notInLive(desired, input.live) };
  }
  const changed = diffPaths(desired, normalise(input.recorded), []);
  if (changed.length > 0) return { action: 'update', changedPaths: changed.map(toFieldPath) };
  if (input.liveKnown) {
    const drifted = notInLive(desired, input.live);
    if (drifted.length > 0) return { action: 'update', changedPaths: drifted };
  }
  return { action: 'unchanged', changedPaths: [] };
}

function notInLive(desired: Record<string, unknown>, live: KubeObject | undefined): string[] {
  const out: JsonPath[] = [];
  subsetMismatches(forLiveComparison(desired), live ?? {}, [], out);
  return out.map(toFieldPath);
}

/** Drops what kd does not set: status, and server-owned metadata. */
function normalise(object: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'status') continue;
    if (key === 'metadata' && isMap(value)) {
      const metadata: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (!SERVER_METADATA.has(k)) metadata[k] = v;
      out[key] = metadata;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The cluster stores a Secret's stringData base64-encoded in data. */
function forLiveComparison(desired: Record<string, unknown>): Record<string, unknown> {
  const stringData = desired['stringData'];
  if (desired['kind'] !== 'Secret' || !isMap(stringData)) return desired;
  const data: Record<string, unknown> = isMap(desired['data']) ? { ...desired['data'] } : {};
  for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = desired;
  return { ...rest, data };
}

/** Paths where `a` and `b` differ (both directions), deepest first differing node only. */
function diffPaths(a: unknown, b: unknown, path: (string | number)[]): JsonPath[] {
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffPaths(a[k], b[k], [...path, k]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => diffPaths(item, b[i], [...path, i]));
  }
  return scalarEqual(a, b) ? [] : [path];
}

/** Records paths of `desired` whose values `live` does not hold. */
function subsetMismatches(desired: unknown, live: unknown, path: (string | number)[], out: JsonPath[]): void {
  if (isMap(desired)) {
    if (!isMap(live)) {
      if (Object.keys(desired).length > 0 || live !== undefined) out.push(path);
      return;
    }
    for (const key of Object.keys(desired).sort()) subsetMismatches(desired[key], live[key], [...path, key], out);
    return;
  }
  if (Array.isArray(desired)) {
    if (desired.length === 0 && (live === undefined || (Array.isArray(live) && live.length === 0))) return;
    if (!Array.isArray(live) || live.length !== desired.length) {
      out.push(path);
      return;
    }
    desired.forEach((item, i) => subsetMismatches(item, live[i], [...path, i], out));
    return;
  }
  // An explicit null asks for the field to be absent.
  if (desired === null) {
    if (live !== undefined && live !== null) out.push(path);
    return;
  }
  if (!scalarEqual(desired, live)) out.push(path);
}

function scalarEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (isMap(a) && isMap(b)) return diffPaths(a, b, []).length === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => scalarEqual(x, b[i]));
  return false;
}
