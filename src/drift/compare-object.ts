/**
 * The three-way comparison of one object: desired (the files), last applied, live. Values are
 * compared after the server normalised them: the desired object and the last-applied one go
 * through a server-side dry-run apply (done by the shell, passed in as `predicted` and
 * `predictedApplied`), so defaults, quantity spellings, int-or-string and empty-vs-absent never
 * look like drift. Per leaf (see leaves.ts), with d, a, l its desired, applied and live values:
 *  - d = a and l = a: in sync;      - d ≠ a, l = a: pending (the files moved);
 *  - d = a, l ≠ a: drifted;         - d ≠ a, l ≠ a, d ≠ l: conflict (d = l: both moved alike, in sync).
 * Object-level: missing (applied, in the files, not live), new (in the files, never applied, not
 * live), orphan (an ApplySet member not in the files). Foreign leaves (`showForeign`) are live
 * leaves neither side has, owned by a manager other than kd and the last applier.
 */
import { readKdAnnotations } from '../annotations/index.js';
import { yamlLibrary } from '../manifest/yaml-library.js';
import { describeRef, toJsonPointer, type KubeObject, type ObjectRef } from '../model/index.js';
import { latestOwner, managedEntries, owns, ownerOf } from './field-owners.js';
import { unifiedDiff } from './line-diff.js';
import { isIgnored, ignoredPointers, type IgnoreRule } from './ignore.js';
import { LAST_APPLIED_ANNOTATION, appliedStateOf, type AppliedState } from './applied-state.js';
import { deepEqual, isMap, itemKeys, leavesOf, project, sameValue, SKIPPED_METADATA, type Leaf, type LeafMap } from './leaves.js';
import { carriesSecret, isSecretObject, isSecretPath, maskSecretObject, maskValue } from './mask.js';
import type { DriftClass, DriftFinding, ObjectDrift } from './types.js';

export interface ObjectDriftInput {
  ref: ObjectRef;
  /** As kd would send it now (namespace set; the release's member labels when the release applied it). */
  desired?: KubeObject;
  /** The object in the release record. */
  record?: KubeObject;
  live?: KubeObject;
  /** The live object carries the release's ApplySet membership label. */
  member?: boolean;
  /** The server's dry-run apply of `desired`. */
  predicted?: KubeObject;
  /** The server's dry-run apply of the last-applied object, when it differs from `desired`. */
  predictedApplied?: KubeObject;
  file?: string;
  line?: number;
  note?: string;
}

export interface CompareOptions {
  /** kd's field manager (`kubectl-kd`). */
  fieldManager: string;
  ignore: readonly IgnoreRule[];
  showForeign: boolean;
  diff: boolean;
  /** Salt for the hashes of masked Secret values. */
  secretSalt: string;
}

const FIELD_ORDER: DriftClass[] = ['conflict', 'drifted', 'pending', 'foreign'];

