/**
 * Applying a group of plan entries (a wave, or the dependencies moved before the pre-apply hooks)
 * with Server-Side Apply, then gating on their health.
 *  1. Entries are cut into tiers of one kind, in the plan's install order; tiers go one after
 *     the other (Namespaces before what lives in them, ServiceAccounts before Deployments), the
 *     objects of a tier in parallel up to `--concurrency`.
 *  2. Before a tier, its missing namespaces are created (race-safe: AlreadyExists is success),
 *     unless a desired Namespace object provides them.
 *  3. After a tier of CRDs, those CRDs are waited on until Established, so custom resources of
 *     the same wave can be sent right after.
 *  4. Unchanged objects are not written; every other object is applied as field manager
 *     `kubectl-kd`. A field conflict stops the run naming the other managers.
 *  5. With `--diff`, each changed object's diff (server dry run against the live copy) is emitted
 *     before it is written.
 * The health gate itself is wait-healthy.ts; this module turns its outcome into a failure.
 */
import { ClusterRequestError, UnknownResourceError } from '../cluster/errors.js';
import type { ClusterClient } from '../cluster/types.js';
import { healthCheckOf, healthGate } from '../health/index.js';
import { describeRef, type KubeObject, type ObjectRef } from '../model/index.js';
import type { PlanEntry } from '../plan/index.js';
import { forEachBounded } from './bounded.js';
import type { ApplyStage } from './events.js';
import { conflictFailure, RunFailure } from './failure.js';
import { recentEvents } from './recent-events.js';
import type { RunContext } from './run-context.js';
import { objectDiff } from './unified-diff.js';
import { isSecret } from './mask-secrets.js';
import { currentRolloutPods, waitHealthy, type WaitTarget } from './wait-healthy.js';
import { createNamespaceIfMissing, NAMESPACE_GVK } from './namespace.js';
import { runHealthChecks, type HealthCheckIo, type HealthCheckTarget } from './health-check.js';

export { FIELD_MANAGER } from '../cluster/client.js';
import { FIELD_MANAGER } from '../cluster/client.js';


/** The object as kd sends it: the plan's desired object already has its namespace and the inventory's labels. */
export function prepareObject(entry: PlanEntry): KubeObject {
  return entry.object ?? {};
}

/** Applies the entries (not hooks) tier by tier; returns the wait targets for the health gate. */
export async function applyEntries(ctx: RunContext, entries: readonly PlanEntry[], where: { stage: ApplyStage; wave?: number }): Promise<WaitTarget[]> {
  const targets: WaitTarget[] = [];
  for (const tier of tiers(entries)) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await ensureNamespaces(ctx, tier);
    await forEachBounded(
      tier,
      ctx.concurrency,
      async (entry) => {
        const target = await applyEntry(ctx, entry, where);
        if (target) targets.push(target);
      },
      ctx.signal,
    );
    const crds = tier[0]?.ref.kind === 'CustomResourceDefinition' && tier[0].ref.group === 'apiextensions.k8s.io';
    if (crds && ctx.dryRun === 'none') {
      const established = targets.filter((t) => t.ref.kind === 'CustomResourceDefinition');
      await gate(ctx, established);
      for (const t of established) targets.splice(targets.indexOf(t), 1);
    }
  }
  return targets;
}

/** Waits for the targets; a failure or timeout becomes an `object-failed` event and a RunFailure. */
export async function gate(ctx: RunContext, targets: readonly WaitTarget[]): Promise<void> {
  if (targets.length === 0 || ctx.dryRun !== 'none') return;
  const outcome = await waitHealthy(targets, {
    cache: ctx.cache,
    clock: ctx.clock,
    signal: ctx.signal,
    emit: (e) => ctx.emit(e),
    runDeadline: ctx.deadline,
    ...(ctx.unschedulableGraceMs === undefined ? {} : { unschedulableGraceMs: ctx.unschedulableGraceMs }),
  });
  if (outcome.ok) return checkTargets(ctx, targets);
  if (outcome.kind === 'cluster') throw outcome.error;
  const events = await recentEvents(ctx.client, outcome.ref, outcome.pods, { signal: AbortSignal.timeout(5000) });
  const h = outcome.health;
  const what = outcome.kind === 'timeout' ? `timed out waiting (still ${h.state} ${h.reason}: ${h.message})` : `${h.state} ${h.reason}: ${h.message}`;
  ctx.emit({ type: 'object-failed', ref: outcome.ref, kind: outcome.kind, reason: h.reason, message: h.message, events });
  throw new RunFailure(outcome.kind, `${describeRef(outcome.ref)}: ${what}`, {
    ref: outcome.ref,
    hint:
      outcome.kind === 'timeout'
        ? 'raise --timeout (or the object\'s kd.io/timeout), or set kd.io/health: skip on objects that never become ready'
        : `inspect it with \`kubectl describe ${outcome.ref.kind.toLowerCase()} ${outcome.ref.name}${outcome.ref.namespace ? ` -n ${outcome.ref.namespace}` : ''}\``,
  });
}

