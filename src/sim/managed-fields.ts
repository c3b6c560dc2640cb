/**
 * Server-side apply and field ownership, after sigs.k8s.io/structured-merge-diff as kube-apiserver
 * uses it: every write records, per manager and operation (Apply | Update) and subresource, the set
 * of fields it owns as `fieldsV1`. Apply merges by schema (`x-kubernetes-list-type`/`-list-map-keys`
 * /`-map-type`), reports conflicts on fields another manager owns with a different value (unless
 * forced, which transfers them), shares fields set to the same value, and removes fields that the
 * applier stopped applying and nobody else owns. Update takes ownership of the fields it changed.
 *
 * A field set is a set of paths; a path is a list of fieldsV1 keys (`f:spec`, `k:{"name":"web"}`,
 * `v:"x"`, `.` for a list item itself). Only leaves and item markers are members.
 */
import { child, clone, deepEqual, isPlainObject, items, listSemantics, type SchemaCursor } from './schema-nav.js';
import { listKeyDefaults } from './list-key-defaults.js';

export type FieldPath = string[];

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Conflict {
  manager: string;
  path: FieldPath;
}

const SEP = '\u0000';
const join = (p: FieldPath) => p.join(SEP);
const split = (s: string) => (s === '' ? [] : s.split(SEP));

/** Metadata the server owns; never part of a field set. */
const SERVER_METADATA = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink',
]);

function sortedKeyJson(item: Record<string, unknown>, keys: string[]): string {
  const parts = [...keys].sort().filter((k) => item[k] !== undefined).map((k) => `${JSON.stringify(k)}:${JSON.stringify(item[k])}`);
  return `{${parts.join(',')}}`;
}

/**
 * The field set of an object. `scope` picks the part a write may touch: the main resource
 * (everything but status) or the status subresource (status only).
 */
export function fieldSetOf(obj: Record<string, unknown>, schema: SchemaCursor | undefined, scope: 'main' | 'status' | 'all' = 'main'): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (scope === 'main' && k === 'status' && schema?.schema.properties?.status !== undefined) continue;
    if (scope === 'status' && k !== 'status') continue;
    if (k === 'metadata' && isPlainObject(v)) {
      const m = Object.fromEntries(Object.entries(v).filter(([mk]) => !SERVER_METADATA.has(mk)));
      walk(m, child(schema, 'metadata'), ['f:metadata'], out);
      continue;
    }
    visit(v, child(schema, k), ['f:' + k], out);
  }
  return out;
}

function walk(map: Record<string, unknown>, c: SchemaCursor | undefined, prefix: FieldPath, out: Set<string>): void {
  for (const [k, v] of Object.entries(map)) visit(v, child(c, k), [...prefix, 'f:' + k], out);
}

function visit(v: unknown, c: SchemaCursor | undefined, path: FieldPath, out: Set<string>): void {
  if (v === null || v === undefined) {
    out.add(join(path));
    return;
  }
  if (isPlainObject(v)) {
    if (Object.keys(v).length === 0 || c?.schema['x-kubernetes-map-type'] === 'atomic') out.add(join(path));
    else walk(v, c, path, out);
    return;
  }
  if (Array.isArray(v)) {
    const sem = c ? listSemantics(c.schema) : { type: 'atomic' as const, keys: [] };
    if (sem.type === 'map' && sem.keys.length > 0 && v.every(isPlainObject)) {
      const ic = items(c);
      for (const item of v as Array<Record<string, unknown>>) {
        const ip = [...path, 'k:' + sortedKeyJson(item, sem.keys)];
        out.add(join([...ip, '.']));
        walk(item, ic, ip, out);
      }
    } else if (sem.type === 'set') {
      for (const item of v) out.add(join([...path, 'v:' + JSON.stringify(item)]));
    } else out.add(join(path));
    return;
  }
  out.add(join(path));
}

