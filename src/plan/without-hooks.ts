/**
 * The apply plan as `--no-hooks` runs it: the hook entries left out of every phase and out of
 * the summary counts, so what is printed is what will happen. Notes about hooks (a delete-phase
 * hook, a hook not pruned) go too: they describe runs that will not occur.
 */
import type { Plan, PlanEntry } from './types.js';

export function planWithoutHooks(plan: Plan): Plan {
  const keep = (entries: readonly PlanEntry[]) => entries.filter((e) => !e.hook);
  const out: Plan = {
    ...plan,
    preApply: keep(plan.preApply),
    waves: plan.waves.map((w) => ({ ...w, entries: keep(w.entries) })).filter((w) => w.entries.length > 0),
    prune: keep(plan.prune),
    postApply: [],
    applyFailed: [],
    notes: plan.notes.filter((n) => n.kind !== 'delete-hook' && n.kind !== 'hook-not-pruned'),
    summary: { create: 0, update: 0, unchanged: 0, prune: 0 },
  };
  for (const e of [...out.preApply, ...out.waves.flatMap((w) => w.entries), ...out.prune]) if (e.action !== 'delete') out.summary[e.action]++;
  return out;
}