/** A Secret's values, so that no health check answer shows them (decoded `data` and `stringData`). */
function rememberSecretValues(ctx: RunContext, object: KubeObject): void {
  if (!isSecret(object)) return;
  const values = (ctx.secretValues ??= new Set());
  for (const [key, decode] of [['data', true], ['stringData', false]] as const) {
    const map = object[key];
    if (typeof map !== 'object' || map === null) continue;
    for (const v of Object.values(map as Record<string, unknown>)) if (typeof v === 'string') values.add(decode ? Buffer.from(v, 'base64').toString('utf8') : v);
  }
}

/** The custom health checks (health-check.ts) of targets healthy by their kind's rules; a failure becomes a RunFailure. */
async function checkTargets(ctx: RunContext, targets: readonly WaitTarget[]): Promise<void> {
  const checks: HealthCheckTarget[] = [];
  for (const t of targets) {
    if (t.check === undefined || t.completion) continue;
    const timeoutDeadline = t.timeoutMs === undefined ? Infinity : t.startedAt + t.timeoutMs;
    checks.push({ ref: t.ref, spec: t.check, deadline: Math.min(ctx.deadline, timeoutDeadline) });
  }
  if (checks.length === 0) return;
  const client = ctx.client;
  if (client.proxyGet === undefined || client.exec === undefined) throw new RunFailure('internal', 'this cluster client cannot run custom health checks (no proxy or exec support)');
  const io: HealthCheckIo = {
    proxyGet: (path, options) => client.proxyGet!(path, options),
    exec: (target, command, options) => client.exec!(target, command, options),
    live: async (ref) => {
      const collection = ctx.cache.collection(ref, ref.namespace);
      await collection.ready;
      return collection.objects.get(ref.name);
    },
    rolloutPods: (ref, live) => currentRolloutPods(ref, live, ctx.cache),
  };
  const outcome = await runHealthChecks(checks, {
    io,
    clock: ctx.clock,
    signal: ctx.signal,
    emit: (e) => ctx.emit({ type: 'health-check', ...e }),
    ...(ctx.secretValues ? { secrets: [...ctx.secretValues] } : {}),
  });
  if (outcome.ok) return;
  ctx.emit({ type: 'object-failed', ref: outcome.ref, kind: 'health', reason: 'HealthCheckFailed', message: `${outcome.check}: ${outcome.message}`, events: [] });
  throw new RunFailure('health', `${describeRef(outcome.ref)}: health check ${outcome.check} failed: ${outcome.message}`, {
    ref: outcome.ref,
    hint: `the object is ready but its kd.io/health-check does not pass; try it with \`kubectl get --raw\` (http) or \`kubectl exec\` (command), or raise kd.io/timeout`,
  });
}

async function applyEntry(ctx: RunContext, entry: PlanEntry, where: { stage: ApplyStage; wave?: number }): Promise<WaitTarget | undefined> {
  const object = prepareObject(entry);
  rememberSecretValues(ctx, object);
  const g = healthGate(object);
  const applied = (action: PlanEntry['action']) =>
    ctx.emit({ type: 'object-applied', ref: entry.ref, stage: where.stage, ...(where.wave === undefined ? {} : { wave: where.wave }), action, ...(ctx.dryRun === 'server' ? { dryRun: true } : {}) });
  if (entry.action === 'unchanged') {
    ctx.counts.unchanged++;
    applied('unchanged');
    const known = ctx.live.get(entry.key);
    return g.mode === 'skip' ? undefined : waitTarget(ctx, entry.ref, g, known, object);
  }
  if (ctx.diff) await emitDiff(ctx, entry, object);
  if (ctx.dryRun === 'client') {
    applied(entry.action);
    return undefined;
  }
  let result: KubeObject;
  try {
    result = await ssa(ctx, entry.ref, object, ctx.dryRun === 'server');
  } catch (error) {
    const unchecked = dryRunBlockedBy(ctx, entry.ref, error);
    if (unchecked === undefined) throw error;
    ctx.counts.applied++;
    ctx.emit({ type: 'object-applied', ref: entry.ref, stage: where.stage, ...(where.wave === undefined ? {} : { wave: where.wave }), action: entry.action, dryRun: true, unchecked });
    return undefined;
  }
  ctx.counts.applied++;
  applied(entry.action);
  return g.mode === 'skip' ? undefined : waitTarget(ctx, entry.ref, g, result, object);
}