/** The comparison of one object; undefined when there is nothing to say (applied, dropped from the files, gone). */
export function compareObject(input: ObjectDriftInput, options: CompareOptions): ObjectDrift | undefined {
  const la = appliedStateOf({ fieldManager: options.fieldManager, ...(input.record ? { record: input.record } : {}), ...(input.live ? { live: input.live } : {}) });
  const base = (cls: DriftClass, findings: DriftFinding[]): ObjectDrift => {
    const out: ObjectDrift = { ref: input.ref, class: cls, findings, appliedFrom: la.source };
    if (input.file !== undefined) out.file = input.file;
    if (input.line !== undefined) out.line = input.line;
    if (input.note !== undefined) out.note = input.note;
    return out;
  };
  if (input.live === undefined) {
    if (input.desired === undefined) return undefined;
    const cls = la.source === 'release' ? 'missing' : 'new';
    return base(cls, [{ class: cls }]);
  }
  if (input.desired === undefined) {
    if (!input.member) return undefined;
    // Prune leaves objects marked keep (selectPrune): calling them orphans would fail every audit.
    const cls = readKdAnnotations(input.live).value.keep === true ? 'kept' : 'orphan';
    return base(cls, [{ class: cls }]);
  }

  const live = input.live;
  // Values that agree as written, with no server answer to weigh in and no foreign fields to
  // list, give no finding at all (each leaf: d = a and l = d): the in-sync answer without the walk.
  if (!options.showForeign && input.predicted === undefined && input.predictedApplied === undefined && la.object !== undefined && agreesAsWritten({ desired: input.desired, live, applied: la.object })) return base('in-sync', []);
  const secret = isSecretObject(input.ref);
  const annotation = driftIgnoreOf(input.desired ?? input.record ?? live);
  const pointers = ignoredPointers(input.ref, options.ignore, annotation);

  // 1. The leaves of each side, normalised by the server where it could be asked.
  const desiredObject = input.desired;
  const desiredIds = new Set(leavesOfData(desiredObject).keys());
  const desiredLeaves = normalisedLeaves(desiredObject, input.predicted);
  const liveLeaves = leavesOfData(live, 'data');
  const applied = appliedLeaves(la, input, desiredIds, desiredLeaves, live, options.fieldManager);
  const appliedIds = new Set(applied.keys());

  // 2. Leaf by leaf.
  const findings: DriftFinding[] = [];
  const ids = [...new Set([...desiredIds, ...appliedIds])];
  for (const id of ids) {
    // A field only the last apply set: what the server would keep of it (a default, a co-owner's value).
    const dLeaf = desiredIds.has(id) || input.predicted ? desiredLeaves.get(id) : undefined;
    const aLeaf = applied.get(id);
    const lLeaf = liveLeaves.get(id);
    const path = (lLeaf ?? dLeaf ?? aLeaf)?.path;
    if (path === undefined || isIgnored(path, pointers)) continue;
    const d = dLeaf?.value;
    const a = aLeaf?.value;
    const l = lLeaf?.value;
    const pending = !sameValue(d, a, path);
    const drifted = !sameValue(l, a, path);
    if (!pending && !drifted) continue;
    if (pending && drifted && sameValue(d, l, path)) continue;
    const cls = pending && drifted ? 'conflict' : pending ? 'pending' : 'drifted';
    const finding: DriftFinding = { class: cls, path };
    if (d !== undefined) finding.desired = d;
    if (a !== undefined) finding.applied = a;
    if (l !== undefined) finding.live = l;
    if (cls !== 'pending') {
      const owner = ownerOf(live, lLeaf?.path ?? path, options.fieldManager);
      if (owner) finding.owner = owner;
    }
    findings.push(mask(finding, secret, options.secretSalt));
  }

  // 3. Foreign: what other managers set that kd never did.
  if (options.showForeign) {
    const entries = managedEntries(live).filter((e) => e.manager !== options.fieldManager && e.manager !== la.manager);
    const foreign: DriftFinding[] = [];
    for (const [id, leaf] of liveLeaves) {
      if (desiredIds.has(id) || appliedIds.has(id) || isIgnored(leaf.path, pointers) || isLastAppliedAnnotation(leaf.path)) continue;
      const owner = latestOwner(entries.filter((e) => owns(e, live, leaf.path)));
      if (!owner) continue;
      foreign.push(mask({ class: 'foreign', path: leaf.path, live: leaf.value, owner }, secret, options.secretSalt));
    }
    const ptr = (f: DriftFinding) => toJsonPointer(f.path ?? []);
    findings.push(...foreign.sort((a, b) => (ptr(a) < ptr(b) ? -1 : ptr(a) > ptr(b) ? 1 : 0)));
  }

  const cls = FIELD_ORDER.find((c) => findings.some((f) => f.class === c)) ?? 'in-sync';
  const out = base(cls, findings);
  if (options.diff && cls !== 'in-sync') {
    const diff = objectDiffText(input.ref, liveLeaves, desiredLeaves, desiredIds, ids, secret, options.secretSalt);
    if (diff !== '') out.diff = diff;
  }
  return out;
}

/** The applied side's leaves, normalised: by its own dry run, by the desired one's when they are equal, else raw. */
function appliedLeaves(la: AppliedState, input: ObjectDriftInput, desiredIds: Set<string>, desiredLeaves: ReadonlyLeafMap, live: KubeObject, self: string): ReadonlyLeafMap {
  if (la.source === 'none') return new Map();
  if (la.leaves !== undefined) {
    // managedFields: live values at the applier's fields; where another manager took a field the
    // files set, assume it was applied as the files say (the live value is not the applied one).
    const out = new Map(la.leaves);
    // (the applier's own writes through a subresource, `kubectl scale` after `kubectl apply`, count as others)
    const others = managedEntries(live).filter((e) => (e.manager !== la.manager || e.subresource !== undefined) && e.manager !== self);
    for (const id of desiredIds) {
      if (out.has(id)) continue;
      const l = leavesOfData(live, 'data').get(id);
      const d = desiredLeaves.get(id);
      if (l && d && others.some((e) => owns(e, live, l.path))) out.set(id, d);
    }
    return out;
  }
  const object = la.object!;
  const ids = leavesOfData(object).keys();
  // An annotation rewritten by an edit carries the edit: where the editor owns the live value,
  // assume the files' value was the applied one, so the edit shows as drift by its manager.
  const editor = la.rewrittenBy === undefined ? [] : managedEntries(live).filter((e) => e.manager === la.rewrittenBy);
  let normalised: ReadonlyLeafMap;
  if (input.predictedApplied) normalised = normalisedLeaves(object, input.predictedApplied);
  else if (input.predicted && input.desired && !appliedDiffersFromDesired(object, input.desired)) normalised = normalisedLeaves(object, input.predicted);
  else normalised = leavesOfData(object);
  const out: LeafMap = new Map();
  const liveLeaves = editor.length > 0 ? leavesOfData(live, 'data') : undefined;
  for (const id of ids) {
    const leaf = normalised.get(id);
    const l = liveLeaves?.get(id);
    const d = desiredLeaves.get(id);
    if (l && d && desiredIds.has(id) && editor.some((e) => owns(e, live, l.path))) out.set(id, d);
    else if (leaf) out.set(id, leaf);
  }
  return out;
}

