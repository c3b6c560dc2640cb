/**
 * Secret values in drift findings and diffs: never shown, only compared. A value becomes
 * `*** #<8 hex>`, a salted SHA-256 of it: within one report equal hashes mean equal values, so
 * changed/unchanged stays visible; the salt (random per run, given by the shell) keeps the hash
 * from being looked up in a dictionary of common passwords, and from matching across reports.
 * kubectl's last-applied annotation on a Secret holds its values in clear, so it is masked too.
 */
import { createHash } from 'node:crypto';
import type { JsonPath, KubeObject } from '../model/index.js';
import { isMap } from './leaves.js';
import { LAST_APPLIED_ANNOTATION } from './last-applied.js';

export const MASK = '***';

export function isSecretObject(ref: { group: string; kind: string }): boolean {
  return ref.group === '' && ref.kind === 'Secret';
}

/** Whether the value at `path` of a Secret is secret. */
export function isSecretPath(path: JsonPath): boolean {
  const top = path[0];
  if (top === 'data' || top === 'stringData') return true;
  return path[0] === 'metadata' && path[1] === 'annotations' && path[2] === LAST_APPLIED_ANNOTATION;
}

export function maskValue(value: unknown, salt: string): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `${MASK} #${createHash('sha256').update(salt).update('\u0000').update(text).digest('hex').slice(0, 8)}`;
}

/** A copy of a Secret with every secret value masked (for diffs). */
export function maskSecretObject(object: Record<string, unknown>, salt: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  for (const key of ['data', 'stringData']) {
    const values = object[key];
    if (isMap(values)) out[key] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, maskValue(v, salt)]));
  }
  const metadata = object['metadata'];
  if (isMap(metadata) && isMap(metadata['annotations']) && LAST_APPLIED_ANNOTATION in metadata['annotations']) {
    const annotations = { ...metadata['annotations'], [LAST_APPLIED_ANNOTATION]: maskValue(metadata['annotations'][LAST_APPLIED_ANNOTATION], salt) };
    out['metadata'] = { ...metadata, annotations };
  }
  return out as KubeObject;
}
