/**
 * Defaults of list-map key fields, which server-side apply needs to tell list items apart: an
 * applied container port without `protocol` is the item `{containerPort, protocol: "TCP"}`, because
 * structured-merge-diff takes a missing key field's OpenAPI `default` when it builds the item's key
 * (kubernetes-sigs/structured-merge-diff#130). Without it, re-applying such an item adds a second
 * copy next to the one the server defaulted.
 *
 * The published OpenAPI documents carry those defaults; the built-in bundle is generated from the
 * client library's models, which have no defaults at all. So the key defaults of the built-in kinds
 * are also listed here, by component schema name, and used when the schema itself has none: the sim
 * then matches items the same way with either schema source. Only defaults that differ from the
 * zero value are listed (in the 1.35 documents that is `protocol` of ContainerPort and ServicePort;
 * the other key defaults are `""`/`0` of required keys, which validation rejects anyway).
 * Custom resources inline their schemas (no `$ref`), so the table never applies to them.
 */
import type { SchemaObject } from '../schema/types.js';
import { child, items, type SchemaCursor } from './schema-nav.js';

const BUILT_IN_KEY_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

/** The component name an items schema points at: `{$ref}` (bundle) or `{allOf: [{$ref}]}` (published). */
function refName(s: SchemaObject | undefined): string | undefined {
  const ref = s?.$ref ?? (s?.allOf?.length === 1 ? s.allOf[0]?.$ref : undefined);
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

/**
 * The defaults of `keys` for items of the list schema `list`: the key field's schema `default`,
 * else the built-in table. Keys without a default are absent from the result.
 */
export function listKeyDefaults(list: SchemaCursor | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!list) return out;
  const ic = items(list);
  const table = BUILT_IN_KEY_DEFAULTS[refName(list.schema.items) ?? ''];
  for (const key of keys) {
    const d = child(ic, key)?.schema.default ?? table?.[key];
    if (d !== undefined) out[key] = d;
  }
  return out;
}