function isLastAppliedAnnotation(path: readonly (string | number)[]): boolean {
  return path.length === 3 && path[0] === 'metadata' && path[1] === 'annotations' && path[2] === LAST_APPLIED_ANNOTATION;
}

/**
 * The leaves of an object as the server would store it, where the server's answer has them;
 * the object's own where it has not (a leaf the dry run lost or could not be matched up).
 */
function normalisedLeaves(object: KubeObject | undefined, predicted: KubeObject | undefined): ReadonlyLeafMap {
  const own = leavesOfData(object);
  if (predicted === undefined) return own;
  const server = new Map(leavesOfData(predicted));
  for (const [id, leaf] of own) if (!server.has(id)) server.set(id, leaf);
  return server;
}

/**
 * Whether the server's normalisation can be skipped: the desired object equals the last-applied
 * one and the live object already holds every value of it as written. Normalisation only ever
 * makes values agree, so such an object is in sync either way (most objects, most runs).
 */
export function agreesAsWritten(input: { desired: KubeObject; live: KubeObject; applied: KubeObject | undefined }): boolean {
  if (input.applied === undefined) return false;
  // Asked twice per object (the shell, to skip the dry run; compareObject, to skip the walk).
  const known = agreed.get(input.desired);
  if (known !== undefined && known.live === input.live && known.applied === input.applied) return known.result;
  const result = agreesAsWrittenNow(input.desired, input.live, input.applied);
  agreed.set(input.desired, { live: input.live, applied: input.applied, result });
  return result;
}

const agreed = new WeakMap<KubeObject, { live: KubeObject; applied: KubeObject; result: boolean }>();

function agreesAsWrittenNow(desired: KubeObject, liveObject: KubeObject, applied: KubeObject): boolean {
  const input = { desired, live: liveObject, applied };
  // The usual case decided without leaves: the record is the desired object itself and the live
  // object holds each of its values at the same place. Both imply what the leaf test below checks.
  if (deepEqual(input.applied, input.desired) && heldAsWritten(input.desired, input.live)) return true;
  if (appliedDiffersFromDesired(input.applied, input.desired)) return false;
  const live = leavesOfData(input.live, 'data');
  for (const [id, leaf] of leavesOfData(input.desired)) if (!sameValue(leaf.value, live.get(id)?.value, leaf.path)) return false;
  return true;
}

/**
 * A sufficient test that every leaf of `desired` is in `live` with an equal value: maps key by key,
 * keyed list items by key, other lists whole. False only means "not shown this way" (`1000m` for
 * `1`, an empty map against none, a Secret's stringData): the leaf test decides those.
 */
function heldAsWritten(desired: KubeObject, live: KubeObject): boolean {
  if (secretData(desired) !== desired || secretData(live, 'data') !== live) return false;
  // Indexed loops: every object in sync passes here, cold, where a for-of allocates per key.
  const keys = Object.keys(desired);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    const d = desired[key];
    const l = live[key];
    if (key === 'metadata' && isMap(d)) {
      if (!isMap(l)) return false;
      const metadataKeys = Object.keys(d);
      for (let j = 0; j < metadataKeys.length; j++) {
        const mk = metadataKeys[j]!;
        if (!SKIPPED_METADATA.has(mk) && !contains(d[mk], l[mk])) return false;
      }
    } else if (!contains(d, l)) return false;
  }
  return true;
}

