/**
 * `deleteRelease`: what `kubectl kd delete NAME` does, as a function of its request and ports.
 *  1. Take the release's lock (as an apply would), so a delete never interleaves with an apply.
 *  2. The objects: the latest readable record (hooks included, for their delete phases) plus any
 *     member the ApplySet still finds in the cluster (left by a failed revision); ordered by
 *     `planDelete`.
 *  3. Pre-delete hooks, one at a time, each waited on until complete (the executor's hook runner).
 *  4. The other objects, higher waves first and kinds in reverse install order; each kind group is
 *     deleted and then waited on until gone (watches, not polling) before the next one starts.
 *     Objects marked keep stay; with `keepHistory`, so does the release's own namespace when the
 *     release contains it (the README's layout): deleting it would delete the records with it.
 *  5. Post-delete hooks; then the ApplySet parent and, unless `keepHistory`, the records (with
 *     it, the latest revision is marked `deleted`; no record left to mark is an error, never a
 *     silent "history kept").
 *  6. The lock is released whatever happened.
 * It runs through the task runner, like an apply: any error ends it as a failure, an interrupt as
 * `interrupted` with its hooks cleaned up per policy and the lock released. The outcome is a
 * value (ok, or the failure with a hint); progress goes out as events.
 */
import { KdError } from '../../errors.js';
import { describeRef, objectKey, type KubeObject, type ObjectRef } from '../../model/index.js';
import { planDelete, type DeletePlan, type PlanEntry, type PlanInputObject } from '../../plan/index.js';
import type { ClusterClock } from '../../cluster/clock.js';
import type { ClusterClient } from '../../cluster/types.js';
import { CollectionCache } from '../collection-cache.js';
import type { ApplyEvent } from '../events.js';
import { RunFailure } from '../failure.js';
import { hooksAt, runHooks } from '../hooks.js';
import { refOf } from '../object-refs.js';
import type { ReleaseLock, ReleaseRef } from '../ports.js';
import type { RunContext } from '../run-context.js';
import { runTask } from '../runner.js';
import { waitGone } from '../wait-gone.js';
import type { ApplySetInventory } from '../inventory.js';
import type { SecretReleaseStore } from './store.js';

export interface DeleteReleaseRequest {
  release: ReleaseRef;
  /** Keep the revision records (the latest is marked `deleted`). */
  keepHistory: boolean;
  /** `--no-hooks` sets false. */
  hooks?: boolean;
  /** How long to wait for hooks and for objects to go. Default 5 minutes. */
  timeoutMs?: number;
  waitForLock?: boolean;
}

export interface DeleteReleaseDeps {
  client: ClusterClient;
  clock: ClusterClock;
  signal: AbortSignal;
  store: SecretReleaseStore;
  lock: ReleaseLock;
  inventory: ApplySetInventory;
  /** Progress: hook events (stages pre-delete and post-delete), `object-deleted` per object, then `done`. */
  emit?: (event: ApplyEvent) => void;
}