/** The value at a field path, or undefined when absent. `.` resolves to the list item itself. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if (el === '.') return cur;
    if (el.startsWith('f:')) cur = isPlainObject(cur) ? cur[el.slice(2)] : undefined;
    else if (el.startsWith('k:')) {
      const key = JSON.parse(el.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur) ? cur.find((x) => isPlainObject(x) && Object.entries(key).every(([k, kv]) => deepEqual(x[k], kv))) : undefined;
    } else if (el.startsWith('v:')) {
      const want = JSON.parse(el.slice(2)) as unknown;
      cur = Array.isArray(cur) ? cur.find((x) => deepEqual(x, want)) : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** `.spec.template.spec.containers[name="web"].image`, as the server prints paths in conflicts. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) out += '.' + el.slice(2);
    else if (el.startsWith('k:')) {
      const key = JSON.parse(el.slice(2)) as Record<string, unknown>;
      out += '[' + Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',') + ']';
    } else if (el.startsWith('v:')) out += `[=${el.slice(2)}]`;
  }
  return out;
}

export function toFieldsV1(set: Set<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const s of [...set].sort()) {
    let cur = root;
    for (const el of split(s)) {
      if (!isPlainObject(cur[el])) cur[el] = {};
      cur = cur[el] as Record<string, unknown>;
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const rec = (node: unknown, prefix: FieldPath) => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix.length > 0) out.add(join(prefix));
    for (const k of keys) rec(node[k], [...prefix, k]);
  };
  rec(fields, []);
  return out;
}

export function readManagedFields(obj: Record<string, unknown>): ManagedFieldsEntry[] {
  const m = isPlainObject(obj.metadata) ? obj.metadata.managedFields : undefined;
  if (!Array.isArray(m)) return [];
  return m.filter(isPlainObject).map((e) => e as unknown as ManagedFieldsEntry);
}

function identity(e: { manager: string; operation: string; subresource?: string | undefined; apiVersion?: string }): string {
  return `${e.manager}\u0001${e.operation}\u0001${e.subresource ?? ''}\u0001${e.operation === 'Update' ? e.apiVersion ?? '' : ''}`;
}

/** Upstream order: Apply before Update, then time, manager, apiVersion, subresource. */
export function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return [...entries].sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const pt = p.time ?? '';
    const qt = q.time ?? '';
    if (pt !== qt) return pt < qt ? -1 : 1;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return (p.subresource ?? '') < (q.subresource ?? '') ? -1 : 1;
  });
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export interface WriteIdentity {
  manager: string;
  apiVersion: string;
  time: string;
  subresource?: string;
}

function entry(id: WriteIdentity, operation: 'Apply' | 'Update', set: Set<string>): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = { manager: id.manager, operation, apiVersion: id.apiVersion, time: id.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(set) };
  if (id.subresource) e.subresource = id.subresource;
  return e;
}

/**
 * Ownership after a non-apply write (create, update, patch): the writer takes the fields whose
 * value it changed; removed fields leave every owner. Returns the new managedFields list.
 */
export function updateManagedFields(
  oldObj: Record<string, unknown> | undefined,
  newObj: Record<string, unknown>,
  schema: SchemaCursor | undefined,
  id: WriteIdentity,
): ManagedFieldsEntry[] {
  const scope = id.subresource === 'status' ? 'status' : 'main';
  const newSet = fieldSetOf(newObj, schema, scope);
  const newAll = fieldSetOf(newObj, schema, 'all');
  const changed = new Set<string>();
  for (const p of newSet) {
    const path = split(p);
    const before = oldObj === undefined ? undefined : valueAt(oldObj, path);
    if (before === undefined || (path[path.length - 1] !== '.' && !deepEqual(before, valueAt(newObj, path)))) changed.add(p);
  }
  const entries = oldObj === undefined ? [] : readManagedFields(oldObj);
  const myId = identity({ manager: id.manager, operation: 'Update', subresource: id.subresource, apiVersion: id.apiVersion });
  const out: ManagedFieldsEntry[] = [];
  let mine: Set<string> = new Set();
  for (const e of entries) {
    const set = fromFieldsV1(e.fieldsV1);
    if (identity(e) === myId) {
      mine = set;
      continue;
    }
    const kept = new Set([...set].filter((p) => newAll.has(p) && !changed.has(p)));
    if (kept.size === 0) continue;
    out.push(kept.size === set.size ? e : { ...e, fieldsV1: toFieldsV1(kept) });
  }
  const myNew = new Set([...mine].filter((p) => newAll.has(p)));
  for (const p of changed) myNew.add(p);
  if (myNew.size > 0) {
    const prev = entries.find((e) => identity(e) === myId);
    const unchanged = prev !== undefined && changed.size === 0 && myNew.size === mine.size;
    out.push(unchanged ? prev : entry(id, 'Update', myNew));
  }
  return sortEntries(out);
}