export function waitTarget(ctx: RunContext, ref: ObjectRef, g: { timeoutMs: number | undefined; completion: boolean }, known: KubeObject | undefined, desired?: KubeObject): WaitTarget {
  const target: WaitTarget = { ref, completion: g.completion, timeoutMs: g.timeoutMs, startedAt: ctx.clock.now() };
  if (known !== undefined) target.known = known;
  const check = desired === undefined || g.completion ? undefined : healthCheckOf(desired);
  if (check !== undefined) target.check = check;
  return target;
}

/**
 * Why a server-side dry run could not check an object when the failure is one the real apply
 * would not meet: the object's namespace does not exist yet (the apply creates it first, from a
 * Namespace object or as a missing namespace), or its kind is served by a CustomResourceDefinition
 * applied earlier in the same run. A dry run creates neither, so the server answers NotFound.
 * Undefined for every other failure, which stays a failure.
 */
export function dryRunBlockedBy(ctx: RunContext, ref: ObjectRef, error: unknown): string | undefined {
  if (ctx.dryRun !== 'server') return undefined;
  const crd = `${ref.group}/${ref.kind}`;
  if (ref.group !== '' && ctx.desiredKinds?.has(crd) && (error instanceof UnknownResourceError || (error instanceof ClusterRequestError && error.code === 404 && !isNamespaceNotFound(error)))) {
    return `not checked by the server: its CustomResourceDefinition is created by this apply`;
  }
  if (ref.namespace && error instanceof ClusterRequestError && isNamespaceNotFound(error, ref.namespace)) {
    return `not checked by the server: namespace ${ref.namespace} does not exist yet (this apply creates it)`;
  }
  return undefined;
}

function isNamespaceNotFound(error: ClusterRequestError, name?: string): boolean {
  const details = error.status?.details;
  return error.code === 404 && details?.kind === 'namespaces' && (name === undefined || details.name === name);
}

/** One Server-Side Apply; field conflicts become a RunFailure that explains the way out. */
export async function ssa(ctx: RunContext, ref: ObjectRef, object: KubeObject, dryRun: boolean): Promise<KubeObject> {
  try {
    return await ctx.client.apply(object, { fieldManager: FIELD_MANAGER, force: ctx.forceConflicts, dryRun, signal: ctx.signal });
  } catch (error) {
    if (error instanceof ClusterRequestError && error.isFieldConflict) throw conflictFailure(ref, error);
    throw error;
  }
}

async function emitDiff(ctx: RunContext, entry: PlanEntry, object: KubeObject): Promise<void> {
  const live = ctx.live.get(entry.key);
  let after: KubeObject = object;
  if (ctx.dryRun !== 'client') {
    try {
      after = await ssa(ctx, entry.ref, object, true);
    } catch (error) {
      // A missing namespace or CRD makes the dry run fail before the real apply creates them.
      if (!(error instanceof ClusterRequestError && error.code === 404)) throw error;
    }
  }
  const diff = objectDiff(entry.ref, live, after);
  if (diff !== '') ctx.emit({ type: 'diff', ref: entry.ref, diff });
}

/** Creates the tier's missing namespaces; a concurrent creator winning the race is fine. */
async function ensureNamespaces(ctx: RunContext, tier: readonly PlanEntry[]): Promise<void> {
  const wanted = new Set<string>();
  for (const e of tier) if (e.ref.namespace && !ctx.namespaces.has(e.ref.namespace) && !ctx.desiredNamespaces.has(e.ref.namespace)) wanted.add(e.ref.namespace);
  for (const name of [...wanted].sort()) await ensureNamespace(ctx, name);
}

export { createNamespaceIfMissing };

export async function ensureNamespace(ctx: RunContext, name: string): Promise<void> {
  if (ctx.namespaces.has(name)) return;
  if (ctx.dryRun === 'none' && (await createNamespaceIfMissing(ctx.client, name, ctx.signal))) {
    ctx.emit({ type: 'object-applied', ref: { ...NAMESPACE_GVK, name }, stage: 'wave', action: 'namespace-created' });
  }
  ctx.namespaces.add(name);
}

/** Consecutive entries of one kind: the plan already sorted them in install order. */
function tiers(entries: readonly PlanEntry[]): PlanEntry[][] {
  const out: PlanEntry[][] = [];
  let current: PlanEntry[] = [];
  let kind = '';
  for (const e of entries) {
    const k = `${e.ref.group}/${e.ref.kind}`;
    if (k !== kind && current.length > 0) {
      out.push(current);
      current = [];
    }
    kind = k;
    current.push(e);
  }
  if (current.length > 0) out.push(current);
  return out;
}

