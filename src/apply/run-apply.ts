/**
 * `runApply`: the executor. Runs one apply (or a dry run) through the cluster and reports it as a
 * stream of events (events.ts); it never prints and never exits.
 *  It is a body run by the task runner (runner.ts), which owns the lock, the record's end and the
 *  `done` event; any error can only end the run as failed.
 *  1. Problems in the input (load or validation errors), or `--prune` with an input that has no
 *     objects (without `--allow-empty`), stop the run before the cluster is asked.
 *  2. The lock is taken (real runs of a release), the last deployed revision and the set's members
 *     read (dry runs read them too, so they plan the same prunes and labels),
 *     the live objects fetched (the record at the same time as the rest), and the plan made:
 *     emitted as the `plan` event.
 *  3. `--dry-run=client` stops here (with diffs against the record when asked).
 *  4. A pending revision is recorded and the inventory parent widened (both at once, both
 *     before any object is written: a crash from here on leaves the pending revision).
 *  5. Pre-apply: moved dependencies, then the pre-apply hooks; a failure stops before any wave.
 *  6. Waves in order: apply tier by tier, run the wave's Sync hooks, then wait until every object
 *     of the wave is healthy before the next wave starts.
 *  7. Prune and the inventory narrowed (both with `--prune` only), then the post-apply hooks.
 *  8. On failure: the apply-failed hooks; with `--atomic`, the last deployed revision re-applied.
 *  9. The revision is marked deployed or failed and the lock released, whatever happened,
 *     interrupts included (the runner's `finally`).
 */
import type { ClusterClock } from '../cluster/clock.js';
import type { ClusterClient } from '../cluster/types.js';
import type { Diagnostic, KubeObject, ObjectRef } from '../model/index.js';
import { objectKey } from '../model/index.js';
import { planApply, planWithoutHooks, providedKey, type Plan, type PlanEntry, type PlanInputObject } from '../plan/index.js';
import { applyEntries, createNamespaceIfMissing, gate } from './apply-entries.js';
import { CollectionCache } from './collection-cache.js';
import type { ApplyEvent, DoneEvent, FailureKind } from './events.js';
import { asRunFailure, RunFailure } from './failure.js';
import { hooksAt, runHooks } from './hooks.js';
import { fetchLive } from './live-state.js';
import { byKey, refOf, withLabels } from './object-refs.js';
import type { ReleasePorts, ReleaseRef } from './ports.js';
import type { RevisionWithObjects } from './release/types.js';
import { prune } from './prune.js';
import { RetryFeed } from './retry-feed.js';
import type { EventInput, RunContext, RunCounts } from './run-context.js';
import { runTask, type TaskRun, type TaskSpec } from './runner.js';
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
  /** `--allow-empty`: with prune, an input without objects may delete every object of the release. */
  allowEmpty?: boolean;
  /** A rollback re-applies a recorded revision; its plan event says so. Default `apply`. */
  operation?: 'apply' | 'rollback';
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

export { RetryFeed };

/** Starts the run; iterate the result for its events. The run ends with exactly one `done`. */
export function runApply(request: ApplyRequest, deps: ApplyDeps): AsyncIterable<ApplyEvent> {
  const dryRun = request.dryRun ?? 'none';
  const release = request.release;
  // Dry runs read the release (record, members, labels) exactly as a real run does, so they plan
  // the same prunes and labels; they take no lock and write nothing.
  const ports = release ? deps.ports : undefined;
  const writes = dryRun === 'none' && ports !== undefined;
  const early = refusal(request);
  let createdNamespace = false;
  const spec: TaskSpec = {};
  if (release) spec.release = release;
  if (writes && !early && release) {
    spec.lock = ports.lock;
    spec.store = ports.releases;
    spec.waitForLock = request.waitForLock ?? false;
    spec.beforeLock = async (signal) => {
      createdNamespace = await createNamespaceIfMissing(deps.client, release.namespace, signal);
    };
  }
  return runTask(spec, deps, async (run) => {
    // 1. Input problems.
    const diagnostics = request.diagnostics ?? [];
    if (diagnostics.length > 0) run.emit({ type: 'diagnostics', diagnostics: [...diagnostics] });
    if (early) return { failure: early };

    // Read under the lock, but alongside the live objects (applyPass awaits both at once).
    const reading = ports && release ? ports.releases.lastDeployed(release) : Promise.resolve(undefined);
    reading.catch(() => {}); // a failure is reported where applyPass awaits it
    const pass = await applyPass(request, deps, run, {
      ports,
      release,
      writes,
      createdNamespace,
      deployed: reading,
      description: request.description ?? 'apply',
      operation: request.operation ?? 'apply',
    });
    let failure = pass.failure;
    let revision = pass.revision;
    const deployed = pass.failure ? await reading.catch(() => undefined) : await reading;

    // 8. Atomic: back to what was deployed.
    // A hook whose failure policy is `rollback` asks for the same, without --atomic.
    if (failure && failure.kind !== 'interrupted' && failure.kind !== 'refused' && (request.atomic || failure.rollback) && deployed && writes && release && !run.signal.aborted) {
      const objects = deployed.objects.flatMap((o): PlanInputObject[] => {
        const ref = refOf(o);
        return ref ? [{ object: o, ref }] : [];
      });
      const rollback = await applyPass({ ...request, objects, prune: true, hooks: false, diff: false }, deps, run, {
        ports,
        release,
        writes,
        createdNamespace: false,
        deployed: Promise.resolve(deployed),
        description: `rollback to revision ${deployed.revision} (--atomic)`,
        operation: 'rollback',
      });
      const how = rollback.failure ? `the rollback to revision ${deployed.revision} failed too: ${rollback.failure.message}` : `rolled back to revision ${deployed.revision} as revision ${rollback.revision ?? '?'}`;
      failure = new RunFailure(failure.kind, `${failure.message}; ${how}`, { ...(failure.hint ? { hint: failure.hint } : {}) });
      if (rollback.revision !== undefined) revision = rollback.revision;
    }
    return { ...(failure ? { failure } : {}), ...(revision === undefined ? {} : { revision }), ...(pass.unchanged ? { unchanged: true } : {}) };
  });
}

