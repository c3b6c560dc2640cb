/**
 * The apply event stream as JSON lines (`-o jsonl`): one JSON object per event, described by
 * schemas/apply-event.schema.json: `apiVersion: kd.io/v1`, `kind: ApplyEvent`, the event's
 * `type` and data, times as ISO strings, and every object identity as the shared reference
 * `object: {apiVersion, kind, namespace?, name}` (json-document.ts), in the plan too. Object
 * bodies never appear (plan entries carry them for the executor), so neither do Secret values.
 */
import type { ApplyEvent, ObjectRef } from '../../src/index.js';
import { documentHead, objectReference } from './json-document.js';

export function formatEventJsonl(event: ApplyEvent): string {
  const { at, ...rest } = event;
  const data = toJson(rest) as Record<string, unknown>;
  // `kind` is the envelope's: an object failure's kind (health, timeout, ...) is `failureKind`.
  if ('kind' in data) {
    data['failureKind'] = data['kind'];
    delete data['kind'];
  }
  return `${JSON.stringify({ ...documentHead('ApplyEvent'), ...data, at: new Date(at).toISOString() })}\n`;
}

const isRef = (v: unknown): v is ObjectRef => typeof v === 'object' && v !== null && typeof (v as ObjectRef).kind === 'string' && typeof (v as ObjectRef).version === 'string';

/** `ref` becomes `object` (the reference); an `object` holding a body is dropped; `key` (internal) too. */
function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const hasRef = isRef(record['ref']);
  for (const [k, v] of Object.entries(record)) {
    if (k === 'ref' && hasRef) out['object'] = objectReference(v as ObjectRef);
    else if (k === 'object' && isRef(v) && !hasRef) out['object'] = objectReference(v); // a diagnostic's object
    else if (k === 'object' || (k === 'key' && hasRef)) continue;
    else out[k] = toJson(v);
  }
  return out;
}
