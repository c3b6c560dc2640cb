/**
 * When an apply writes no revision: every object is unchanged, nothing is pruned, no hook runs,
 * and the record it would write holds exactly the objects of the last deployed revision. The run
 * then says `unchanged: revision N` (N the deployed revision, still in force), so re-applying the
 * same files, or saving without a change under `--watch`, never grows the history.
 */
import { objectKey, type KubeObject } from '../../model/index.js';
import type { Plan } from '../../plan/index.js';
import { refOf } from '../object-refs.js';
import type { RevisionWithObjects } from './types.js';

export function unchangedRevision(plan: Plan, deployed: RevisionWithObjects | undefined, recorded: readonly KubeObject[], options: { hooks: boolean }): number | undefined {
  if (deployed === undefined || plan.prune.length > 0) return undefined;
  const entries = [...plan.preApply, ...plan.waves.flatMap((w) => w.entries), ...plan.postApply];
  if (entries.some((e) => (e.hook ? options.hooks : e.action !== 'unchanged'))) return undefined;
  return sameObjects(deployed.objects, recorded) ? deployed.revision : undefined;
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  const byKey = new Map<string, string>();
  for (const o of a) {
    const ref = refOf(o);
    if (ref === undefined) return false;
    byKey.set(objectKey(ref), canonical(o));
  }
  return b.every((o) => {
    const ref = refOf(o);
    return ref !== undefined && byKey.get(objectKey(ref)) === canonical(o);
  });
}

/** JSON with map keys sorted: the record's key order is the file's, which a reformat may change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
