/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as kube-apiserver applies it to
 * built-in kinds: lists with `x-kubernetes-patch-strategy: merge` merge by their
 * `x-kubernetes-patch-merge-key`; other lists and scalars replace; `null` deletes. Directives:
 * `$patch: replace|delete|merge` (in maps and list items), `$setElementOrder/<list>`,
 * `$retainKeys` (with strategy `retainKeys`), `$deleteFromPrimitiveList/<list>`.
 * The schema comes in as a cursor; without one the patch degrades to a JSON merge patch.
 */
import { child, clone, deepEqual, isPlainObject, items, type SchemaCursor } from './schema-nav.js';

export class PatchError extends Error {}

function strategy(c: SchemaCursor | undefined): string[] {
  return String(c?.schema['x-kubernetes-patch-strategy'] ?? '').split(',').filter((s) => s !== '');
}

export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaCursor | undefined): unknown {
  if (!isPlainObject(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  return mergeMap(isPlainObject(original) ? original : {}, patch, schema);
}

function mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>, c: SchemaCursor | undefined): Record<string, unknown> {
  const directive = patch.$patch;
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const out = clone(patch);
    delete out.$patch;
    return stripDirectives(out);
  }
  let out = clone(original);
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  const orders = new Map<string, unknown[]>();
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) {
      if (Array.isArray(v)) orders.set(k.slice('$setElementOrder/'.length), v);
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const name = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[name];
      if (Array.isArray(cur) && Array.isArray(v)) out[name] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const cc = child(c, k);
    if (v === null) {
      delete out[k];
      continue;
    }
    const cur = out[k];
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(cur) ? cur : [], v, cc);
    } else if (isPlainObject(v)) {
      if (c !== undefined && cc === undefined && !isPlainObject(cur)) out[k] = stripDirectives(clone(v));
      else if (strategy(cc).includes('replace')) out[k] = stripDirectives(clone(v));
      else out[k] = mergeMap(isPlainObject(cur) ? cur : {}, v, cc);
    } else out[k] = v;
  }
  for (const [name, order] of orders) {
    const cur = out[name];
    if (Array.isArray(cur)) out[name] = reorder(cur, order, mergeKeyOf(child(c, name)));
  }
  return out;
}

function mergeKeyOf(c: SchemaCursor | undefined): string | undefined {
  const k = c?.schema['x-kubernetes-patch-merge-key'];
  return typeof k === 'string' ? k : undefined;
}

function mergeList(original: unknown[], patch: unknown[], c: SchemaCursor | undefined): unknown[] {
  const strat = strategy(c);
  const key = mergeKeyOf(c);
  if (patch.some((p) => isPlainObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isPlainObject(p) && p.$patch === 'replace')).map((p) => stripDirectives(clone(p)));
  }
  if (!strat.includes('merge')) return patch.map((p) => (isPlainObject(p) ? stripDirectives(clone(p)) : p));
  if (key === undefined) {
    // Primitive list with merge strategy: union, keeping order.
    const out = [...original];
    for (const p of patch) if (!out.some((x) => deepEqual(x, p))) out.push(p);
    return out;
  }
  const out = original.map((x) => clone(x));
  const ic = items(c);
  for (const p of patch) {
    if (!isPlainObject(p)) continue;
    const idx = out.findIndex((x) => isPlainObject(x) && deepEqual(x[key], p[key]));
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Record<string, unknown>, p, ic);
    else out.push(mergeMap({}, p, ic));
  }
  return out;
}

/** `$setElementOrder`: the listed items first in the given order, the others after in their order. */
function reorder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const keyOf = (x: unknown) => (key !== undefined && isPlainObject(x) ? x[key] : x);
  const wanted = order.map((o) => (key !== undefined && isPlainObject(o) ? o[key] : o));
  const placed: unknown[] = [];
  for (const w of wanted) {
    const found = list.find((x) => deepEqual(keyOf(x), w));
    if (found !== undefined) placed.push(found);
  }
  const rest = list.filter((x) => !wanted.some((w) => deepEqual(keyOf(x), w)));
  return [...placed, ...rest];
}

function stripDirectives<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripDirectives) as T;
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    out[k] = stripDirectives(x);
  }
  return out as T;
}