/**
 * List-map keys that have a default (`protocol: TCP` of ports; from the schema, or the sim's table
 * for schemas without defaults) are filled in the applied configuration before anything else, as
 * the server does, so the same item has one key whether or not the applier spelled it out.
 */
export function fillListKeyDefaults(v: unknown, c: SchemaCursor | undefined): void {
  if (!c) return;
  if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) fillListKeyDefaults(x, child(c, k));
    return;
  }
  if (!Array.isArray(v)) return;
  const sem = listSemantics(c.schema);
  const ic = items(c);
  const defaults = sem.type === 'map' ? listKeyDefaults(c, sem.keys) : {};
  for (const item of v) {
    if (isPlainObject(item))
      for (const [key, d] of Object.entries(defaults)) if (item[key] === undefined) item[key] = clone(d);
    fillListKeyDefaults(item, ic);
  }
}

/** SSA merge of an applied configuration into the live object. */
export function mergeApplied(live: unknown, applied: unknown, c: SchemaCursor | undefined): unknown {
  if (isPlainObject(applied)) {
    if (c?.schema['x-kubernetes-map-type'] === 'atomic') return clone(applied);
    const out: Record<string, unknown> = isPlainObject(live) ? clone(live) : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(out[k], v, child(c, k));
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const sem = c ? listSemantics(c.schema) : { type: 'atomic' as const, keys: [] };
    if (sem.type === 'map' && sem.keys.length > 0 && Array.isArray(live)) {
      const out = live.map((x) => clone(x));
      const ic = items(c);
      // A live item that predates defaulting still has the defaulted key (as the server sees it).
      const defaults = listKeyDefaults(c, sem.keys);
      const keyOf = (x: Record<string, unknown>, k: string) => x[k] ?? defaults[k];
      for (const item of applied) {
        if (!isPlainObject(item)) continue;
        const idx = out.findIndex((x) => isPlainObject(x) && sem.keys.every((k) => deepEqual(keyOf(x, k), keyOf(item, k))));
        if (idx >= 0) out[idx] = mergeApplied(out[idx], item, ic);
        else out.push(clone(item));
      }
      return out;
    }
    if (sem.type === 'set' && Array.isArray(live)) {
      const out = [...live];
      for (const x of applied) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    return clone(applied);
  }
  return applied;
}

function removePath(obj: unknown, path: FieldPath): void {
  if (path.length === 0) return;
  const last = path[path.length - 1]!;
  if (last === '.') {
    const parentPath = path.slice(0, -2);
    const list = valueAt(obj, parentPath);
    const item = valueAt(obj, path.slice(0, -1));
    if (Array.isArray(list)) {
      const i = list.indexOf(item);
      if (i >= 0) list.splice(i, 1);
    }
    return;
  }
  const parent = valueAt(obj, path.slice(0, -1));
  if (last.startsWith('f:') && isPlainObject(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('v:') && Array.isArray(parent)) {
    const want = JSON.parse(last.slice(2)) as unknown;
    const i = parent.findIndex((x) => deepEqual(x, want));
    if (i >= 0) parent.splice(i, 1);
  }
}

export interface ApplyResult {
  object: Record<string, unknown>;
  managedFields: ManagedFieldsEntry[];
  conflicts: Conflict[];
}

/**
 * Server-side apply: merges `applied` into `live` (undefined on create) for manager `id.manager`.
 * With conflicts and no force, `object` is the unchanged live object and `conflicts` is non-empty.
 */
export function serverSideApply(
  live: Record<string, unknown> | undefined,
  applied: Record<string, unknown>,
  schema: SchemaCursor | undefined,
  id: WriteIdentity,
  force: boolean,
): ApplyResult {
  const scope = id.subresource === 'status' ? 'status' : 'main';
  applied = clone(applied);
  fillListKeyDefaults(applied, schema);
  const appliedSet = fieldSetOf(applied, schema, scope);
  const entries = live === undefined ? [] : readManagedFields(live);
  const myId = identity({ manager: id.manager, operation: 'Apply', subresource: id.subresource });
  const conflicts: Conflict[] = [];
  const conflictPaths = new Map<number, Set<string>>();
  entries.forEach((e, i) => {
    if (identity(e) === myId) return;
    for (const p of fromFieldsV1(e.fieldsV1)) {
      if (!appliedSet.has(p)) continue;
      const path = split(p);
      if (path[path.length - 1] === '.') continue;
      if (deepEqual(valueAt(live, path), valueAt(applied, path))) continue;
      conflicts.push({ manager: printManager(e), path });
      let s = conflictPaths.get(i);
      if (!s) conflictPaths.set(i, (s = new Set()));
      s.add(p);
    }
  });
  conflicts.sort((a, b) => (formatFieldPath(a.path) < formatFieldPath(b.path) ? -1 : formatFieldPath(a.path) > formatFieldPath(b.path) ? 1 : 0));
  if (conflicts.length > 0 && !force) return { object: live ?? {}, managedFields: entries, conflicts };

  let merged = mergeApplied(live ?? {}, applied, schema) as Record<string, unknown>;
  const previous = entries.find((e) => identity(e) === myId);
  const others = new Set<string>();
  const otherEntries: ManagedFieldsEntry[] = [];
  entries.forEach((e, i) => {
    if (identity(e) === myId) return;
    let set = fromFieldsV1(e.fieldsV1);
    const lost = conflictPaths.get(i);
    if (lost) set = new Set([...set].filter((p) => !lost.has(p)));
    if (set.size === 0) return;
    for (const p of set) others.add(p);
    otherEntries.push(lost ? { ...e, fieldsV1: toFieldsV1(set) } : e);
  });
  if (previous) {
    const removed = [...fromFieldsV1(previous.fieldsV1)].filter((p) => !appliedSet.has(p) && !others.has(p));
    // Deepest first, so an item's fields go before the item itself.
    removed.sort((a, b) => split(b).length - split(a).length);
    merged = clone(merged);
    // structured-merge-diff's prune removes the whole last applied set and then adds back every
    // item some manager (the applier's new set included) still owns a field under: an empty map
    // or list owned as a whole stays when its keys become owned (`annotations: {}` then
    // `annotations: {a: b}`), and a list item stays while another manager owns one of its fields.
    const owned = [...others, ...appliedSet];
    for (const p of removed) {
      const path = split(p);
      const prefix = join(path[path.length - 1] === '.' ? path.slice(0, -1) : path) + SEP;
      if (owned.some((o) => o.startsWith(prefix))) continue;
      removePath(merged, path);
    }
  }
  const mineUnchanged = previous !== undefined && setsEqual(fromFieldsV1(previous.fieldsV1), appliedSet);
  const out = [...otherEntries];
  if (appliedSet.size > 0) out.push(mineUnchanged && previous ? previous : entry({ ...id, apiVersion: id.apiVersion }, 'Apply', appliedSet));
  // Forced conflicts are resolved (ownership transferred above), so none are reported.
  return { object: merged, managedFields: sortEntries(out), conflicts: [] };
}

function setsEqual(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** The 409 message kube-apiserver gives for apply conflicts (fieldmanager/internal/conflict.go). */
export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${formatFieldPath(conflicts[0]!.path)}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), formatFieldPath(c.path)]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
