/**
 * Who owns a field of a live object, read from its `metadata.managedFields` (fieldsV1 trees:
 * `f:<field>`, `k:<json key of a list item>`, `v:<json value of a set item>`, `i:<index>`, and
 * `.` for an item itself). A manager owns a path when its tree reaches the path's end, or stops
 * at a leaf above it (an atomic map or list is owned whole).
 *
 * Status-subresource writes are never owners here: drift is about what was applied, not status.
 */
import type { JsonPath, KubeObject } from '../model/index.js';
import { deepEqual, isMap } from './leaves.js';
import type { FieldOwner } from './types.js';

export interface ManagedEntry extends FieldOwner {
  fields: Record<string, unknown>;
}

export function managedEntries(live: KubeObject | undefined): ManagedEntry[] {
  const metadata = live?.metadata;
  const list = isMap(metadata) ? metadata['managedFields'] : undefined;
  if (!Array.isArray(list)) return [];
  const out: ManagedEntry[] = [];
  for (const e of list) {
    if (!isMap(e) || typeof e['manager'] !== 'string') continue;
    if (e['subresource'] === 'status') continue;
    const entry: ManagedEntry = {
      manager: e['manager'],
      operation: e['operation'] === 'Apply' ? 'Apply' : 'Update',
      fields: isMap(e['fieldsV1']) ? e['fieldsV1'] : {},
    };
    if (typeof e['time'] === 'string') entry.time = e['time'];
    if (typeof e['subresource'] === 'string' && e['subresource'] !== '') entry.subresource = e['subresource'];
    out.push(entry);
  }
  return out;
}

/** Whether the entry owns the value at `path` of `live` (or a field below it). */
export function owns(entry: ManagedEntry, live: KubeObject, path: JsonPath): boolean {
  let tree: Record<string, unknown> = entry.fields;
  let value: unknown = live;
  for (const seg of path) {
    if (Object.keys(tree).length === 0 && tree !== entry.fields) return true;
    let next: unknown;
    if (typeof seg === 'number') {
      const item = Array.isArray(value) ? value[seg] : undefined;
      next = itemNode(tree, item, seg);
      value = item;
    } else {
      next = tree[`f:${seg}`];
      value = isMap(value) ? value[seg] : undefined;
    }
    if (!isMap(next)) return false;
    tree = next;
  }
  return true;
}

function itemNode(tree: Record<string, unknown>, item: unknown, index: number): unknown {
  for (const [k, v] of Object.entries(tree)) {
    if (k.startsWith('k:') && isMap(item)) {
      const key = parseJson(k.slice(2));
      if (isMap(key) && Object.entries(key).every(([kk, kv]) => deepEqual(item[kk], kv))) return v;
    } else if (k.startsWith('v:')) {
      if (deepEqual(parseJson(k.slice(2)), item)) return v;
    } else if (k === `i:${index}`) return v;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The write that set the value at `path`: among the owners, other managers before `self`
 * (kd sharing a field it applied says nothing about who changed it), the latest write first.
 */
export function ownerOf(live: KubeObject | undefined, path: JsonPath, self: string): FieldOwner | undefined {
  if (live === undefined) return undefined;
  const owners = managedEntries(live).filter((e) => owns(e, live, path));
  const others = owners.filter((e) => e.manager !== self);
  return latestOwner(others.length > 0 ? others : owners);
}

/** The most recent of some entries, as a FieldOwner. */
export function latestOwner(entries: readonly ManagedEntry[]): FieldOwner | undefined {
  const pick = [...entries].sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0];
  if (pick === undefined) return undefined;
  const owner: FieldOwner = { manager: pick.manager, operation: pick.operation };
  if (pick.time !== undefined) owner.time = pick.time;
  if (pick.subresource !== undefined) owner.subresource = pick.subresource;
  return owner;
}
