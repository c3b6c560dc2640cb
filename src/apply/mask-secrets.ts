/**
 * Secret values never leave kd in clear: before an object is shown (diffs, events, errors) the
 * values of a Secret's `data` and `stringData` become `***`. When two versions are shown side by
 * side (a diff), values that differ become `*** (before)` and `*** (after)`, as kubectl diff
 * does, so a change stays visible without its content.
 */
import type { KubeObject } from '../model/index.js';

const MASK = '***';

export function isSecret(object: KubeObject | undefined): boolean {
  return object !== undefined && object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined);
}

/** A copy with every Secret value masked; other kinds are returned as they are. */
export function maskSecret(object: KubeObject): KubeObject {
  if (!isSecret(object)) return object;
  const out: KubeObject = { ...object };
  for (const key of ['data', 'stringData'] as const) {
    const values = object[key];
    if (isMap(values)) out[key] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  return out;
}

/** Both versions masked, marking values that differ. Either side may be absent (create, delete). */
export function maskSecretPair(before: KubeObject | undefined, after: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const b = before ? { ...before } : undefined;
  const a = after ? { ...after } : undefined;
  for (const key of ['data', 'stringData'] as const) {
    const bv = before && isMap(before[key]) ? (before[key] as Record<string, unknown>) : undefined;
    const av = after && isMap(after[key]) ? (after[key] as Record<string, unknown>) : undefined;
    if (b && bv) b[key] = Object.fromEntries(Object.keys(bv).map((k) => [k, av && k in av && av[k] !== bv[k] ? `${MASK} (before)` : MASK]));
    if (a && av) a[key] = Object.fromEntries(Object.keys(av).map((k) => [k, bv && k in bv && av[k] !== bv[k] ? `${MASK} (after)` : MASK]));
  }
  return [b, a];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
