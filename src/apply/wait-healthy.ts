/**
 * The health gate: after a wave (or a hook) is applied, wait until every object in it is
 * healthy, driven by watches (see collection-cache.ts), never by sleep-and-poll.
 *  1. Judge each object from what is already known (the apply response, the live copy): a
 *     ConfigMap or an unchanged, available Deployment passes without opening a watch.
 *  2. Watch the collections of the rest, and the pods of workloads still in progress, so a
 *     crash-looping pod fails its Deployment at once (fail fast) with the kubelet's reason.
 *  3. Re-judge only what changed; wake up for deadlines (the object's `kd.io/timeout`, the run's
 *     `--timeout`) and for time-dependent verdicts (a pod unschedulable past its grace period).
 * The outcome is a value: ok, or the first object that failed or timed out, with its health.
 */
import { computeHealth, DEFAULT_UNSCHEDULABLE_GRACE_MS, kindHasPods, unschedulableDueAt, type HealthCheckSpec, type HealthResult } from '../health/index.js';
import { describeRef, objectKey, type KubeObject, type ObjectRef } from '../model/index.js';
import type { ClusterClock } from '../cluster/clock.js';
import type { CollectionCache } from './collection-cache.js';
import type { HealthChangedEvent } from './events.js';
import { rolloutOwnedKind, rolloutPodMatcher } from './rollout-pods.js';

export interface WaitTarget {
  ref: ObjectRef;
  /** Hooks wait for completion (Job Complete, Pod Succeeded), not readiness. */
  completion: boolean;
  /** `kd.io/timeout`, counted from `startedAt`. */
  timeoutMs: number | undefined;
  startedAt: number;
  /** What is already known of the object (the apply response, or the live copy). */
  known?: KubeObject;
  /** The object's custom health check (kd.io/health-check), run once it is healthy (health-check.ts). */
  check?: HealthCheckSpec;
}

export interface WaitContext {
  cache: CollectionCache;
  clock: ClusterClock;
  signal: AbortSignal;
  emit: (event: HealthChangedEvent) => void;
  /** The run's deadline (`--timeout`), in clock milliseconds. */
  runDeadline: number;
  unschedulableGraceMs?: number;
}

export type WaitOutcome =
  | { ok: true }
  | { ok: false; ref: ObjectRef; kind: 'health' | 'timeout'; health: HealthResult; pods: KubeObject[] }
  | { ok: false; ref: ObjectRef; kind: 'cluster'; error: unknown };

const POD_GVK = { group: '', version: 'v1', kind: 'Pod' } as const;
const EVENT_GVK = { group: '', version: 'v1', kind: 'Event' } as const;

interface Pending {
  target: WaitTarget;
  key: string;
  deadline: number;
  last?: HealthResult;
}

