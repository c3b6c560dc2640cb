/**
 * The loop every simulated controller runs in, in the style of client-go's informer + work
 * queue: store changes map to queue keys, keys are deduplicated, and one reconcile at a time
 * runs on the simulated clock (never inside the write that caused it, as on a real cluster).
 * A reconcile returns when it wants to look again; a failing one is retried with back-off.
 * Invariant: all waiting goes through `clock.setTimer`, so a ManualClock replays exactly.
 */
import type { ControllerHost, ResourceKey, StoreEvent } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { keyString } from './resources.js';
import { isDeleting } from './objects.js';

export interface Watch {
  key: ResourceKey;
  /** Queue keys to reconcile when this object changes (or exists at start). */
  map: (object: KubeObject, type: StoreEvent['type']) => string[];
}

export interface ControllerSpec {
  name: string;
  watches: Watch[];
  /** Brings one queue key's world closer to its spec; returns ms until it wants to look again. */
  reconcile: (queueKey: string) => number | undefined | void;
}

export interface RunOptions {
  /** Told about reconcile failures (which are retried); silent by default. */
  onError?: (controller: string, queueKey: string, error: unknown) => void;
}

const MAX_PER_TURN = 2000;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

export function runController(host: ControllerHost, spec: ControllerSpec, options: RunOptions = {}): () => void {
  const queue = new Set<string>();
  const requeues = new Map<string, { due: number; cancel: () => void }>();
  const failures = new Map<string, number>();
  let drainScheduled: (() => void) | undefined;
  let stopped = false;
  const watched = new Map(spec.watches.map((w) => [keyString(w.key), w]));

  const schedule = () => {
    if (stopped || drainScheduled) return;
    drainScheduled = host.clock.setTimer(0, drain);
  };
  const enqueue = (k: string) => {
    queue.add(k);
    schedule();
  };
  const requeueAfter = (k: string, ms: number) => {
    const due = host.clock.now() + Math.max(0, ms);
    const existing = requeues.get(k);
    if (existing && existing.due <= due) return;
    existing?.cancel();
    const cancel = host.clock.setTimer(Math.max(0, ms), () => {
      requeues.delete(k);
      enqueue(k);
    });
    requeues.set(k, { due, cancel });
  };

  function drain(): void {
    drainScheduled = undefined;
    let n = 0;
    while (!stopped && queue.size > 0 && n++ < MAX_PER_TURN) {
      const k = queue.values().next().value as string;
      queue.delete(k);
      try {
        const after = spec.reconcile(k);
        failures.delete(k);
        if (typeof after === 'number' && Number.isFinite(after)) requeueAfter(k, after);
      } catch (error) {
        const count = (failures.get(k) ?? 0) + 1;
        failures.set(k, count);
        options.onError?.(spec.name, k, error);
        requeueAfter(k, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (count - 1)));
      }
    }
    if (queue.size > 0) schedule();
  }

  const unsubscribe = host.onChange((event) => {
    const w = watched.get(keyString(event.key));
    if (!w) return;
    for (const k of w.map(event.object, event.type)) enqueue(k);
  });
  for (const w of spec.watches) for (const o of host.list(w.key)) for (const k of w.map(o, 'ADDED')) enqueue(k);

  return () => {
    stopped = true;
    unsubscribe();
    drainScheduled?.();
    for (const r of requeues.values()) r.cancel();
    requeues.clear();
    queue.clear();
  };
}

export interface WorkloadControllerSpec<T extends KubeObject> {
  name: string;
  /** The workload's resource; its queue key is the workload's `namespace/name`. */
  workload: ResourceKey;
  /** The kind its children's controller ownerReference names (`Job`, `ReplicaSet`...). */
  kind: string;
  /** What it creates and controls; a change to one requeues its owner. */
  children: ResourceKey;
  /** Watches beyond the workload and its children (a DaemonSet also follows nodes). */
  alsoWatch?: Watch[];
  /** Reconciles a workload that exists and is not being deleted; `namespace` defaults to `default`. */
  reconcile: (workload: T, namespace: string, name: string) => number | undefined | void;
}

/**
 * The shape every owner-of-children controller (ReplicaSet, Deployment, StatefulSet, DaemonSet,
 * Job) shares, as in kube-controller-manager: watch the workload and the children it controls,
 * and leave a workload alone once it is gone or being deleted (garbage collection owns that).
 */
export function runWorkloadController<T extends KubeObject>(host: ControllerHost, spec: WorkloadControllerSpec<T>, options: RunOptions = {}): () => void {
  return runController(
    host,
    {
      name: spec.name,
      watches: [{ key: spec.workload, map: (o) => [objectKey(o)] }, { key: spec.children, map: ownerKey(spec.kind) }, ...(spec.alsoWatch ?? [])],
      reconcile: (k) => {
        const { namespace, name } = splitKey(k);
        const workload = host.get(spec.workload, namespace, name) as T | undefined;
        if (!workload || isDeleting(workload)) return;
        return spec.reconcile(workload, namespace ?? 'default', name);
      },
    },
    options,
  );
}

/** `namespace/name` (or `name` for cluster-scoped objects): the usual queue key. */
export function objectKey(o: KubeObject): string {
  const m = (o.metadata ?? {}) as { namespace?: string; name?: string };
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

export function splitKey(k: string): { namespace: string | undefined; name: string } {
  const i = k.indexOf('/');
  return i < 0 ? { namespace: undefined, name: k } : { namespace: k.slice(0, i), name: k.slice(i + 1) };
}

/** Maps an object to its controlling owner's queue key when the owner is of `kind`. */
export function ownerKey(kind: string) {
  return (o: KubeObject): string[] => {
    const m = (o.metadata ?? {}) as { namespace?: string; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
    const ref = m.ownerReferences?.find((r) => r.controller === true && r.kind === kind);
    if (!ref) return [];
    return [m.namespace ? `${m.namespace}/${ref.name}` : ref.name];
  };
}
