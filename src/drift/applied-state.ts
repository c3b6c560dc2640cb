/**
 * The applied state of an object (`AppliedState`): what was last applied to it, from the best
 * source there is:
 *  1. kd's release record: the object exactly as kd applied it;
 *  2. kubectl's `kubectl.kubernetes.io/last-applied-configuration` annotation (client-side apply);
 *  3. managedFields: the fields of the manager that applied it (an `Apply` entry, kd's first),
 *     else of the manager that created it (the oldest `Update`), with the live values.
 * Limit of 3: the live values already carry any drift, so a field another manager took over is
 * assumed to have been applied as the files say now (drift shows where it moved, not from what).
 */
import type { KubeObject } from '../model/index.js';
import { managedEntries, owns, type ManagedEntry } from './field-owners.js';
import { isMap, leavesOf, type LeafMap } from './leaves.js';
import type { AppliedSource } from './types.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const CLIENT_SIDE_APPLY = 'kubectl-client-side-apply';

export interface AppliedState {
  source: AppliedSource;
  /** The applied object (sources 1 and 2). */
  object?: KubeObject;
  /** The applied leaves (source 3: live values at the applier's fields). */
  leaves?: LeafMap;
  /** The manager whose fields make up the applied state (source 3; kubectl's client-side manager for 2). */
  manager?: string;
  /**
   * Source 2 only: the manager that last rewrote the annotation when it was not an apply
   * (`kubectl edit` rewrites it with its own change, so it no longer tells what was applied).
   */
  rewrittenBy?: string;
}

export function appliedStateOf(input: { record?: KubeObject; live?: KubeObject; fieldManager: string }): AppliedState {
  if (input.record !== undefined) return { source: 'release', object: input.record, manager: input.fieldManager };
  const live = input.live;
  if (live === undefined) return { source: 'none' };
  const annotations = isMap(live.metadata) && isMap(live.metadata['annotations']) ? live.metadata['annotations'] : {};
  const text = annotations[LAST_APPLIED_ANNOTATION];
  if (typeof text === 'string') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isMap(parsed)) {
        const out: AppliedState = { source: 'last-applied-annotation', object: parsed as KubeObject, manager: CLIENT_SIDE_APPLY };
        const writer = managedEntries(live).find((e) => owns(e, live, ['metadata', 'annotations', LAST_APPLIED_ANNOTATION]));
        if (writer && writer.manager !== CLIENT_SIDE_APPLY) out.rewrittenBy = writer.manager;
        return out;
      }
    } catch {
      // A damaged annotation is as good as none: fall through to managedFields.
    }
  }
  const entries = managedEntries(live);
  const applier = pickApplier(entries, input.fieldManager);
  if (applier === undefined) return { source: 'none' };
  const leaves: LeafMap = new Map();
  for (const [id, leaf] of leavesOf(live)) if (owns(applier, live, leaf.path)) leaves.set(id, leaf);
  return { source: 'managed-fields', leaves, manager: applier.manager };
}

function pickApplier(entries: ManagedEntry[], self: string): ManagedEntry | undefined {
  const main = entries.filter((e) => e.subresource === undefined);
  const appliers = main.filter((e) => e.operation === 'Apply');
  const kd = appliers.find((e) => e.manager === self);
  if (kd) return kd;
  if (appliers.length > 0) return appliers.sort((a, b) => size(b.fields) - size(a.fields))[0];
  return main.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))[0];
}

function size(tree: Record<string, unknown>): number {
  let n = 0;
  for (const v of Object.values(tree)) n += isMap(v) && Object.keys(v).length > 0 ? size(v) : 1;
  return n;
}