export async function waitHealthy(targets: readonly WaitTarget[], ctx: WaitContext): Promise<WaitOutcome> {
  const grace = ctx.unschedulableGraceMs ?? DEFAULT_UNSCHEDULABLE_GRACE_MS;
  const pending = new Map<string, Pending>();
  /** Which pending objects a change in a collection (by `collectionKey/name`) concerns. */
  const byName = new Map<string, Pending>();
  const podWatchers = new Map<string, Set<Pending>>();
  for (const target of targets) {
    const timeoutDeadline = target.timeoutMs === undefined ? Infinity : target.startedAt + target.timeoutMs;
    const p: Pending = { target, key: objectKey(target.ref), deadline: Math.min(ctx.runDeadline, timeoutDeadline) };
    pending.set(p.key, p);
  }

  // 1. Judge from what is known.
  const dirty = new Set<Pending>();
  for (const p of pending.values()) {
    if (p.target.known === undefined) continue;
    const verdict = judge(p, p.target.known, []);
    if (verdict.state === 'Current') pending.delete(p.key);
  }
  if (pending.size === 0) return { ok: true };

  // 2. Watch the rest.
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.cache.subscribe((collection, name) => {
    if (name === '') {
      for (const p of pending.values()) dirty.add(p);
    } else {
      const p = byName.get(`${collection}/${name}`);
      if (p) dirty.add(p);
      const workloads = podWatchers.get(collection);
      if (workloads) for (const w of workloads) dirty.add(w);
    }
    wake?.();
  });
  try {
    for (const p of pending.values()) {
      const collection = ctx.cache.collection(p.target.ref, p.target.ref.namespace);
      byName.set(`${collection.key}/${p.target.ref.name}`, p);
      try {
        await collection.ready;
      } catch (error) {
        ctx.cache.forget(collection.key);
        return { ok: false, ref: p.target.ref, kind: 'cluster', error };
      }
      dirty.add(p);
    }

    // 3. Re-judge what changed until done, failed or out of time.
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const now = ctx.clock.now();
      // Take the batch first: changes that arrive while pods are fetched belong to the next one.
      const batch = [...dirty];
      dirty.clear();
      for (const p of batch) {
        if (!pending.has(p.key)) continue;
        const collection = ctx.cache.collection(p.target.ref, p.target.ref.namespace);
        if (collection.error !== undefined) return { ok: false, ref: p.target.ref, kind: 'cluster', error: collection.error };
        const object = collection.objects.get(p.target.ref.name);
        let pods: KubeObject[] = [];
        let events: KubeObject[] = [];
        // Pods and events matter only while an object is in progress (to fail fast, or to say
        // why it waits): fetch them lazily.
        const alone = computeHealth(object, { now, completion: p.target.completion, unschedulableGraceMs: grace });
        if (alone.state === 'InProgress' && object) {
          if (kindHasPods(p.target.ref)) pods = await podsOf(p, object, ctx, podWatchers);
          events = await eventsOf(p, object, ctx, podWatchers);
        }
        const verdict = judge(p, object, pods, events);
        if (verdict.state === 'Current') pending.delete(p.key);
        else if (verdict.state === 'Failed' && verdict.failFast) return { ok: false, ref: p.target.ref, kind: 'health', health: verdict, pods };
      }
      if (pending.size === 0) return { ok: true };

      // Deadlines and time-dependent verdicts.
      let wakeAt = Infinity;
      for (const p of pending.values()) {
        if (now >= p.deadline) {
          const object = ctx.cache.collection(p.target.ref, p.target.ref.namespace).objects.get(p.target.ref.name);
          const pods = object && kindHasPods(p.target.ref) ? matchingPods(p.target.ref, object, ctx) : [];
          return { ok: false, ref: p.target.ref, kind: 'timeout', health: p.last ?? computeHealth(object, { now, pods }), pods };
        }
        wakeAt = Math.min(wakeAt, p.deadline, recheckAt(p, ctx, grace, now));
      }
      // Changes that arrived while this batch was judged: judge them before waiting.
      if (dirty.size > 0) continue;
      // An interrupt during the batch: a listener added now would never fire.
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const timer = new AbortController();
      const onAbort = () => timer.abort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const changed = new Promise<void>((resolve) => {
        wake = resolve;
      });
      try {
        const waits: Promise<void>[] = [changed];
        // setTimeout overflows past 2^31-1 ms; an infinite wait is just a wait for a change.
        if (wakeAt !== Infinity) waits.push(ctx.clock.sleep(Math.min(Math.max(0, wakeAt - now), 2 ** 31 - 1), timer.signal).catch(() => {}));
        await Promise.race(waits);
      } finally {
        wake = undefined;
        timer.abort();
        ctx.signal.removeEventListener('abort', onAbort);
      }
      // Woken by time, not by a change: deadlines and time checks need every pending object judged again.
      if (dirty.size === 0) for (const p of pending.values()) dirty.add(p);
    }
  } finally {
    unsubscribe();
  }

  function judge(p: Pending, object: KubeObject | undefined, pods: KubeObject[], events: KubeObject[] = []): HealthResult {
    const health = computeHealth(object, { now: ctx.clock.now(), pods, events, completion: p.target.completion, unschedulableGraceMs: grace });
    if (!sameHealth(p.last, health)) {
      p.last = health;
      const event: HealthChangedEvent = { type: 'health-changed', at: ctx.clock.now(), ref: p.target.ref, status: health.state, reason: health.reason, message: health.message };
      if (health.ready) event.ready = health.ready;
      ctx.emit(event);
    }
    return health;
  }
}

