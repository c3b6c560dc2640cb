/**
 * Drift of one applied object: the fields kd applied whose value the cluster no longer has.
 * Only what kd sent is compared (the live object has many more fields: defaults, status, other
 * managers' fields), so a field added by the API server is never drift, while a field kd set and
 * someone changed (`kubectl scale`, `kubectl edit`) is. Arrays are compared element by element
 * (a different length is drift of the whole array). Secrets' `stringData` is write-only and
 * skipped. Pure.
 *
 * Not `compareObject` (`kubectl kd drift`): that comparison is three-way, needs the last-applied
 * record or the live managedFields, and expects server-normalised values from a dry-run apply
 * per object; the panel runs on every watch event with only what this session applied and what
 * the cluster holds, so it compares those two directly.
 */
import { MASK, carriesSecret, type KubeObject, type ObjectRef } from '../../src/index.js';
import type { DriftEntry } from './loop-events.js';

const SKIPPED_TOP = new Set(['apiVersion', 'kind', 'status']);
const METADATA_COMPARED = ['labels', 'annotations'];
const MAX_VALUE = 40;

export function compareApplied(ref: ObjectRef, applied: KubeObject, live: KubeObject | undefined): DriftEntry[] {
  if (live === undefined) return [{ ref, path: '', applied: 'present', live: undefined }];
  const out: DriftEntry[] = [];
  for (const [key, value] of Object.entries(applied)) {
    if (SKIPPED_TOP.has(key)) continue;
    if (key === 'stringData' && ref.kind === 'Secret' && ref.group === '') continue;
    if (key === 'metadata') {
      const a = (value ?? {}) as Record<string, unknown>;
      const l = (live.metadata ?? {}) as Record<string, unknown>;
      for (const m of METADATA_COMPARED) if (a[m] !== undefined) walk(ref, `metadata.${m}`, a[m], l[m], out);
      continue;
    }
    walk(ref, key, value, live[key], out);
  }
  return out;
}

function walk(ref: ObjectRef, path: string, applied: unknown, live: unknown, out: DriftEntry[]): void {
  if (Array.isArray(applied)) {
    if (!Array.isArray(live) || live.length !== applied.length) {
      out.push(entry(ref, path, applied, live));
      return;
    }
    applied.forEach((item, i) => walk(ref, `${path}[${i}]`, item, live[i], out));
    return;
  }
  if (applied !== null && typeof applied === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) {
      out.push(entry(ref, path, applied, live));
      return;
    }
    for (const [k, v] of Object.entries(applied as Record<string, unknown>)) walk(ref, `${path}.${k}`, v, (live as Record<string, unknown>)[k], out);
    return;
  }
  if (!sameScalar(applied, live)) out.push(entry(ref, path, applied, live));
}

/** `8080` and `"8080"` are the same to the API server for int-or-string fields. */
function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  return false;
}

function entry(ref: ObjectRef, path: string, applied: unknown, live: unknown): DriftEntry {
  // Secret values are never shown: the panel says that a value changed, not what it is. They hide
  // in a Secret's data and in annotations holding a Secret's JSON (kubectl's last-applied one).
  const secretData = ref.kind === 'Secret' && ref.group === '' && /^(data|metadata\.annotations\.kubectl\.kubernetes\.io\/last-applied-configuration)([.[]|$)/.test(path);
  if (secretData || (path.startsWith('metadata.annotations.') && (carriesSecret(applied) || carriesSecret(live)))) {
    return { ref, path, applied: MASK, live: live === undefined ? '(missing)' : MASK };
  }
  return { ref, path, applied: short(applied), live: live === undefined ? '(missing)' : short(live) };
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