/** Runs to the end and collects the events (for callers that do not stream). */
export async function collectApply(request: ApplyRequest, deps: ApplyDeps): Promise<ApplyEvent[]> {
  const out: ApplyEvent[] = [];
  for await (const e of runApply(request, deps)) out.push(e);
  return out;
}

/** Why a run stops before the cluster is asked: invalid manifests, or an empty input that would prune everything. */
function refusal(request: ApplyRequest): RunFailure | undefined {
  const errors = (request.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (errors.length > 0) return new RunFailure('invalid', `${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was applied`);
  if (request.prune && !request.allowEmpty && request.objects.length === 0) return emptyPruneRefusal(request);
  return undefined;
}

function emptyPruneRefusal(request: ApplyRequest): RunFailure {
  const name = request.release ? `release ${request.release.name}` : 'the release';
  return new RunFailure('refused', `the input has no objects for ${name}: --prune would delete every object of it; nothing was applied or deleted`, {
    hint: 'check the paths; to really remove everything, add --allow-empty (or use `kubectl kd delete`)',
  });
}

interface PassResult {
  plan?: Plan;
  failure?: RunFailure;
  revision?: number;
  /** No revision was written: `revision` is the deployed one, still in force (release/unchanged.ts). */
  unchanged?: boolean;
}

interface PassOptions {
  ports: ReleasePorts | undefined;
  release: ReleaseRef | undefined;
  /** A real run with a release: records a revision and maintains the inventory. */
  writes: boolean;
  /** The runner created the release's namespace just before locking: it is new to this run. */
  createdNamespace: boolean;
  /** The last deployed revision, still being read when the pass starts. */
  deployed: Promise<RevisionWithObjects | undefined>;
  description: string;
  operation: 'apply' | 'rollback';
}

/** One pass of steps 2–8 over a set of objects: the apply itself, or an atomic rollback. */
async function applyPass(request: ApplyRequest, deps: ApplyDeps, run: TaskRun, options: PassOptions): Promise<PassResult> {
  const { client, clock } = deps;
  const { signal, emit, counts } = run;
  const { ports, release } = options;
  const records = options.writes ? run.records : undefined;
  const dryRun = request.dryRun ?? 'none';
  const concurrency = Math.max(1, request.concurrency ?? DEFAULT_CONCURRENCY);
  const memberLabels = ports && release ? ports.inventory.memberLabels(release) : {};
  const cache = new CollectionCache(client, signal);
  const result: PassResult = {};
  let revision: number | undefined;
  try {
    // 2. What is there, and the plan. The desired objects carry the member labels from here on:
    // the plan compares, the record keeps and the cluster gets exactly what is sent.
    const desired = request.objects.map((d): PlanInputObject => ({ ...d, object: withLabels(d.object, memberLabels, d.ref.namespace) }));
    // The record is read alongside the set's members and the live objects: they are independent.
    const [deployed, { members, live }] = await Promise.all([
      options.deployed,
      (async () => {
        const members = ports && release && request.prune ? await ports.inventory.members(release, signal) : [];
        const live = await fetchLive(client, [...desired.map((d) => d.ref), ...members.map((m) => m.ref)], { concurrency, signal });
        return { members, live };
      })(),
    ]);
    // The release's own Namespace, created by this run only to hold its lock, is still a `create`.
    if (options.createdNamespace && release) live.delete(objectKey({ group: '', version: 'v1', kind: 'Namespace', name: release.namespace }));
    const plan = planApply({
      desired,
      live,
      // No deployed revision: an install (the first apply, or the first after a delete that kept history).
      operation: options.operation === 'rollback' ? 'rollback' : deployed ? 'upgrade' : 'install',
      ...(deployed ? { recorded: byKey(deployed.objects) } : {}),
      ...(request.prune ? { prune: members.map((m) => m.ref) } : {}),
    });
    result.plan = plan;
    // Under --no-hooks (and in an --atomic rollback pass) the hooks are planned, and recorded for
    // later runs, but not run: the event shows the plan that runs, for every consumer alike.
    const planEvent: EventInput = { type: 'plan', plan: request.hooks === false ? planWithoutHooks(plan) : plan, dryRun };
    if (options.operation !== 'apply') planEvent.operation = options.operation;
    if (release) planEvent.release = { ...release };
    emit(planEvent);
    if (plan.diagnostics.some((d) => d.severity === 'error')) {
      emit({ type: 'diagnostics', diagnostics: plan.diagnostics });
      result.failure = new RunFailure('invalid', `the plan has ${plan.diagnostics.length} problem${plan.diagnostics.length === 1 ? '' : 's'}; nothing was applied`);
      return result;
    }
    const allEntries = [...plan.preApply, ...plan.waves.flatMap((w) => w.entries), ...plan.postApply, ...plan.applyFailed];
    if (request.prune && !request.allowEmpty && allEntries.every((e) => e.hook) && plan.prune.length > 0) {
      result.failure = emptyPruneRefusal(request);
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
      live,
      namespaces: new Set(),
      desiredNamespaces: new Set(desired.filter((d) => d.ref.group === '' && d.ref.kind === 'Namespace').map((d) => d.ref.name)),
      desiredKinds: new Set(desired.flatMap((d) => providedKey(d.ref, d.object)?.match(/^crd:(.*)$/)?.[1] ?? [])),
      counts,
    };
    if (request.unschedulableGraceMs !== undefined) ctx.unschedulableGraceMs = request.unschedulableGraceMs;

    // 3. Client dry run: the plan (and diffs against the record) is all.
    if (dryRun === 'client') {
      if (ctx.diff) emitRecordDiffs(ctx, plan, deployed);
      return result;
    }

    // 4. The record and the inventory parent.
    if (records && ports && release) {
      const objects = allEntries.map((e) => e.object ?? {});
      // Delete-phase hooks (and hooks of other runs) are not applied, but `kubectl kd delete` and
      // `kubectl kd rollback` run them from the record.
      const deleteHookKeys = new Set(plan.notes.filter((n) => n.kind === 'delete-hook' || n.kind === 'other-run-hook').map((n) => objectKey(n.ref)));
      for (const d of desired) if (deleteHookKeys.has(objectKey(d.ref))) objects.push(d.object);
      const same = unchangedRevision(plan, deployed, objects, { hooks: request.hooks ?? true });
      if (same !== undefined) Object.assign(result, { revision: same, unchanged: true });
      // Both before any object is written; neither needs the other.
      const settled = same !== undefined ? [] : await Promise.allSettled([
        records.begin({
          objects,
          paths: request.paths ?? [],
          description: options.description,
          onStaleRepaired: (stale, message) => {
            for (const r of stale) emit({ type: 'warning', reason: 'stale-revision-repaired', message: `revision ${r} of release ${release.name} was left pending by a run that stopped; ${message}` });
          },
        }),
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
      if (hooks) await runHooks(ctx, hooksAt(plan, 'pre-apply'), 'pre-apply');

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
      // Narrowed only after a prune: without one, what left the files is still in the set.
      if (request.prune && records && ports && release) await ports.inventory.commit(release, contentsOf(allEntries.filter((e) => !e.hook).map((e) => e.ref)));
      if (hooks) await runHooks(ctx, hooksAt(plan, 'post-apply'), 'post-apply');
    } catch (error) {
      result.failure = asRunFailure(error, signal);
      // 8. apply-failed hooks (not after an interrupt: the user asked to stop).
      if (hooks && result.failure.kind !== 'interrupted' && hooksAt(plan, 'apply-failed').length > 0 && !signal.aborted) {
        try {
          await runHooks(ctx, hooksAt(plan, 'apply-failed'), 'apply-failed');
        } catch (hookError) {
          const f = asRunFailure(hookError, signal);
          result.failure = new RunFailure(result.failure.kind, `${result.failure.message}; and the apply-failed hook failed: ${f.message}`, {
            ...(result.failure.hint ? { hint: result.failure.hint } : {}),
            ...(result.failure.rollback ? { rollback: true } : {}),
          });
        }
      }
    }
  } catch (error) {
    result.failure = asRunFailure(error, signal);
  } finally {
    cache.stop();
    // 9. The record (the runner marks it failed if this is never reached).
    if (records && revision !== undefined) {
      const f = await records.finish(revision, result.failure, summaryMessage(counts));
      result.failure ??= f;
    }
  }
  return result;
}

function emitRecordDiffs(ctx: RunContext, plan: Plan, deployed: RevisionWithObjects | undefined): void {
  const recorded = deployed ? byKey(deployed.objects) : new Map<string, KubeObject>();
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

/** The record's description of a finished run (`kubectl kd history`). */
export function summaryMessage(counts: RunCounts): string {
  const parts = [`${counts.applied} applied`, `${counts.unchanged} unchanged`];
  if (counts.pruned > 0) parts.push(`${counts.pruned} pruned`);
  if (counts.hooks > 0) parts.push(`${counts.hooks} hook${counts.hooks === 1 ? '' : 's'} run`);
  return parts.join(', ');
}

