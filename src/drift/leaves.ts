/**
 * An object as a map of comparable leaves. Three versions of one object (desired, last applied,
 * live) are compared leaf by leaf, so each leaf needs an identity that survives list reordering
 * and items other managers added: a list item is named by its key (`name`, `containerPort`,
 * `port`, `mountPath`, ...) rather than its index. Lists without such keys, lists of scalars and
 * scalars are atomic leaves (compared whole, as SSA treats atomic lists).
 *
 * Empty maps, empty lists and null are no leaves at all: empty-vs-absent is never a difference.
 * Identity and server bookkeeping (name, namespace, uid, resourceVersion, managedFields, status,
 * ...) are not leaves either: they are not what anyone applies.
 */
import type { JsonPath, KubeObject } from '../model/index.js';
import { deepEqual } from '../model/json.js';
import { isPlainObject as isMap } from '../model/json.js';

export interface Leaf {
  /** The path in the object it was read from (indices are that object's). */
  path: JsonPath;
  value: unknown;
}

/** Leaf identity (`spec/template/spec/containers/[name="web"]/image`) → leaf. */
export type LeafMap = Map<string, Leaf>;

export const SKIPPED_METADATA = new Set([
  'name', 'namespace', 'generateName', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink',
]);

/** Item keys in the order they are tried; the first one an item has names it. */
const ITEM_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'type', 'topologyKey'];

export function leavesOf(object: KubeObject | undefined): LeafMap {
  const out: LeafMap = new Map();
  if (object === undefined) return out;
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata' && isMap(value)) {
      for (const [mk, mv] of Object.entries(value)) if (!SKIPPED_METADATA.has(mk)) walk(mv, ['metadata', mk], `metadata/${esc(mk)}`, out);
      continue;
    }
    walk(value, [key], esc(key), out);
  }
  return out;
}

// `path` is one stack, pushed and popped on the way down; a leaf keeps a copy. Drift walks three
// versions of every object, and copying the path at every node was most of that walk.
function walk(value: unknown, path: Array<string | number>, id: string, out: LeafMap): void {
  if (value === null || value === undefined) return;
  if (isMap(value)) {
    for (const k of Object.keys(value)) {
      path.push(k);
      walk(value[k], path, `${id}/${esc(k)}`, out);
      path.pop();
    }
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const keys = itemKeys(value);
    if (keys === undefined) {
      out.set(id, { path: path.slice(), value });
      return;
    }
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, `${id}/[${keys[i]}]`, out);
      path.pop();
    }
    return;
  }
  out.set(id, { path: path.slice(), value });
}

/** Keys of every item, or undefined when the list is atomic (some item has no key, or keys repeat). */
export function itemKeys(list: readonly unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const item of list) {
    if (!isMap(item)) return undefined;
    const field = ITEM_KEYS.find((k) => typeof item[k] === 'string' || typeof item[k] === 'number');
    if (field === undefined) return undefined;
    keys.push(`${field}=${JSON.stringify(item[field])}`);
  }
  return new Set(keys).size === keys.length ? keys : undefined;
}

function esc(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** Leaf values equal for drift: deep equality, with Kubernetes quantities compared by value. */
export function sameValue(a: unknown, b: unknown, path?: JsonPath): boolean {
  if (deepEqual(a, b)) return true;
  if (a === undefined || b === undefined) return false;
  if (path !== undefined && isQuantityPath(path)) {
    const qa = quantityValue(a);
    const qb = quantityValue(b);
    return qa !== undefined && qb !== undefined && qa === qb;
  }
  return false;
}

export { deepEqual };

const QUANTITY_PARENTS = new Set(['requests', 'limits', 'capacity', 'allocatable', 'hard', 'overhead']);
const QUANTITY_KEYS = new Set(['storage', 'sizeLimit']);

function isQuantityPath(path: JsonPath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  return (typeof parent === 'string' && QUANTITY_PARENTS.has(parent)) || (typeof last === 'string' && QUANTITY_KEYS.has(last));
}

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** `1000m` and `1` are one value; rounding to 12 significant digits absorbs float noise. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number(value.toPrecision(12));
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]) * (m[2] !== undefined ? Number(`1${m[2]}`) : SUFFIX[m[3] ?? '']!);
  return Number(base.toPrecision(12));
}

export { isMap };

/** The object rebuilt from some of its leaves (for diffs): list items keep their relative order. */
export function project(leaves: ReadonlyMap<string, Leaf>, ids: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const picked = [...ids].map((id) => leaves.get(id)).filter((l): l is Leaf => l !== undefined);
  picked.sort((a, b) => comparePaths(a.path, b.path));
  for (const leaf of picked) setAt(root, leaf.path, leaf.value);
  return compact(root) as Record<string, unknown>;
}

function comparePaths(a: JsonPath, b: JsonPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return 0;
  }
  return 0;
}

function setAt(root: Record<string, unknown>, path: JsonPath, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = path[i + 1]!;
    if (node[seg] === undefined) node[seg] = typeof next === 'number' ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(compact);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  return value;
}
