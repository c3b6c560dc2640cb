/**
 * The contract between the simulator's API server (store, HTTP) and its simulated controllers.
 * Controllers see the cluster only through this interface, so they are deterministic given the
 * store's content and the clock, and testable without HTTP.
 */
import type { KubeObject } from '../model/object-ref.js';

export interface ResourceKey {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lower-case plural, e.g. `deployments`. */
  resource: string;
}

export interface SimClock {
  /** Milliseconds since the epoch on the simulated clock. */
  now(): number;
  /** Calls fn once when the simulated clock reaches now()+ms; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: ResourceKey;
  object: KubeObject;
}

export interface ControllerHost {
  readonly clock: SimClock;
  get(key: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined;
  list(key: ResourceKey, namespace?: string, labelSelector?: Record<string, string>): KubeObject[];
  /** Creates with server-side defaulting and metadata (uid, resourceVersion, ...); returns the stored object. */
  create(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject;
  /** Replaces the main resource (spec/metadata); status is kept as stored. */
  update(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject;
  /** Writes only `.status`, as the real controllers do through the status subresource. */
  updateStatus(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject;
  /** Deletes with the given propagation; finalizers are honoured as by the API. */
  delete(key: ResourceKey, namespace: string | undefined, name: string, propagation?: 'Background' | 'Foreground' | 'Orphan'): void;
  /** Records a core/v1 Event about the object, as `kubectl describe` shows them. */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void;
  /**
   * Binds a pod to a node, as the scheduler does through `pods/binding` (sets `spec.nodeName`,
   * which a plain pod update may not change). Optional: without it the scheduler falls back to
   * `update` with `spec.nodeName` set.
   */
  bindPod?(namespace: string, name: string, nodeName: string): KubeObject;
  /**
   * Sets a namespace's `spec.finalizers`, as the namespace controller does through
   * `namespaces/{name}/finalize` (a plain update ignores that field). Optional: without it the
   * namespace controller falls back to `update`.
   */
  finalizeNamespace?(name: string, finalizers: string[]): KubeObject;
  /** Subscribes to every change in the store; returns an unsubscribe function. */
  onChange(listener: (event: StoreEvent) => void): () => void;
}
