/**
 * `--diff` with `--dry-run=client`: no server to ask what it would hold after the apply, so the
 * diff is limited to the fields kd manages, as Server-Side Apply would change them: the fields
 * of the desired object, and the fields of the last record that the files no longer set (SSA
 * removes those). The live side is the live object projected onto those fields; everything else
 * the live object has (defaults, `spec.finalizers`, the `kubernetes.io/metadata.name` label,
 * kubectl's last-applied annotation, other managers' fields) is left out, since the apply does
 * not touch it. Values equal to the API server (a quantity spelled differently, 8080 vs "8080")
 * are shown as live has them, so they are no change either. Leaves and projection are drift's.
 */
import { isMap, leavesOf, project, sameValue, type LeafMap } from '../drift/leaves.js';
import type { KubeObject, ObjectRef } from '../model/index.js';
import { objectDiff } from './unified-diff.js';

export function managedFieldsDiff(ref: ObjectRef, live: KubeObject | undefined, desired: KubeObject | undefined, recorded: KubeObject | undefined): string {
  if (live === undefined || desired === undefined) return objectDiff(ref, live, desired);
  const liveLeaves = leavesOf(live);
  const desiredLeaves = leavesOf(desired);
  const ids = new Set([...desiredLeaves.keys(), ...leavesOf(recorded).keys()]);
  // Where the server would keep the live value as it is, the desired side shows it too.
  const after: LeafMap = new Map();
  for (const [id, leaf] of desiredLeaves) {
    const l = liveLeaves.get(id);
    after.set(id, l !== undefined && sameValue(l.value, leaf.value, leaf.path) ? l : leaf);
  }
  return objectDiff(ref, withIdentity(ref, live, project(liveLeaves, ids)), withIdentity(ref, desired, project(after, ids)), { to: 'desired' });
}

/** What names the object (leaves leave it out), put back from its ref so the diff reads as the object. */
function withIdentity(ref: ObjectRef, object: KubeObject, fields: Record<string, unknown>): KubeObject {
  const metadata: Record<string, unknown> = isMap(fields['metadata']) ? { ...fields['metadata'] } : {};
  metadata['name'] = ref.name;
  if (ref.namespace) metadata['namespace'] = ref.namespace;
  const out: KubeObject = { ...fields, metadata };
  if (object.apiVersion !== undefined) out.apiVersion = object.apiVersion;
  if (object.kind !== undefined) out.kind = object.kind;
  return out;
}
