/**
 * `runApply`: the executor. Runs one apply (or a dry run) through the cluster and reports it as a
 * stream of events (events.ts); it never prints and never exits.
 *  1. Problems in the input (load or validation errors) stop the run before the cluster is asked.
 *  2. The lock is taken (releases only), the last deployed revision and the set's members read,
 *     the live objects fetched (the record at the same time as the rest), and the plan made:
 *     emitted as the `plan` event.
 *  3. `--dry-run=client` stops here (with diffs against the record when asked).
 *  4. A pending revision is recorded and the inventory parent widened (both at once, both
 *     before any object is written: a crash from here on leaves the pending revision).
 *  5. Pre-apply: moved dependencies, then the pre-apply hooks; a failure stops before any wave.
 *  6. Waves in order: apply tier by tier, run the wave's Sync hooks, then wait until every object
 *     of the wave is healthy before the next wave starts.
 *  7. Prune (with `--prune`), the inventory narrowed, then the post-apply hooks.
 *  8. On failure: the apply-failed hooks; with `--atomic`, the last deployed revision re-applied.
 *  9. The revision is marked deployed or failed and the lock released, whatever happened,
 *     interrupts included (with a fresh signal bounded in time, since the run's is aborted).
 */
import type { ClusterClock } from '../cluster/clock.js';
import type { RetryNotice } from '../cluster/transport.js';
import type { ClusterClient } from '../cluster/types.js';
import type { Diagnostic, KubeObject, ObjectRef } from '../model/index.js';
import { objectKey } from '../model/index.js';
import { planApply, type Plan, type PlanEntry, type PlanInputObject } from '../plan/index.js';
import { applyEntries, createNamespaceIfMissing, gate } from './apply-entries.js';
import { CollectionCache } from './collection-cache.js';
import { EventChannel } from './event-channel.js';
import type { ApplyEvent, DoneEvent, FailureKind, RunStatus } from './events.js';
import { asRunFailure, RunFailure } from './failure.js';
import { runHooks } from './hooks.js';
import { fetchLive } from './live-state.js';
import { byKey, refOf, withLabels } from './object-refs.js';
import type { LockHandle, ReleasePorts, ReleaseRef, ReleaseSnapshot } from './ports.js';
import { prune } from './prune.js';
import type { EventInput, RunContext, RunCounts } from './run-context.js';
import { objectDiff } from './unified-diff.js';
import { unchangedRevision } from './release/unchanged.js';
import { managedFieldsDiff } from './client-diff.js';

export type DryRunMode = 'none' | 'client' | 'server';

export interface ApplyRequest {
  /** The desired objects, validated, with namespaces defaulted. */
  objects: readonly PlanInputObject[];
  /** Problems found while reading and validating; any error stops the run before the cluster is touched. */
  diagnostics?: readonly Diagnostic[];
  /** The release (records, lock, inventory); without it nothing is recorded and prune is impossible. */
  release?: ReleaseRef;
  /** The paths the user gave, for the record. */
  paths?: string[];
  /** Why this revision exists (history's description). Default `apply`. */
  description?: string;
  dryRun?: DryRunMode;
  diff?: boolean;
  prune?: boolean;
  /** `--timeout`: the whole run's health waiting. Default 5 minutes. */
  timeoutMs?: number;
  /** Objects applied in parallel within a tier. Default 8. */
  concurrency?: number;
  forceConflicts?: boolean;
  /** `--no-hooks` sets false. */
  hooks?: boolean;
  /** On failure, re-apply the last deployed revision. */
  atomic?: boolean;
  waitForLock?: boolean;
  /** How long a pod may be Unschedulable before it fails its workload. Default 30 s. */
  unschedulableGraceMs?: number;
}