async function podsOf(p: Pending, workload: KubeObject, ctx: WaitContext, podWatchers: Map<string, Set<Pending>>): Promise<KubeObject[]> {
  const ownedKind = rolloutOwnedKind(p.target.ref);
  // Pods, and what says which of them are the current rollout's (a Deployment's ReplicaSets).
  const collections = [ctx.cache.collection(POD_GVK, p.target.ref.namespace), ...(ownedKind ? [ctx.cache.collection(ownedKind, p.target.ref.namespace)] : [])];
  for (const c of collections) {
    let set = podWatchers.get(c.key);
    if (!set) podWatchers.set(c.key, (set = new Set()));
    set.add(p);
  }
  await Promise.all(collections.map((c) => c.ready));
  return matchingPods(p.target.ref, workload, ctx);
}

/**
 * The Events about the object itself (its involvedObject, matched by uid when both have one),
 * from a watched Event collection of its namespace: the health rules read them (a claim waiting
 * for its first consumer) and the latest Warning says why a wait goes on. Best effort: a cluster
 * that does not let kd list Events gets no events, never a failed wait.
 */
async function eventsOf(p: Pending, object: KubeObject, ctx: WaitContext, watchers: Map<string, Set<Pending>>): Promise<KubeObject[]> {
  const ns = p.target.ref.namespace;
  if (ns === undefined) return [];
  const collection = ctx.cache.collection(EVENT_GVK, ns);
  let set = watchers.get(collection.key);
  if (!set) watchers.set(collection.key, (set = new Set()));
  set.add(p);
  try {
    await collection.ready;
  } catch {
    return [];
  }
  const uid = (object['metadata'] as { uid?: unknown } | undefined)?.uid;
  return [...collection.objects.values()].filter((e) => {
    const o = (e['involvedObject'] ?? e['regarding']) as { kind?: unknown; name?: unknown; uid?: unknown } | undefined;
    if (!o || o.kind !== p.target.ref.kind || o.name !== p.target.ref.name) return false;
    return typeof uid !== 'string' || typeof o.uid !== 'string' || o.uid === uid;
  });
}

/**
 * The pods of `ref`'s current rollout (a Pod: itself), from the watch cache once its pod (and
 * ReplicaSet or ControllerRevision) collections are synced: for custom health checks.
 */
export async function currentRolloutPods(ref: ObjectRef, workload: KubeObject, cache: CollectionCache): Promise<KubeObject[]> {
  if (ref.group === '' && ref.kind === 'Pod') return [workload];
  const ownedKind = rolloutOwnedKind(ref);
  const collections = [cache.collection(POD_GVK, ref.namespace), ...(ownedKind ? [cache.collection(ownedKind, ref.namespace)] : [])];
  await Promise.all(collections.map((c) => c.ready));
  return matchingPods(ref, workload, { cache });
}

/** The pods of the rollout being gated (rollout-pods.ts): old revisions' pods are not judged. */
function matchingPods(ref: ObjectRef, workload: KubeObject, ctx: Pick<WaitContext, 'cache'>): KubeObject[] {
  const ns = (workload.metadata as { namespace?: string } | undefined)?.namespace;
  const pods = ctx.cache.collection(POD_GVK, ns);
  const ownedKind = rolloutOwnedKind(ref);
  const owned = ownedKind ? ctx.cache.collection(ownedKind, ns).objects.values() : [];
  const match = rolloutPodMatcher(workload, owned);
  return [...pods.objects.values()].filter(match);
}

/** When a pending object's verdict may change by time alone: an unschedulable pod reaching its grace. */
function recheckAt(p: Pending, ctx: WaitContext, grace: number, now: number): number {
  if (!kindHasPods(p.target.ref) && p.target.ref.kind !== 'Pod') return Infinity;
  const object = ctx.cache.collection(p.target.ref, p.target.ref.namespace).objects.get(p.target.ref.name);
  if (!object) return Infinity;
  const pods = p.target.ref.kind === 'Pod' ? [object] : matchingPods(p.target.ref, object, ctx);
  return unschedulableDueAt(pods, { now, unschedulableGraceMs: grace });
}

function sameHealth(a: HealthResult | undefined, b: HealthResult): boolean {
  return a !== undefined && a.state === b.state && a.reason === b.reason && a.message === b.message && a.ready?.ready === b.ready?.ready && a.ready?.desired === b.ready?.desired;
}

/** `Deployment shop/web`: for messages about a wait. */
export function describeTarget(ref: ObjectRef): string {
  return describeRef(ref);
}
