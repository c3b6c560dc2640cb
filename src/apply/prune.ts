/**
 * Prune: deleting the set's objects that are no longer in the files, after the last wave. The
 * plan decided what (sparing `resource-policy: keep` and hooks) and ordered it in reverse (higher
 * waves first, kinds reversed); here kinds go one after the other, objects of a kind in parallel.
 * Deletion propagates in the background (the garbage collector removes dependents); an object
 * already gone is reported as such, not as an error.
 */
import type { PlanEntry } from '../plan/index.js';
import { forEachBounded } from './bounded.js';
import type { RunContext } from './run-context.js';

export async function prune(ctx: RunContext, entries: readonly PlanEntry[]): Promise<void> {
  let i = 0;
  while (i < entries.length) {
    const kind = `${entries[i]!.wave}/${entries[i]!.ref.group}/${entries[i]!.ref.kind}`;
    let j = i;
    while (j < entries.length && `${entries[j]!.wave}/${entries[j]!.ref.group}/${entries[j]!.ref.kind}` === kind) j++;
    await forEachBounded(
      entries.slice(i, j),
      ctx.concurrency,
      async (entry) => {
        if (ctx.dryRun === 'client') {
          ctx.emit({ type: 'prune', ref: entry.ref, result: 'deleted', dryRun: true });
          return;
        }
        const outcome = await ctx.client.delete(entry.ref, { propagationPolicy: 'Background', signal: ctx.signal, ...(ctx.dryRun === 'server' ? { dryRun: true } : {}) });
        if (outcome.outcome !== 'not-found') ctx.counts.pruned++;
        ctx.emit({ type: 'prune', ref: entry.ref, result: outcome.outcome === 'not-found' ? 'gone' : 'deleted', ...(ctx.dryRun === 'server' ? { dryRun: true } : {}) });
      },
      ctx.signal,
    );
    i = j;
  }
}
