/**
 * Navigation in OpenAPI v3 schemas as Kubernetes publishes them: `$ref` into the same document's
 * `components.schemas`, and the `allOf: [{$ref}]` wrapper used for properties that carry a default.
 * Everything here is pure and tolerant: an unknown schema is `undefined`, meaning "anything goes".
 */
import type { OpenApiDocument, SchemaObject } from '../schema/types.js';
import { deepEqual, isPlainObject } from '../model/json.js';

export interface SchemaCursor {
  doc: OpenApiDocument;
  schema: SchemaObject;
}

/** Follows `$ref` and single-element `allOf` wrappers, keeping the wrapper's own keywords. */
export function resolve(doc: OpenApiDocument, schema: SchemaObject | undefined, depth = 0): SchemaObject | undefined {
  if (schema === undefined || depth > 32) return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '').replace(/^#\/definitions\//, '');
    const target = doc.components?.schemas?.[name];
    const { $ref: _ref, ...rest } = schema;
    void _ref;
    return resolve(doc, { ...target, ...rest }, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && schema.properties === undefined && schema.type === undefined) {
    const { allOf, ...rest } = schema;
    const inner = resolve(doc, allOf[0], depth + 1);
    return { ...inner, ...rest };
  }
  return schema;
}

export function cursor(doc: OpenApiDocument, schema: SchemaObject | undefined): SchemaCursor | undefined {
  const s = resolve(doc, schema);
  return s === undefined ? undefined : { doc, schema: s };
}

/** The schema of property `key` of an object schema (a declared property, else additionalProperties). */
export function child(c: SchemaCursor | undefined, key: string): SchemaCursor | undefined {
  if (!c) return undefined;
  const p = c.schema.properties?.[key];
  if (p !== undefined) return cursor(c.doc, p);
  const ap = c.schema.additionalProperties;
  if (typeof ap === 'object') return cursor(c.doc, ap);
  return undefined;
}

export function items(c: SchemaCursor | undefined): SchemaCursor | undefined {
  if (!c || c.schema.items === undefined) return undefined;
  return cursor(c.doc, c.schema.items);
}

export function typeOf(s: SchemaObject): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type;
}

/** True when the schema lets any field through (`preserve-unknown-fields`, or a free-form object). */
export function preservesUnknown(s: SchemaObject): boolean {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return true;
  if (s['x-kubernetes-embedded-resource'] === true && s.properties === undefined) return true;
  return typeOf(s) === 'object' && s.properties === undefined && s.additionalProperties === undefined;
}

/** How a list merges: SSA's list-type, falling back to the strategic-merge key for old schemas. */
export function listSemantics(s: SchemaObject): { type: 'atomic' | 'set' | 'map'; keys: string[] } {
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'map') return { type: 'map', keys: s['x-kubernetes-list-map-keys'] ?? [] };
  if (lt === 'set') return { type: 'set', keys: [] };
  if (lt === 'atomic') return { type: 'atomic', keys: [] };
  const mk = s['x-kubernetes-patch-merge-key'];
  if (typeof mk === 'string' && String(s['x-kubernetes-patch-strategy'] ?? '').includes('merge')) return { type: 'map', keys: [mk] };
  return { type: 'atomic', keys: [] };
}

export { deepEqual, isPlainObject };

/**
 * A deep copy with exactly the result of a JSON round trip (undefined members dropped, undefined
 * array items and non-finite numbers as null, -0 as 0, toJSON honoured), without its text: the
 * sim copies every object it writes, and the round trip was its largest single cost.
 */
export function clone<T>(v: T): T {
  return v === undefined ? v : (copyJson(v) as T);
}

function copyJson(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
  if (v === null || typeof v !== 'object') return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v)) as unknown;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as unknown;
      out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : copyJson(item);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const item = (v as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    // JSON.parse makes "__proto__" an own member; plain assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyJson(item), enumerable: true, writable: true, configurable: true });
    else out[key] = copyJson(item);
  }
  return out;
}