export interface DeleteReleaseResult {
  ok: boolean;
  plan?: DeletePlan;
  deleted: ObjectRef[];
  kept: ObjectRef[];
  /** With keepHistory: the release's own Namespace, left in place because it holds the records. */
  keptForHistory?: ObjectRef;
  recordsDeleted: number;
  failure?: { kind: string; message: string; hint?: string };
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs the delete through the task runner (which owns the lock and the `done` event) and returns
 * its outcome; `emit` sees every event, `done` included.
 */
export async function deleteRelease(request: DeleteReleaseRequest, deps: DeleteReleaseDeps): Promise<DeleteReleaseResult> {
  const { client, clock, store, inventory, release } = { ...deps, release: request.release };
  const result: DeleteReleaseResult = { ok: false, deleted: [], kept: [], recordsDeleted: 0 };
  const events = runTask({ release, lock: deps.lock, waitForLock: request.waitForLock ?? false }, { client, clock, signal: deps.signal }, async (run) => {
    const signal = run.signal;
    // 2.
    const revisions = await store.revisions(release);
    const members = await inventory.members(release, signal);
    if (revisions.length === 0 && members.length === 0)
      throw new KdError('input', `release ${release.name} not found in namespace ${release.namespace}`, { hint: 'list the releases with `kubectl kd list -A`' });
    const objects = new Map<string, PlanInputObject>();
    for (const r of [...revisions].reverse()) {
      const record = await store.record(release, r.revision).catch(() => undefined);
      if (record === undefined) continue;
      for (const o of record.objects) add(objects, o);
      break;
    }
    for (const m of members) if (!objects.has(objectKey(m.ref))) objects.set(objectKey(m.ref), { object: m.object, ref: m.ref });
    const planned = planDelete({ objects: [...objects.values()] });
    // The Namespace that holds the records (none with file storage) outlives the release with --keep-history.
    const historyNamespace = store.recordsNamespaceOf(release.namespace);
    const plan = request.keepHistory && historyNamespace !== undefined ? spareHistoryNamespace(planned, historyNamespace) : planned;
    if (plan !== planned) result.keptForHistory = planned.delete.find((e) => isHistoryNamespace(e.ref, historyNamespace!))!.ref;
    result.plan = plan;
    result.kept = plan.notes.filter((n) => n.kind === 'kept').map((n) => n.ref);

    const cache = new CollectionCache(client, signal);
    const ctx: RunContext = {
      client,
      clock,
      signal,
      cache,
      emit: run.emit,
      dryRun: 'none',
      diff: false,
      forceConflicts: false,
      concurrency: 8,
      deadline: clock.now() + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      live: new Map(),
      namespaces: new Set(),
      desiredNamespaces: new Set(),
      counts: run.counts,
    };
    run.counts.deleted = 0;
    try {
      // 3.
      if (request.hooks !== false) await runHooks(ctx, hooksAt(plan, 'pre-delete'), 'pre-delete');
      // 4.
      for (const group of kindGroups(plan.delete)) {
        if (signal.aborted) throw signal.reason;
        const waiting: ObjectRef[] = [];
        await Promise.all(
          group.map(async (entry) => {
            const outcome = await client.delete(entry.ref, { propagationPolicy: 'Background', signal });
            run.emit({ type: 'object-deleted', ref: entry.ref, stage: 'delete', result: outcome.outcome === 'not-found' ? 'gone' : 'deleted' });
            if (outcome.outcome !== 'not-found') {
              result.deleted.push(entry.ref);
              run.counts.deleted = (run.counts.deleted ?? 0) + 1;
            }
            if (outcome.outcome === 'terminating') waiting.push(entry.ref);
          }),
        );
        await waitGone(
          ctx,
          waiting,
          (left) =>
            new RunFailure('timeout', `timed out waiting for ${left.map((r) => describeRef(r)).join(', ')} to be deleted`, {
              hint: 'look for finalizers that nothing removes: `kubectl get <kind> <name> -o yaml`',
            }),
        );
      }
      // 5.
      if (request.hooks !== false) await runHooks(ctx, hooksAt(plan, 'post-delete'), 'post-delete');
    } finally {
      cache.stop();
    }
    await inventory.remove(release).catch(() => undefined);
    if (request.keepHistory) await store.markDeleted(release, `deleted ${result.deleted.length} object${result.deleted.length === 1 ? '' : 's'}`);
    else {
      result.recordsDeleted = await store.deleteHistory(release);
      // The Namespace holding the records went with them in it: they were deleted all the same.
      if (result.deleted.some((r) => historyNamespace !== undefined && isHistoryNamespace(r, historyNamespace))) result.recordsDeleted = Math.max(result.recordsDeleted, revisions.length);
    }
    return {};
  });
  for await (const event of events) {
    deps.emit?.(event);
    if (event.type === 'done') {
      result.ok = event.status === 'succeeded';
      if (event.failure)
        result.failure =
          event.failure.kind === 'interrupted'
            ? { kind: 'interrupted', message: 'no new work was started; the release may be partly deleted', hint: `run kubectl kd delete ${release.name} again to finish` }
            : event.failure;
    }
  }
  return result;
}

/** The plan without the deletion of the Namespace the records live in (when the release holds it). */
function spareHistoryNamespace(plan: DeletePlan, namespace: string): DeletePlan {
  if (!plan.delete.some((e) => isHistoryNamespace(e.ref, namespace))) return plan;
  return { ...plan, delete: plan.delete.filter((e) => !isHistoryNamespace(e.ref, namespace)) };
}

function isHistoryNamespace(ref: ObjectRef, namespace: string): boolean {
  return ref.group === '' && ref.kind === 'Namespace' && ref.name === namespace;
}

function add(into: Map<string, PlanInputObject>, object: KubeObject): void {
  const ref = refOf(object);
  if (ref === undefined || ref.name === '') return;
  into.set(objectKey(ref), { object, ref });
}

/** Consecutive entries of one wave and kind: deleted together, waited on together. */
function kindGroups(entries: readonly PlanEntry[]): PlanEntry[][] {
  const groups: PlanEntry[][] = [];
  let key = '';
  for (const e of entries) {
    const k = `${e.wave}/${e.ref.group}/${e.ref.kind}`;
    if (k !== key || groups.length === 0) groups.push([]);
    key = k;
    groups[groups.length - 1]!.push(e);
  }
  return groups;
}

