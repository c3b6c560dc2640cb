/**
 * Hooks: objects created fresh at their phase and waited on until complete.
 *  1. `before-hook-creation` (the default): the previous run's object of that name is deleted
 *     and its disappearance awaited, so the new one starts clean.
 *  2. Created (Server-Side Apply; POST for `generateName` hooks, which get a new name each run),
 *     then waited on with `completion: true` (Job Complete, Pod Succeeded; other kinds healthy).
 *  3. Deleted afterwards per `hook-succeeded` / `hook-failed` (an interrupted hook counts as failed).
 * Every `hook-started` is followed by one `hook-finished`, whatever happens in between.
 * Hooks of a phase run one at a time in the plan's order (weight, then kind, then name), as Helm
 * does, so a lower weight has finished before a higher one starts. A failed hook stops its phase
 * and fails the run, unless its `kd.io/hook-failure-policy` says otherwise: `continue` reports it
 * as a `warning` event and goes on; `rollback` fails the run asking for the atomic rollback. An
 * interrupt always stops. Which hooks run at which moment of which run is the plan's choice
 * (`hookPhasesOf`): this module only runs the lists it is given.
 */
import { healthGate } from '../health/index.js';
import { describeRef, type KubeObject, type ObjectRef } from '../model/index.js';
import type { PlanEntry } from '../plan/index.js';
import { dryRunBlockedBy, ensureNamespace, FIELD_MANAGER, gate, prepareObject, ssa, waitTarget } from './apply-entries.js';
import type { ApplyStage } from './events.js';
import { RunFailure } from './failure.js';
import { nameOf } from './object-refs.js';
import type { RunContext } from './run-context.js';
import { waitGone } from './wait-gone.js';

/** The moments of a run at which hooks run: where a new hook phase plugs into the runner. */
export type HookMoment = 'pre-apply' | 'post-apply' | 'apply-failed' | 'pre-delete' | 'post-delete';

/** The hooks of one moment, in the plan's order (the one place that maps phases to plan lists). */
export function hooksAt(plan: { preApply?: readonly PlanEntry[]; postApply?: readonly PlanEntry[]; applyFailed?: readonly PlanEntry[]; preDelete?: readonly PlanEntry[]; postDelete?: readonly PlanEntry[] }, moment: HookMoment): PlanEntry[] {
  const lists: Record<HookMoment, readonly PlanEntry[] | undefined> = {
    'pre-apply': plan.preApply,
    'post-apply': plan.postApply,
    'apply-failed': plan.applyFailed,
    'pre-delete': plan.preDelete,
    'post-delete': plan.postDelete,
  };
  return (lists[moment] ?? []).filter((e) => e.hook !== undefined);
}

/** Runs the hooks in order; throws a RunFailure for the first that fails (and whose policy is not `continue`). */
export async function runHooks(ctx: RunContext, hooks: readonly PlanEntry[], stage: ApplyStage): Promise<void> {
  for (const hook of hooks) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    try {
      await runHook(ctx, hook, stage);
    } catch (error) {
      const policy = hook.hook?.failurePolicy ?? 'fail';
      if (!(error instanceof RunFailure) || error.kind === 'interrupted' || ctx.signal.aborted || policy === 'fail') throw error;
      if (policy === 'rollback') throw new RunFailure(error.kind, error.message, { ...(error.hint ? { hint: error.hint } : {}), ...(error.ref ? { ref: error.ref } : {}), cause: error, rollback: true });
      const ref = error.ref ?? hook.ref;
      ctx.emit({ type: 'warning', reason: 'hook-failed-continued', ref, message: `${error.message}; the run goes on (kd.io/hook-failure-policy: continue)` });
    }
  }
}

async function runHook(ctx: RunContext, entry: PlanEntry, stage: ApplyStage): Promise<void> {
  const info = entry.hook!;
  const phase = info.phase;
  const policies = info.deletePolicies;
  const object = prepareObject(entry);
  const ns = entry.ref.namespace;
  if (ns && ctx.dryRun === 'none' && !ctx.desiredNamespaces.has(ns)) await ensureNamespace(ctx, ns);
  ctx.emit({ type: 'hook-started', ref: entry.ref, phase, weight: info.weight });
  // From here on every way out says `hook-finished` (the event stream's invariant).
  let ref = entry.ref;
  let created: KubeObject | undefined;
  let failure: unknown;
  let deleted = false;
  try {
    if (ctx.dryRun !== 'none') {
      let unchecked: string | undefined;
      if (ctx.dryRun === 'server') {
        try {
          if (entry.ref.name) await ssa(ctx, entry.ref, object, true);
          else await ctx.client.create(object, { fieldManager: FIELD_MANAGER, dryRun: true, signal: ctx.signal });
        } catch (error) {
          unchecked = dryRunBlockedBy(ctx, entry.ref, error);
          if (unchecked === undefined) throw error;
        }
      }
      const message = unchecked === undefined ? 'dry run: not run' : `dry run: not run, ${unchecked}`;
      ctx.emit({ type: 'hook-finished', ref, phase, ok: true, message, deleted: false, dryRun: true, ...(unchecked === undefined ? {} : { unchecked }) });
      return;
    }
    // 1. The previous run's object.
    if (entry.ref.name && policies.includes('before-hook-creation')) await deleteAndWait(ctx, entry.ref);
    // 2. Create and wait.
    created = entry.ref.name ? await ssa(ctx, entry.ref, object, false) : await ctx.client.create(object, { fieldManager: FIELD_MANAGER, signal: ctx.signal });
    if (!ref.name) ref = { ...ref, name: nameOf(created) };
    ctx.counts.hooks++;
    ctx.emit({ type: 'object-applied', ref, stage, action: 'create', ...(entry.wave === undefined ? {} : { wave: entry.wave }) });
    const g = healthGate(object);
    if (g.mode === 'wait') await gate(ctx, [waitTarget(ctx, ref, { timeoutMs: g.timeoutMs, completion: true }, created)]);
  } catch (error) {
    failure = error;
  }
  const ok = failure === undefined;
  // 3. Delete per policy, an interrupted hook included (it did not succeed: `hook-failed` applies);
  // with a signal of its own, since the run's may be aborted.
  if (created !== undefined && ((ok && policies.includes('hook-succeeded')) || (!ok && policies.includes('hook-failed')))) {
    try {
      await ctx.client.delete(ref, { propagationPolicy: 'Background', signal: ctx.signal.aborted ? AbortSignal.timeout(5000) : ctx.signal });
      deleted = true;
    } catch (error) {
      failure ??= error;
    }
  }
  const message = failure === undefined ? 'completed' : failure instanceof Error ? failure.message : String(failure);
  ctx.emit({ type: 'hook-finished', ref, phase, ok: failure === undefined, message, deleted });
  if (failure !== undefined) {
    if (failure instanceof RunFailure && failure.kind !== 'interrupted')
      throw new RunFailure('hook', `${phase} hook ${describeRef(ref)} failed: ${failure.message}`, { ...(failure.hint ? { hint: failure.hint } : {}), ref, cause: failure });
    throw failure;
  }
}

/** Deletes an object (if there) and waits until it is gone, through the watch cache. */
async function deleteAndWait(ctx: RunContext, ref: ObjectRef): Promise<void> {
  const outcome = await ctx.client.delete(ref, { propagationPolicy: 'Background', signal: ctx.signal });
  if (outcome.outcome === 'not-found' || outcome.outcome === 'deleted') return;
  await waitGone(ctx, [ref], () => new RunFailure('timeout', `${describeRef(ref)}: the previous hook object is still being deleted`, { ref }));
}
