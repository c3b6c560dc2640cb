/**
 * The simulator's storage: objects per resource (group + plural, whatever the version), one
 * cluster-wide resourceVersion counter bumped on every persisted write, and a bounded history
 * of events that watches replay from. It knows nothing of API semantics (defaults, validation,
 * finalizers): `rest-storage.ts` does those and calls `put`/`remove` to persist.
 *
 * Invariants: a stored object's `metadata.resourceVersion` is the counter value of its last write;
 * history events are in increasing RV order; a DELETED event carries the last state with a new RV.
 */
import type { KubeObject } from '../model/object-ref.js';
import { clone, isPlainObject } from './schema-nav.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  group: string;
  plural: string;
  object: KubeObject;
  /** The state before a MODIFIED write, so watches with selectors can turn it into ADDED/DELETED. */
  previous?: KubeObject;
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Array<{ group: string; plural: string; object: KubeObject }>;
}

export function meta(obj: KubeObject): Record<string, unknown> {
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as Record<string, unknown>;
}

export function nameOf(obj: KubeObject): string {
  const m = obj.metadata;
  return isPlainObject(m) && typeof m.name === 'string' ? m.name : '';
}

export function namespaceOf(obj: KubeObject): string {
  const m = obj.metadata;
  return isPlainObject(m) && typeof m.namespace === 'string' ? m.namespace : '';
}

export class ObjectStore {
  #rv: number;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #history: StoredEvent[] = [];
  readonly #historyLimit: number;
  readonly #listeners = new Set<(e: StoredEvent) => void>();
  /** Oldest RV a watch may resume from; older ones get 410 Gone. */
  #compactedRv: number;

  constructor(options: { historyLimit?: number; initialResourceVersion?: number } = {}) {
    this.#historyLimit = options.historyLimit ?? 10_000;
    this.#rv = options.initialResourceVersion ?? 100;
    this.#compactedRv = this.#rv;
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  get compactedResourceVersion(): number {
    return this.#compactedRv;
  }

  static key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  get(group: string, plural: string, namespace: string, name: string): KubeObject | undefined {
    return this.#objects.get(`${group}/${plural}`)?.get(ObjectStore.key(namespace, name));
  }

  /** Objects of a resource, sorted by namespace then name, as etcd's key order gives them. */
  list(group: string, plural: string, namespace?: string): KubeObject[] {
    const m = this.#objects.get(`${group}/${plural}`);
    if (!m) return [];
    const out: Array<[string, KubeObject]> = [];
    for (const [k, v] of m) if (namespace === undefined || namespace === '' || k.startsWith(`${namespace}/`)) out.push([k, v]);
    out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return out.map(([, v]) => v);
  }

  resources(): Array<{ group: string; plural: string }> {
    return [...this.#objects.keys()].map((k) => {
      const i = k.indexOf('/');
      return { group: k.slice(0, i), plural: k.slice(i + 1) };
    });
  }

  /** Persists an object (stamping a new resourceVersion) and notifies watchers. */
  put(group: string, plural: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const rv = ++this.#rv;
    meta(object).resourceVersion = String(rv);
    let m = this.#objects.get(`${group}/${plural}`);
    if (!m) {
      m = new Map();
      this.#objects.set(`${group}/${plural}`, m);
    }
    const key = ObjectStore.key(namespaceOf(object), nameOf(object));
    const previous = m.get(key);
    m.set(key, object);
    this.#record(previous && type === 'MODIFIED' ? { rv, type, group, plural, object, previous } : { rv, type, group, plural, object });
    return object;
  }

  /** Deletes an object; the DELETED event carries `lastState` (default: the stored object) with a new RV. */
  remove(group: string, plural: string, namespace: string, name: string, lastState?: KubeObject): KubeObject | undefined {
    const m = this.#objects.get(`${group}/${plural}`);
    const existing = m?.get(ObjectStore.key(namespace, name));
    if (!m || !existing) return undefined;
    m.delete(ObjectStore.key(namespace, name));
    const rv = ++this.#rv;
    const last = clone(lastState ?? existing);
    meta(last).resourceVersion = String(rv);
    this.#record({ rv, type: 'DELETED', group, plural, object: last });
    return last;
  }

  /** Drops every object of a resource without events (a removed CRD's leftovers). */
  dropResource(group: string, plural: string): void {
    this.#objects.delete(`${group}/${plural}`);
  }

  /** Events with RV > since, or undefined when `since` is older than the kept history. */
  eventsSince(since: number): StoredEvent[] | undefined {
    if (since < this.#compactedRv) return undefined;
    let lo = 0;
    let hi = this.#history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#history[mid]!.rv <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.#history.slice(lo);
  }

  subscribe(listener: (e: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets history up to the current RV, as an etcd compaction does (used by tests and faults). */
  compact(): void {
    this.#history.length = 0;
    this.#compactedRv = this.#rv;
  }

  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot['objects'] = [];
    for (const { group, plural } of this.resources()) for (const object of this.list(group, plural)) objects.push({ group, plural, object });
    return { resourceVersion: this.#rv, objects };
  }

  restore(snapshot: StoreSnapshot): void {
    this.#objects.clear();
    this.#history.length = 0;
    for (const { group, plural, object } of snapshot.objects) {
      let m = this.#objects.get(`${group}/${plural}`);
      if (!m) {
        m = new Map();
        this.#objects.set(`${group}/${plural}`, m);
      }
      m.set(ObjectStore.key(namespaceOf(object), nameOf(object)), object);
    }
    this.#rv = Math.max(this.#rv, snapshot.resourceVersion);
    this.#compactedRv = this.#rv;
  }

  #record(e: StoredEvent): void {
    this.#history.push(e);
    if (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.splice(0, this.#history.length - this.#historyLimit);
      this.#compactedRv = dropped[dropped.length - 1]!.rv;
    }
    for (const l of [...this.#listeners]) l(e);
  }
}