function contains(desired: unknown, live: unknown): boolean {
  if (desired === null || desired === undefined) return true; // no leaves
  if (isMap(desired)) {
    if (!isMap(live)) return false;
    const keys = Object.keys(desired);
    for (let i = 0; i < keys.length; i++) if (!contains(desired[keys[i]!], live[keys[i]!])) return false;
    return true;
  }
  if (Array.isArray(desired)) {
    if (desired.length === 0) return true; // no leaves
    const keys = itemKeys(desired);
    // An atomic list is one leaf; a keyed one a leaf per field of each item, found by its key (the
    // cluster's copy may hold its items in another order, with defaults and other items added).
    if (keys === undefined || !Array.isArray(live)) return deepEqual(desired, live);
    const liveKeys = itemKeys(live);
    if (liveKeys === undefined) return false;
    const at = new Map(liveKeys.map((k, i) => [k, i]));
    return keys.every((k, i) => {
      const j = at.get(k);
      return j !== undefined && contains(desired[i], live[j]);
    });
  }
  return deepEqual(desired, live);
}

/** Whether the last-applied object needs its own dry run: it differs from the desired one in what either sets. */
export function appliedDiffersFromDesired(applied: KubeObject, desired: KubeObject): boolean {
  const a = leavesOfData(applied);
  const d = leavesOfData(desired);
  if (a.size !== d.size) return true;
  for (const [id, leaf] of a) {
    const other = d.get(id);
    if (other === undefined || !deepEqual(leaf.value, other.value)) return true;
  }
  return false;
}

type ReadonlyLeafMap = ReadonlyMap<string, Leaf>;

// Drift reads each version of an object's leaves several times (the skip test, the comparison,
// the applied side's normalisation); walking it once per version was a third of a large audit.
// Keyed by the object itself: the objects compared are never changed once read.
const leafCache = { stringData: new WeakMap<KubeObject, ReadonlyLeafMap>(), data: new WeakMap<KubeObject, ReadonlyLeafMap>() };
const NO_LEAVES: ReadonlyLeafMap = new Map();

/** `leavesOf(secretData(object, precedence))`, computed once per object; never to be changed by the caller. */
function leavesOfData(object: KubeObject | undefined, precedence: 'stringData' | 'data' = 'stringData'): ReadonlyLeafMap {
  if (object === undefined) return NO_LEAVES;
  const cache = leafCache[precedence];
  let leaves = cache.get(object);
  if (leaves === undefined) cache.set(object, (leaves = leavesOf(secretData(object, precedence))));
  return leaves;
}

/**
 * A Secret's `stringData` as the server stores it: base64 in `data`. On a write `stringData`
 * wins; a stored object should have none, but when one does (a simulator keeping it), a later
 * change to `data` is the newer value, so `live` objects give `data` precedence.
 */
export function secretData(object: KubeObject | undefined, precedence: 'stringData' | 'data' = 'stringData'): KubeObject | undefined {
  if (object === undefined || object.kind !== 'Secret' || !isMap(object['stringData'])) return object;
  const data: Record<string, unknown> = isMap(object['data']) ? { ...object['data'] } : {};
  for (const [k, v] of Object.entries(object['stringData'])) if (typeof v === 'string' && (precedence === 'stringData' || !(k in data))) data[k] = base64(v);
  const { stringData: _s, ...rest } = object;
  return { ...rest, data };
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function driftIgnoreOf(object: KubeObject | undefined): string[] {
  const annotations = isMap(object?.metadata) && isMap(object.metadata['annotations']) ? object.metadata['annotations'] : {};
  const value = annotations['kd.io/drift-ignore'];
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

function mask(finding: DriftFinding, secret: boolean, salt: string): DriftFinding {
  if (finding.path === undefined) return finding;
  const inSecret = secret && isSecretPath(finding.path);
  const annotation = finding.path[0] === 'metadata' && finding.path[1] === 'annotations' && [finding.desired, finding.applied, finding.live].some(carriesSecret);
  if (!inSecret && !annotation) return finding;
  const out: DriftFinding = { ...finding, masked: true };
  for (const key of ['desired', 'applied', 'live'] as const) if (finding[key] !== undefined) out[key] = maskValue(finding[key], salt);
  return out;
}

function objectDiffText(ref: ObjectRef, liveLeaves: ReadonlyLeafMap, desiredLeaves: ReadonlyLeafMap, desiredIds: Set<string>, ids: string[], secret: boolean, salt: string): string {
  const wanted: LeafMap = new Map();
  for (const id of desiredIds) {
    const leaf: Leaf | undefined = desiredLeaves.get(id);
    if (leaf) wanted.set(id, leaf);
  }
  let before: Record<string, unknown> = project(liveLeaves, ids);
  let after: Record<string, unknown> = project(wanted, ids);
  before = maskSecretObject(before, salt, secret);
  after = maskSecretObject(after, salt, secret);
  const label = describeRef(ref);
  const { stringify } = yamlLibrary();
  return unifiedDiff(stringify(before), stringify(after), { from: `live ${label}`, to: `desired ${label}` });
}
