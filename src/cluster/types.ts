/**
 * The cluster as the rest of kd sees it: `ClusterClient`, a small interface over any kind
 * (built-in or custom) with objects as plain JSON, so that the apply executor, health gating and
 * tests depend on this file only. The implementation is `KubeClient` (client.ts), over HTTP.
 *
 * Conventions: a missing object is `undefined` (get) or `not-found` (delete), never an error;
 * every other failure is a `ClusterRequestError` (errors.ts) that names the verb and the object.
 * Namespaced objects without a namespace go to the client's namespace (`-n`, the context's).
 */
import type { GroupVersionKind, KubeObject } from '../model/object-ref.js';
import type { ApiResource } from './discovery.js';

/** One object by identity; `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectTarget extends GroupVersionKind {
  namespace?: string;
  name: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GetOptions extends RequestOptions {
  /** `status` reads the status subresource (the same object on most servers). */
  subresource?: string;
}

export interface ListOptions extends RequestOptions {
  /** Omitted: the client's namespace for namespaced kinds; `''` (or `allNamespaces`): all namespaces. */
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per page. Default 500, as kubectl. */
  pageSize?: number;
}

export interface ListResult {
  items: KubeObject[];
  /** The list's resourceVersion: where a watch that follows it starts. */
  resourceVersion: string;
}

export interface WriteOptions extends RequestOptions {
  /** Server-side dry run (`dryRun=All`): validated and defaulted, never persisted. */
  dryRun?: boolean;
  /** Default `kubectl-kd`. */
  fieldManager?: string;
  /** Default `Strict` for apply and create (unknown fields are errors), the server's otherwise. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface ApplyOptions extends WriteOptions {
  /** Take over fields other managers own (`--force-conflicts`). */
  force?: boolean;
  subresource?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  subresource?: string;
}

export interface DeleteOptions extends RequestOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type DeleteOutcome =
  /** Gone at once. */
  | { outcome: 'deleted' }
  /** Marked for deletion; finalizers or foreground deletion still hold it. */
  | { outcome: 'terminating'; object: KubeObject }
  | { outcome: 'not-found' };

export interface WatchOptions extends RequestOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Watch one object (a `metadata.name` field selector). */
  name?: string;
  /**
   * Start after this resourceVersion without listing first. Omitted: list first and emit the
   * result as a `SYNC` event, then watch from the list's resourceVersion.
   */
  resourceVersion?: string;
}

/**
 * Events of a resumable watch. `SYNC` replaces everything the consumer knows (the initial list,
 * and the relist after the server answered 410 Gone); `RESUMED` says a dropped stream was
 * reopened from the last resourceVersion (nothing was missed); `BOOKMARK` is progress only.
 */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'SYNC'; reason: 'initial' | 'expired'; objects: KubeObject[]; resourceVersion: string }
  | { type: 'RESUMED'; resourceVersion: string }
  | { type: 'BOOKMARK'; resourceVersion: string };

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

export interface ClusterClient {
  /** The API server URL. */
  readonly server: string;
  /** Namespace for namespaced objects that name none. */
  readonly namespace: string;
  /** Discovery entry for a kind; throws UnknownResourceError when the server does not serve it. */
  resourceFor(gvk: GroupVersionKind, options?: RequestOptions): Promise<ApiResource>;
  serverVersion(options?: RequestOptions): Promise<ServerVersion>;
  get(target: ObjectTarget, options?: GetOptions): Promise<KubeObject | undefined>;
  /** The status subresource when the kind has one, else the object. */
  getStatus(target: ObjectTarget, options?: RequestOptions): Promise<KubeObject | undefined>;
  /** Every page, concatenated. */
  list(gvk: GroupVersionKind, options?: ListOptions): Promise<ListResult>;
  /** A watch that survives disconnects; ends when the signal aborts or the consumer stops. */
  watch(gvk: GroupVersionKind, options?: WatchOptions): AsyncIterable<WatchEvent>;
  create(object: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Server-Side Apply as `fieldManager` (default `kubectl-kd`). */
  apply(object: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  patch(target: ObjectTarget, patch: unknown, options: PatchOptions): Promise<KubeObject>;
  delete(target: ObjectTarget, options?: DeleteOptions): Promise<DeleteOutcome>;
  /**
   * The API server's clock (ms since the epoch), estimated from the `Date` header of its latest
   * answer; a lower bound, within about a second. Undefined when unknown (no answer yet, no
   * `Date`, or a client that does not track it).
   */
  serverNow?(): number | undefined;
  /**
   * GET through the API server's proxy subresource (`/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH`):
   * one attempt, and any status is an answer (the pod's own), not an error. Optional: test doubles
   * without it cannot run HTTP health checks.
   */
  proxyGet?(path: string, options?: RequestOptions): Promise<{ status: number; body: string }>;
  /** Runs a command in a pod through `pods/exec` (no stdin, no TTY): its exit code and first output. */
  exec?(target: { namespace: string; pod: string; container?: string }, command: readonly string[], options?: RequestOptions): Promise<{ exitCode: number; output: string; error?: string }>;
  /** Frees connections. */
  close(): void;
}
