/**
 * `kubectl kd history NAME --diff A..B`: what changed between two recorded revisions, object by
 * object, as unified diffs (the apply `--diff` machinery: normalised, keys sorted, YAML, Myers)
 * or as data (the changed objects and field paths; the plugin's `-o json`, schemas/revision-diff.schema.json).
 * Secret values are masked on both sides with one salt, so a changed value is a changed line
 * whose content never shows; paths name keys, never values.
 */
import { KdError } from '../../errors.js';
import { deepEqual, describeRef, isPlainObject as isMap, objectKey, toFieldPath, type JsonPath, type KubeObject, type ObjectRef } from '../../model/index.js';
import { compareInstallOrder } from '../../plan/index.js';
import { toYaml } from '../diff-yaml.js';
import { maskSecretPair } from '../mask-secrets.js';
import { refOf } from '../object-refs.js';
import { normalizeForDiff } from '../unified-diff.js';
import { unifiedDiff } from '../../drift/line-diff.js';
import type { ReleaseRef } from '../ports.js';
import type { RevisionWithObjects, Revision } from './types.js';

export interface RevisionRange {
  from: number;
  /** Undefined: the latest revision. */
  to?: number;
}

/** One object that differs between the revisions. */
export interface ObjectChange {
  ref: ObjectRef;
  change: 'added' | 'removed' | 'changed';
  /** Field paths that differ (`data.mode`, `spec.template.spec.containers[0].image`); for added and removed objects, empty. */
  paths: string[];
  /** The unified diff, Secret values masked. */
  diff: string;
}

export interface RevisionDiff {
  release: ReleaseRef;
  from: Pick<Revision, 'revision' | 'state'>;
  to: Pick<Revision, 'revision' | 'state'>;
  objects: ObjectChange[];
}

/** Parses `A..B` or `A` (A against the latest). */
export function parseRevisionRange(text: string): RevisionRange {
  const m = /^\s*([0-9]+)\s*(?:\.\.\s*([0-9]+)\s*)?$/.exec(text);
  if (!m) throw new KdError('usage', `--diff takes REVISION or FROM..TO (such as 1..2), not "${text}"`, { hint: 'see the revisions with `kubectl kd history NAME`' });
  const from = Number(m[1]);
  return m[2] === undefined ? { from } : { from, to: Number(m[2]) };
}

/** The revision numbers a range names, checked against the release's revisions (exit 2 when one is missing). */
export function resolveRevisionRange(release: ReleaseRef, revisions: readonly Revision[], range: RevisionRange): { from: number; to: number } {
  const latest = revisions[revisions.length - 1]?.revision;
  const to = range.to ?? latest;
  const known = revisions.map((r) => r.revision);
  for (const n of [range.from, to])
    if (n === undefined || !known.includes(n))
      throw new KdError('usage', `release ${release.name} in namespace ${release.namespace} has no revision ${n ?? range.from}`, {
        hint: `its revisions are ${known.join(', ')} (see \`kubectl kd history ${release.name}\`); history keeps the last 10 by default (--history-max)`,
      });
  return { from: range.from, to: to! };
}

export function diffRevisions(release: ReleaseRef, from: RevisionWithObjects, to: RevisionWithObjects): RevisionDiff {
  const before = byKey(from.objects);
  const after = byKey(to.objects);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const objects: ObjectChange[] = [];
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    const ref = (a ?? b)!.ref;
    const [mb, ma] = maskSecretPair(b && normalizeForDiff(b.object), a && normalizeForDiff(a.object));
    const label = describeRef(ref);
    const diff = unifiedDiff(mb === undefined ? '' : toYaml(mb, { sortKeys: true }), ma === undefined ? '' : toYaml(ma, { sortKeys: true }), {
      from: mb ? `revision ${from.revision} ${label}` : '/dev/null',
      to: ma ? `revision ${to.revision} ${label}` : '/dev/null',
    });
    if (diff === '') continue;
    const change = mb === undefined ? 'added' : ma === undefined ? 'removed' : 'changed';
    const paths: JsonPath[] = [];
    if (mb !== undefined && ma !== undefined) changedPaths(mb, ma, [], paths);
    objects.push({ ref, change, paths: paths.map(toFieldPath), diff });
  }
  objects.sort((x, y) => compareInstallOrder(x.ref, y.ref));
  return { release, from: { revision: from.revision, state: from.state }, to: { revision: to.revision, state: to.state }, objects };
}

export function renderRevisionDiffText(d: RevisionDiff): string {
  if (d.objects.length === 0) return `revisions ${d.from.revision} and ${d.to.revision} of release ${d.release.name} hold the same objects\n`;
  return d.objects.map((o) => (o.diff.endsWith('\n') ? o.diff : `${o.diff}\n`)).join('');
}


function byKey(objects: readonly KubeObject[]): Map<string, { ref: ObjectRef; object: KubeObject }> {
  const out = new Map<string, { ref: ObjectRef; object: KubeObject }>();
  for (const object of objects) {
    const ref = refOf(object);
    if (ref) out.set(objectKey(ref), { ref, object });
  }
  return out;
}

/** Leaf paths where two (normalised, masked) objects differ; a list of another length differs as a whole. */
function changedPaths(a: unknown, b: unknown, path: JsonPath, out: JsonPath[]): void {
  if (isMap(a) && isMap(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) changedPaths(a[key], b[key], [...path, key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => changedPaths(item, b[i], [...path, i], out));
    return;
  }
  if (!deepEqual(a, b)) out.push(path);
}
