/**
 * `planDelete`: the order in which `kubectl kd delete` removes a release. Pure.
 *  1. pre-delete hooks, by weight, then wave, then kind, then name;
 *  2. the release's other objects, higher waves first and kinds in reverse install order
 *     (custom resources before their CRDs, everything before its Namespace); objects marked
 *     keep (kd.io/resource-policy or Helm's) stay, with a note;
 *  3. post-delete hooks.
 * Hooks of the apply phases are not deleted here: their delete policies already took care of them.
 */
import { isHook, readKdAnnotations, type KdAnnotations } from '../annotations/index.js';
import { objectKey } from '../model/index.js';
import { displayRef } from './display-ref.js';
import { compareInstallOrder, compareStrings } from './kind-order.js';
import { compareDeletion } from './plan-apply.js';
import type { DeletePlan, DeletePlanInput, PlanEntry, PlanInputObject, PlanNote } from './types.js';

export function planDelete(input: DeletePlanInput): DeletePlan {
  const notes: PlanNote[] = [];
  const deletions: PlanEntry[] = [];
  const hooks: Array<{ item: PlanInputObject; key: string; annotations: KdAnnotations }> = [];
  const seen = new Set<string>();
  for (const item of input.objects) {
    const key = objectKey(item.ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const annotations = readKdAnnotations(item.object).value;
    if (annotations.hooks === 'skip') continue;
    if (isHook(annotations) && annotations.hooks !== 'sync') {
      hooks.push({ item, key, annotations });
      continue;
    }
    if (annotations.keep) {
      notes.push({ kind: 'kept', ref: item.ref, message: `${displayRef(item.ref)} is kept (${annotations.source.keep ?? 'kd.io/resource-policy'}: keep)` });
      continue;
    }
    if (input.live !== undefined && !input.live.has(key)) continue;
    deletions.push({ key, ref: item.ref, action: 'delete', object: item.object, wave: annotations.syncWave });
  }
  const hookPhase = (phase: 'pre-delete' | 'post-delete'): PlanEntry[] =>
    hooks
      .filter((h) => (h.annotations.hooks as readonly string[]).includes(phase))
      .sort((a, b) => a.annotations.hookWeight - b.annotations.hookWeight || a.annotations.syncWave - b.annotations.syncWave || compareInstallOrder(a.item.ref, b.item.ref))
      .map((h) => ({
        key: h.key,
        ref: h.item.ref,
        action: 'create' as const,
        object: h.item.object,
        wave: h.annotations.syncWave,
        hook: { phase, weight: h.annotations.hookWeight, deletePolicies: h.annotations.hookDeletePolicies, failurePolicy: h.annotations.hookFailurePolicy, source: h.annotations.source.hooks ?? 'kd.io/hook' },
      }));
  return {
    preDelete: hookPhase('pre-delete'),
    delete: deletions.sort(compareDeletion),
    postDelete: hookPhase('post-delete'),
    notes: notes.sort((a, b) => compareStrings(a.message, b.message)),
    diagnostics: [],
  };
}
