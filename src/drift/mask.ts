/**
 * Secret values, the one place that hides them (drift reports and diffs, apply's and rollback's
 * `--diff`, the watch screen): never shown, only compared. A value becomes `*** #<8 hex>`, a
 * salted SHA-256 of it: within one output equal hashes mean equal values, so changed/unchanged
 * stays visible (a diff shows a changed password as a changed line, without its content); the
 * salt (random per run, given by the caller) keeps the hash from being looked up in a dictionary
 * of common passwords, and from matching across runs.
 * Besides a Secret's `data` and `stringData`, values hide in annotations that carry a Secret's
 * JSON: kubectl's last-applied annotation on a Secret, and any annotation of any object whose
 * value is a Secret as JSON (tools that stash the object they applied). Those are masked inside
 * the JSON, so the rest of the annotation stays comparable.
 */
import { createHash } from 'node:crypto';
import type { JsonPath } from '../model/index.js';
import { isMap } from './leaves.js';
import { LAST_APPLIED_ANNOTATION } from './applied-state.js';

export const MASK = '***';

const SECRET_KEYS = ['data', 'stringData'] as const;

export function isSecretObject(ref: { group: string; kind: string }): boolean {
  return ref.group === '' && ref.kind === 'Secret';
}

/** Whether the value at `path` of a Secret is secret. */
export function isSecretPath(path: JsonPath): boolean {
  const top = path[0];
  if (top === 'data' || top === 'stringData') return true;
  return path[0] === 'metadata' && path[1] === 'annotations' && path[2] === LAST_APPLIED_ANNOTATION;
}

/** Whether a value (an annotation's) is the JSON of a Secret, whose values it then holds in clear. */
export function carriesSecret(value: unknown): boolean {
  return typeof value === 'string' && parsedSecret(value) !== undefined;
}

export function maskValue(value: unknown, salt: string): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `${MASK} #${createHash('sha256').update(salt).update('\u0000').update(text).digest('hex').slice(0, 8)}`;
}

/**
 * A copy with every secret value masked: a Secret's `data` and `stringData` (when `secret`, by
 * default when the object says it is a v1 Secret), and Secret JSON in any annotation. Objects
 * with nothing secret are returned as they are.
 */
export function maskSecretObject<T extends Record<string, unknown>>(object: T, salt: string, secret = isSecretKind(object)): T {
  let out: Record<string, unknown> = object;
  if (secret) {
    out = { ...object };
    for (const key of SECRET_KEYS) {
      const values = object[key];
      if (isMap(values)) out[key] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, maskValue(v, salt)]));
    }
  }
  const metadata = object['metadata'];
  if (isMap(metadata) && isMap(metadata['annotations'])) {
    let annotations: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(metadata['annotations'])) {
      const masked = secret && k === LAST_APPLIED_ANNOTATION ? maskAnnotation(v, salt, true) : typeof v === 'string' ? maskAnnotation(v, salt, false) : v;
      if (masked === v) continue;
      annotations ??= { ...metadata['annotations'] };
      annotations[k] = masked;
    }
    if (annotations) out = { ...out, metadata: { ...metadata, annotations } };
  }
  return out as T;
}

/**
 * An annotation's value with the Secret JSON in it masked; unchanged when it holds none. `always`:
 * the annotation is known to hold a Secret (kubectl's on a Secret), so a value that cannot be
 * parsed is masked whole rather than shown.
 */
function maskAnnotation(value: unknown, salt: string, always: boolean): unknown {
  const parsed = typeof value === 'string' ? parsedSecret(value, always) : undefined;
  if (parsed === undefined) return always ? maskValue(value, salt) : value;
  return JSON.stringify(maskSecretObject(parsed, salt, true));
}

function parsedSecret(text: string, anyKind = false): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isMap(value) && (anyKind || isSecretKind(value)) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isSecretKind(object: Record<string, unknown>): boolean {
  return object['kind'] === 'Secret' && (object['apiVersion'] === 'v1' || object['apiVersion'] === undefined);
}
