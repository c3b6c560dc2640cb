/**
 * Live copies of the collections a run waits on, kept current by list-then-watch: one list and
 * one watch per kind and namespace, shared by every wave of the run, so that waiting for 300
 * Deployments costs one watch, not 300 polls. Watch resumption and relists are the cluster
 * layer's job; this cache only applies what it is told and notifies listeners with the names
 * that changed.
 *
 * Limits: collections are whole namespaces (no label selector), so a namespace with very many
 * unrelated objects of a watched kind costs memory for the length of the run.
 */
import type { ClusterClient } from '../cluster/types.js';
import type { GroupVersionKind, KubeObject } from '../model/index.js';
import { collectionKey, nameOf } from './object-refs.js';

export type ChangeListener = (collection: string, name: string) => void;

export class Collection {
  readonly key: string;
  readonly objects = new Map<string, KubeObject>();
  /** Set when the watch could not continue: waiting on it would wait forever. */
  error: unknown;
  /** Resolves once the initial list is in. */
  readonly ready: Promise<void>;
  readonly #stop = new AbortController();

  constructor(
    readonly gvk: GroupVersionKind,
    readonly namespace: string | undefined,
    client: ClusterClient,
    signal: AbortSignal,
    notify: ChangeListener,
  ) {
    this.key = collectionKey({ ...gvk, ...(namespace === undefined ? {} : { namespace }) });
    const stop = AbortSignal.any([signal, this.#stop.signal]);
    let resolveReady!: () => void;
    let rejectReady!: (error: unknown) => void;
    this.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    const follow = async () => {
      const options = namespace === undefined ? { signal: stop } : { namespace, signal: stop };
      for await (const event of client.watch(gvk, options)) {
        switch (event.type) {
          case 'SYNC': {
            const before = new Set(this.objects.keys());
            this.objects.clear();
            for (const item of event.objects) this.objects.set(nameOf(item), item);
            if (event.reason === 'initial') resolveReady();
            else for (const name of new Set([...before, ...this.objects.keys()])) notify(this.key, name);
            break;
          }
          case 'ADDED':
          case 'MODIFIED':
            this.objects.set(nameOf(event.object), event.object);
            notify(this.key, nameOf(event.object));
            break;
          case 'DELETED':
            this.objects.delete(nameOf(event.object));
            notify(this.key, nameOf(event.object));
            break;
          default:
            break;
        }
      }
    };
    follow().then(
      () => resolveReady(),
      (error: unknown) => {
        if (stop.aborted) return resolveReady();
        this.error = error;
        rejectReady(error);
        notify(this.key, '');
      },
    );
  }

  stop(): void {
    this.#stop.abort();
  }
}

export class CollectionCache {
  readonly #collections = new Map<string, Collection>();
  readonly #listeners = new Set<ChangeListener>();

  constructor(
    private readonly client: ClusterClient,
    private readonly signal: AbortSignal,
  ) {}

  /** The collection, started on first use; await `.ready` before reading it. */
  collection(gvk: GroupVersionKind, namespace: string | undefined): Collection {
    const key = collectionKey({ ...gvk, ...(namespace === undefined ? {} : { namespace }) });
    let c = this.#collections.get(key);
    if (!c) {
      c = new Collection(gvk, namespace, this.client, this.signal, (k, name) => {
        for (const l of this.#listeners) l(k, name);
      });
      // A failed list is reported where it is awaited; keep it from being an unhandled rejection.
      c.ready.catch(() => {});
      this.#collections.set(key, c);
    }
    return c;
  }

  /** Forgets a collection whose list failed, so a later wave (after a CRD appeared) tries again. */
  forget(key: string): void {
    this.#collections.get(key)?.stop();
    this.#collections.delete(key);
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stop(): void {
    for (const c of this.#collections.values()) c.stop();
    this.#collections.clear();
  }
}
