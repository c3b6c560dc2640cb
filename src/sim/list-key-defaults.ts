/**
 * Defaults of list-map key fields, which server-side apply needs to tell list items apart: an
 * applied container port without `protocol` is the item `{containerPort, protocol: "TCP"}`, because
 * structured-merge-diff takes a missing key field's OpenAPI `default` when it builds the item's key
 * (kubernetes-sigs/structured-merge-diff#130). Without it, re-applying such an item adds a second
 * copy next to the one the server defaulted.
 *
 * Both the published OpenAPI documents and the built-in bundle (scripts/gen-bundle.mjs, KEY_DEFAULTS)
 * carry those defaults, so the sim matches items the same way with either schema source.
 */
import { child, items, type SchemaCursor } from './schema-nav.js';

/**
 * The defaults of `keys` for items of the list schema `list`: each key field's schema `default`.
 * Keys without a default are absent from the result.
 */
export function listKeyDefaults(list: SchemaCursor | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!list) return out;
  const ic = items(list);
  for (const key of keys) {
    const d = child(ic, key)?.schema.default;
    if (d !== undefined) out[key] = d;
  }
  return out;
}