export interface ApplyDeps {
  client: ClusterClient;
  clock: ClusterClock;
  signal: AbortSignal;
  /** Release store, lock and inventory; without them the run records nothing. */
  ports?: ReleasePorts;
  /** Retries of the cluster layer, to be reported as `retry` events. */
  retries?: RetryFeed;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_CONCURRENCY = 8;

/** Retry notices from the transport, fanned out to whoever listens (the running apply). */
export class RetryFeed {
  readonly #listeners = new Set<(notice: RetryNotice) => void>();
  readonly push = (notice: RetryNotice): void => {
    for (const l of this.#listeners) l(notice);
  };
  subscribe(listener: (notice: RetryNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Starts the run; iterate the result for its events. The run ends with exactly one `done`. */
export function runApply(request: ApplyRequest, deps: ApplyDeps): AsyncIterable<ApplyEvent> {
  const channel = new EventChannel<ApplyEvent>();
  execute(request, deps, (e) => channel.push(e)).then(
    () => channel.close(),
    (error: unknown) => channel.fail(error),
  );
  return channel;
}

/** Runs to the end and collects the events (for callers that do not stream). */
export async function collectApply(request: ApplyRequest, deps: ApplyDeps): Promise<ApplyEvent[]> {
  const out: ApplyEvent[] = [];
  for await (const e of runApply(request, deps)) out.push(e);
  return out;
}

interface PassResult {
  plan?: Plan;
  failure?: RunFailure;
  revision?: number;
  /** No revision was written: `revision` is the deployed one, still in force (release/unchanged.ts). */
  unchanged?: boolean;
}

async function execute(request: ApplyRequest, deps: ApplyDeps, push: (e: ApplyEvent) => void): Promise<void> {
  const { clock } = deps;
  const started = clock.now();
  const emit = (e: EventInput) => push({ ...e, at: clock.now() } as ApplyEvent);
  const counts: RunCounts = { applied: 0, unchanged: 0, pruned: 0, hooks: 0 };
  const done = (status: RunStatus, extra: Partial<Pick<DoneEvent, 'failure' | 'revision' | 'unchanged'>> = {}) =>
    emit({ type: 'done', status, ...extra, durationMs: clock.now() - started, counts });

  // 1. Input problems.
  const errors = (request.diagnostics ?? []).filter((d) => d.severity === 'error');
  if ((request.diagnostics ?? []).length > 0) emit({ type: 'diagnostics', diagnostics: [...(request.diagnostics ?? [])] });
  if (errors.length > 0) {
    done('failed', { failure: { kind: 'invalid', message: `${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was applied` } });
    return;
  }

  const dryRun = request.dryRun ?? 'none';
  const ports = dryRun === 'none' && request.release ? deps.ports : undefined;
  const release = request.release;
  const signal = deps.signal;
  const unsubscribeRetries = deps.retries?.subscribe((n) =>
    emit({ type: 'retry', request: `${n.subject.verb} ${n.subject.target}`, attempt: n.attempt, delayMs: n.delayMs, reason: n.error.reason }),
  );
  let lock: LockHandle | undefined;
  let failure: RunFailure | undefined;
  let revision: number | undefined;
  let unchanged = false;
  try {
    // 2. Lock.
    if (ports && release) {
      try {
        await createNamespaceIfMissing(deps.client, release.namespace, signal);
        lock = await ports.lock.acquire(release, { wait: request.waitForLock ?? false, signal });
      } catch (error) {
        const f = asRunFailure(error, signal);
        failure = f.kind === 'interrupted' ? f : new RunFailure('lock', f.message, { ...(f.hint ? { hint: f.hint } : {}), cause: error });
        return;
      }
    }
    const runSignal = lock ? AbortSignal.any([signal, lock.lost]) : signal;
    // Read under the lock, but alongside the live objects (applyPass awaits both at once).
    const reading = ports && release ? ports.releases.lastDeployed(release) : Promise.resolve(undefined);
    reading.catch(() => {}); // a failure is reported where applyPass awaits it
    const pass = await applyPass(request, { ...deps, signal: runSignal }, emit, counts, { ports, release, snapshot: reading, description: request.description ?? 'apply' });
    failure = pass.failure;
    revision = pass.revision;
    unchanged = pass.unchanged === true;
    const snapshot = pass.failure ? await reading.catch(() => undefined) : await reading;

    // 8. Atomic: back to what was deployed.
    if (failure && failure.kind !== 'interrupted' && request.atomic && snapshot && ports && release && !runSignal.aborted) {
      const objects = snapshot.objects.flatMap((o): PlanInputObject[] => {
        const ref = refOf(o);
        return ref ? [{ object: o, ref }] : [];
      });
      const rollback = await applyPass(
        { ...request, objects, prune: true, hooks: false, diff: false },
        { ...deps, signal: runSignal },
        emit,
        counts,
        { ports, release, snapshot: Promise.resolve(snapshot), description: `rollback to revision ${snapshot.revision} (--atomic)` },
      );
      const how = rollback.failure ? `the rollback to revision ${snapshot.revision} failed too: ${rollback.failure.message}` : `rolled back to revision ${snapshot.revision} as revision ${rollback.revision ?? '?'}`;
      failure = new RunFailure(failure.kind, `${failure.message}; ${how}`, { ...(failure.hint ? { hint: failure.hint } : {}) });
      if (rollback.revision !== undefined) revision = rollback.revision;
    }
  } catch (error) {
    failure = asRunFailure(error, signal);
  } finally {
    unsubscribeRetries?.();
    if (lock) await lock.release();
    const status: RunStatus = failure === undefined ? 'succeeded' : failure.kind === 'interrupted' ? 'interrupted' : 'failed';
    const extra: Partial<Pick<DoneEvent, 'failure' | 'revision' | 'unchanged'>> = {};
    if (failure) extra.failure = { kind: failure.kind, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
    if (revision !== undefined) extra.revision = revision;
    if (unchanged && status === 'succeeded') extra.unchanged = true;
    done(status, extra);
  }
}

interface PassOptions {
  ports: ReleasePorts | undefined;
  release: ReleaseRef | undefined;
  /** The last deployed revision, still being read when the pass starts. */
  snapshot: Promise<ReleaseSnapshot | undefined>;
  description: string;
}

/** One pass of steps 2–8 over a set of objects: the apply itself, or an atomic rollback. */
async function applyPass(request: ApplyRequest, deps: ApplyDeps, emit: (e: EventInput) => void, counts: RunCounts, options: PassOptions): Promise<PassResult> {
  const { client, clock, signal } = deps;
  const { ports, release } = options;
  const dryRun = request.dryRun ?? 'none';
  const concurrency = Math.max(1, request.concurrency ?? DEFAULT_CONCURRENCY);
  const memberLabels = ports && release ? ports.inventory.memberLabels(release) : {};
  const cache = new CollectionCache(client, signal);
  const result: PassResult = {};
  let revision: number | undefined;
  try {
    // 2. What is there, and the plan.
    const desired = request.objects;
    // The record is read alongside the set's members and the live objects: they are independent.
    const [snapshot, { members, live }] = await Promise.all([
      options.snapshot,
      (async () => {
        const members = ports && release && request.prune ? await ports.inventory.members(release, signal) : [];
        const live = await fetchLive(client, [...desired.map((d) => d.ref), ...members.map((m) => m.ref)], { concurrency, signal });
        return { members, live };
      })(),
    ]);
    const plan = planApply({
      desired,
      live,
      ...(snapshot ? { lastApplied: lastAppliedMap(snapshot, memberLabels) } : {}),
      ...(request.prune ? { prune: members.map((m) => m.ref) } : {}),
    });
    result.plan = plan;
    const planEvent: EventInput = { type: 'plan', plan, dryRun };
    if (release) planEvent.release = { ...release };
    emit(planEvent);
    if (plan.diagnostics.some((d) => d.severity === 'error')) {
      emit({ type: 'diagnostics', diagnostics: plan.diagnostics });
      result.failure = new RunFailure('invalid', `the plan has ${plan.diagnostics.length} problem${plan.diagnostics.length === 1 ? '' : 's'}; nothing was applied`);
      return result;
    }

    const ctx: RunContext = {
      client,
      clock,
      signal,
      cache,
      emit,
      dryRun,
      diff: request.diff ?? false,
      forceConflicts: request.forceConflicts ?? false,
      concurrency,
      deadline: clock.now() + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      memberLabels,
      live,
      namespaces: new Set(),
      desiredNamespaces: new Set(desired.filter((d) => d.ref.group === '' && d.ref.kind === 'Namespace').map((d) => d.ref.name)),
      counts,
      sent: new Map(),
    };
    if (request.unschedulableGraceMs !== undefined) ctx.unschedulableGraceMs = request.unschedulableGraceMs;

    // 3. Client dry run: the plan (and diffs against the record) is all.
    if (dryRun === 'client') {
      if (ctx.diff) emitRecordDiffs(ctx, plan, snapshot, memberLabels);
      return result;
    }

    // 4. The record and the inventory parent.
    const allEntries = [...plan.preApply, ...plan.waves.flatMap((w) => w.entries), ...plan.postApply, ...plan.applyFailed];
    if (ports && release) {
      const objects = allEntries.map((e) => withLabels(e.object ?? {}, memberLabels, e.ref.namespace));
      // Delete-phase hooks are not applied, but `kubectl kd delete` runs them from the record.
      const deleteHookKeys = new Set(plan.notes.filter((n) => n.kind === 'delete-hook').map((n) => objectKey(n.ref)));
      for (const d of desired) if (deleteHookKeys.has(objectKey(d.ref))) objects.push(withLabels(d.object, memberLabels, d.ref.namespace));
      const same = unchangedRevision(plan, snapshot, objects, { hooks: request.hooks ?? true });
      if (same !== undefined) Object.assign(result, { revision: same, unchanged: true });
      // Both before any object is written; neither needs the other.
      const settled = same !== undefined ? [] : await Promise.allSettled([
        ports.releases.begin(release, { objects, paths: request.paths ?? [], description: options.description }),
        ports.inventory.prepare(release, contentsOf([...allEntries.filter((e) => !e.hook).map((e) => e.ref), ...members.map((m) => m.ref)])),
      ]);
      // A revision that was begun is finished (marked failed) below even when prepare failed.
      if (settled[0]?.status === 'fulfilled') revision = result.revision = settled[0].value;
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
    }

    const hooks = request.hooks ?? true;
    try {
      // 5. Pre-apply.
      const preDeps = plan.preApply.filter((e) => !e.hook);
      if (preDeps.length > 0) await gate(ctx, await applyEntries(ctx, preDeps, { stage: 'pre-apply' }));
      if (hooks) await runHooks(ctx, plan.preApply.filter((e) => e.hook), 'pre-apply');

      // 6. Waves.
      for (const wave of plan.waves) {
        if (signal.aborted) throw signal.reason;
        const waveStarted = clock.now();
        const objects = wave.entries.filter((e) => !e.hook);
        const syncHooks = wave.entries.filter((e) => e.hook);
        emit({ type: 'wave-started', wave: wave.wave, objects: wave.entries.length });
        let ok = false;
        try {
          const targets = await applyEntries(ctx, objects, { stage: 'wave', wave: wave.wave });
          if (hooks) await runHooks(ctx, syncHooks, 'wave');
          await gate(ctx, targets);
          ok = true;
        } finally {
          emit({ type: 'wave-finished', wave: wave.wave, ok, durationMs: clock.now() - waveStarted });
        }
      }

      // 7. Prune, then post-apply hooks.
      if (request.prune) await prune(ctx, plan.prune);
      if (ports && release) await ports.inventory.commit(release, contentsOf(allEntries.filter((e) => !e.hook).map((e) => e.ref)));
      if (hooks) await runHooks(ctx, plan.postApply, 'post-apply');
    } catch (error) {
      result.failure = asRunFailure(error, signal);
      // 8. apply-failed hooks (not after an interrupt: the user asked to stop).
      if (hooks && result.failure.kind !== 'interrupted' && plan.applyFailed.length > 0 && !signal.aborted) {
        try {
          await runHooks(ctx, plan.applyFailed, 'apply-failed');
        } catch (hookError) {
          const f = asRunFailure(hookError, signal);
          result.failure = new RunFailure(result.failure.kind, `${result.failure.message}; and the apply-failed hook failed: ${f.message}`, {
            ...(result.failure.hint ? { hint: result.failure.hint } : {}),
          });
        }
      }
    }
  } catch (error) {
    result.failure = asRunFailure(error, signal);
  } finally {
    cache.stop();
    // 9. The record, with a signal of its own: the run's may be aborted.
    if (ports && release && revision !== undefined) {
      const f = result.failure;
      const message = f === undefined ? summaryMessage(counts) : f.kind === 'interrupted' ? 'interrupted' : f.message;
      try {
        await ports.releases.finish(release, revision, { status: f === undefined ? 'deployed' : 'failed', message });
      } catch (error) {
        result.failure ??= new RunFailure('cluster', `the apply succeeded but its revision ${revision} could not be marked deployed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return result;
}

/** The record's objects keyed like the plan's, with the member labels kd added set aside. */
function lastAppliedMap(snapshot: ReleaseSnapshot, memberLabels: Record<string, string>): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const [key, object] of byKey(snapshot.objects)) out.set(key, withoutLabels(object, memberLabels));
  return out;
}

function withoutLabels(object: KubeObject, labels: Record<string, string>): KubeObject {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const own = metadata?.['labels'] as Record<string, unknown> | undefined;
  if (!own || Object.keys(labels).length === 0) return object;
  const rest = Object.fromEntries(Object.entries(own).filter(([k, v]) => labels[k] !== v));
  const m: Record<string, unknown> = { ...metadata };
  if (Object.keys(rest).length > 0) m['labels'] = rest;
  else delete m['labels'];
  return { ...object, metadata: m };
}

function emitRecordDiffs(ctx: RunContext, plan: Plan, snapshot: ReleaseSnapshot | undefined, memberLabels: Record<string, string>): void {
  const recorded = snapshot ? lastAppliedMap(snapshot, memberLabels) : new Map<string, KubeObject>();
  const entries: PlanEntry[] = [...plan.preApply, ...plan.waves.flatMap((w) => w.entries), ...plan.postApply].filter((e) => !e.hook && e.action !== 'unchanged');
  for (const e of entries) {
    const diff = managedFieldsDiff(e.ref, ctx.live.get(e.key), e.object, recorded.get(e.key));
    if (diff !== '') ctx.emit({ type: 'diff', ref: e.ref, diff });
  }
  for (const e of plan.prune) {
    const diff = objectDiff(e.ref, ctx.live.get(e.key) ?? e.object, undefined);
    if (diff !== '') ctx.emit({ type: 'diff', ref: e.ref, diff });
  }
}

function contentsOf(refs: readonly ObjectRef[]): { groupKinds: Array<{ group: string; kind: string }>; namespaces: string[] } {
  const gks = new Map<string, { group: string; kind: string }>();
  const namespaces = new Set<string>();
  for (const r of refs) {
    gks.set(`${r.kind}.${r.group}`, { group: r.group, kind: r.kind });
    if (r.namespace) namespaces.add(r.namespace);
  }
  return { groupKinds: [...gks.values()], namespaces: [...namespaces].sort() };
}

function summaryMessage(counts: RunCounts): string {
  const parts = [`${counts.applied} applied`, `${counts.unchanged} unchanged`];
  if (counts.pruned > 0) parts.push(`${counts.pruned} pruned`);
  if (counts.hooks > 0) parts.push(`${counts.hooks} hooks run`);
  return parts.join(', ');
}

/** Exit code of a finished run: 0 succeeded, 1 failed (health, hook, conflict, invalid), 2 cluster access, 130 interrupted. */
export function exitCodeOf(done: DoneEvent): 0 | 1 | 2 | 130 {
  if (done.status === 'succeeded') return 0;
  if (done.status === 'interrupted') return 130;
  const kind: FailureKind | undefined = done.failure?.kind;
  return kind === 'cluster' ? 2 : 1;
}

