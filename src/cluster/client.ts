/**
 * `KubeClient`, the one implementation of `ClusterClient`: a dynamic client over any kind,
 * built-in or custom, that sends and returns objects as plain JSON text so that fields this
 * program has never heard of round-trip unchanged. Resources come from discovery (refreshed on
 * a miss); requests go through the transport (rate limit, retries).
 *
 * Server-Side Apply sends the object as `application/apply-patch+yaml` (JSON is YAML) with
 * `fieldManager=kubectl-kd` and `fieldValidation=Strict`, like `kubectl apply --server-side`.
 */
import type { GroupVersionKind, KubeObject } from '../model/object-ref.js';
import { parseApiVersion } from '../model/object-ref.js';
import { inputError } from '../errors.js';
import type { ApiResource, Discovery } from './discovery.js';
import { ClusterRequestError, parseJsonBody, UnknownResourceError, type RequestSubject } from './errors.js';
import type { HttpRequest, HttpTransport, QueryValue } from './transport.js';
import { execInPod, type ExecResult, type ExecTarget } from './exec.js';
import type {
  ApplyOptions,
  ClusterClient,
  DeleteOptions,
  DeleteOutcome,
  GetOptions,
  ListOptions,
  ListResult,
  ObjectTarget,
  PatchOptions,
  PatchType,
  RequestOptions,
  ServerVersion,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './types.js';
import { resumableWatch } from './watch.js';

export const FIELD_MANAGER = 'kubectl-kd';
const DEFAULT_PAGE_SIZE = 500;

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface KubeClientOptions {
  transport: HttpTransport;
  discovery: Discovery;
  /** Namespace for namespaced objects that name none. Default `default`. */
  namespace?: string;
  /** Server warnings (deprecated APIs, unknown fields under `Warn`), one text each. */
  onWarning?: (warning: string) => void;
}

type Obj = Record<string, unknown>;

export class KubeClient implements ClusterClient {
  readonly server: string;
  readonly namespace: string;
  readonly transport: HttpTransport;
  readonly discovery: Discovery;
  readonly #onWarning: ((w: string) => void) | undefined;
  #version?: Promise<ServerVersion>;

  constructor(options: KubeClientOptions) {
    this.transport = options.transport;
    this.discovery = options.discovery;
    this.server = options.transport.server;
    this.namespace = options.namespace ?? 'default';
    this.#onWarning = options.onWarning;
  }

  async resourceFor(gvk: GroupVersionKind, options: RequestOptions = {}): Promise<ApiResource> {
    return this.#resource(gvk, 'find', options.signal);
  }

  serverVersion(options: RequestOptions = {}): Promise<ServerVersion> {
    this.#version ??= (async () => {
      const subject = { verb: 'get', target: 'server version' };
      const res = await this.transport.request({ method: 'GET', path: '/version', subject, ...signalOf(options) });
      const v = parseJsonBody<Obj>(subject, res.body);
      const out: ServerVersion = { gitVersion: String(v.gitVersion ?? ''), major: String(v.major ?? ''), minor: String(v.minor ?? '') };
      if (typeof v.platform === 'string') out.platform = v.platform;
      return out;
    })();
    const pending = this.#version;
    pending.catch(() => {
      if (this.#version === pending) this.#version = undefined;
    });
    return pending;
  }

  async get(target: ObjectTarget, options: GetOptions = {}): Promise<KubeObject | undefined> {
    const r = await this.#resource(target, 'get', options.signal);
    const subject = subjectFor('get', target, r, this.namespace);
    try {
      const res = await this.transport.request({ method: 'GET', path: this.#objectPath(r, target, options.subresource), subject, ...signalOf(options) });
      return parseJsonBody<KubeObject>(subject, res.body);
    } catch (e) {
      if (e instanceof ClusterRequestError && e.isNotFound) return undefined;
      throw e;
    }
  }

  async getStatus(target: ObjectTarget, options: RequestOptions = {}): Promise<KubeObject | undefined> {
    const r = await this.#resource(target, 'get', options.signal);
    return this.get(target, r.subresources.includes('status') ? { ...options, subresource: 'status' } : options);
  }

  async list(gvk: GroupVersionKind, options: ListOptions = {}): Promise<ListResult> {
    const r = await this.#resource(gvk, 'list', options.signal);
    const ns = this.#collectionNamespace(r, options);
    const subject = { verb: 'list', target: `${gvk.kind}${ns ? ` in namespace ${ns}` : r.namespaced ? ' in all namespaces' : ''}` };
    const path = collectionPath(r, ns);
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const base: Record<string, QueryValue> = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    let restarted = false;
    for (;;) {
      const items: KubeObject[] = [];
      let cont: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const query: Record<string, QueryValue> = { ...base };
          if (!restarted && pageSize > 0) query.limit = pageSize;
          if (cont) query.continue = cont;
          const res = await this.transport.request({ method: 'GET', path, query, subject, ...signalOf(options) });
          const page = parseJsonBody<Obj>(subject, res.body);
          const meta = (page.metadata ?? {}) as Obj;
          const kindOfItems = page.kind === 'List' || typeof page.kind !== 'string' ? r.kind : page.kind.replace(/List$/, '');
          const apiVersion = typeof page.apiVersion === 'string' ? page.apiVersion : apiVersionOf(r);
          for (const item of Array.isArray(page.items) ? (page.items as KubeObject[]) : []) {
            // Lists omit each item's apiVersion and kind; callers want whole objects.
            items.push(item.kind === undefined || item.apiVersion === undefined ? { apiVersion, kind: kindOfItems, ...item } : item);
          }
          if (!cont || !resourceVersion) resourceVersion = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : resourceVersion;
          cont = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
        } while (cont);
        return { items, resourceVersion };
      } catch (e) {
        // The continue token expired between pages: list again in one piece, as client-go does.
        if (e instanceof ClusterRequestError && e.isGone && !restarted) {
          restarted = true;
          continue;
        }
        throw e;
      }
    }
  }

  watch(gvk: GroupVersionKind, options: WatchOptions = {}): AsyncIterable<WatchEvent> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const r = await self.#resource(gvk, 'watch', options.signal);
        const ns = self.#collectionNamespace(r, options);
        const fieldSelector = [options.fieldSelector, options.name !== undefined ? `metadata.name=${options.name}` : undefined].filter(Boolean).join(',') || undefined;
        const listOptions: ListOptions = { ...options, namespace: ns ?? '', allNamespaces: ns === undefined };
        if (fieldSelector !== undefined) listOptions.fieldSelector = fieldSelector;
        const target = options.name !== undefined ? `${gvk.kind} ${ns ? `${ns}/` : ''}${options.name}` : `${gvk.kind}${ns ? ` in namespace ${ns}` : ''}`;
        yield* resumableWatch({
          transport: self.transport,
          path: collectionPath(r, ns),
          query: { labelSelector: options.labelSelector, fieldSelector },
          subject: { verb: 'watch', target },
          list: () => self.list(gvk, listOptions),
          ...(options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {}),
          ...signalOf(options),
        });
      },
    };
  }

  async create(object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const { gvk, target } = identify(object, 'create');
    const { r, subject, ns, body } = await this.#writeOf(object, gvk, target, 'create', options.signal);
    try {
      // Awaited here, so that a rejection reaches the catch below.
      return await this.#write({
        method: 'POST',
        path: collectionPath(r, ns),
        query: writeQuery(options, 'Strict'),
        body: JSON.stringify(body),
        subject,
        retryClass: 'create',
        ...signalOf(options),
      });
    } catch (e) {
      // A retried create that meets AlreadyExists most likely met its own first attempt,
      // which succeeded although its answer was lost: that object is the result.
      if (e instanceof ClusterRequestError && e.isAlreadyExists && e.attempts > 1 && target.name && !options.dryRun) {
        const existing = await this.get({ ...gvk, name: target.name, ...(ns !== undefined ? { namespace: ns } : {}) }, signalOf(options));
        if (existing) return existing;
      }
      throw e;
    }
  }

  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const { gvk, target } = identify(object, 'apply');
    if (!target.name) throw inputError(`apply ${gvk.kind}: metadata.name is required for Server-Side Apply`, 'set metadata.name (generateName works only with create)');
    const { r, subject, ns, body } = await this.#writeOf(object, gvk, target, 'apply', options.signal);
    const query = writeQuery(options, 'Strict');
    if (options.force) query.force = 'true';
    return this.#write({
      method: 'PATCH',
      path: this.#objectPath(r, { ...target, ...(ns !== undefined ? { namespace: ns } : {}) }, options.subresource),
      query,
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(body),
      subject,
      retryClass: 'idempotent-write',
      ...signalOf(options),
    });
  }

  async patch(target: ObjectTarget, patch: unknown, options: PatchOptions): Promise<KubeObject> {
    const r = await this.#resource(target, 'patch', options.signal);
    const subject = subjectFor('patch', target, r, this.namespace);
    return this.#write({
      method: 'PATCH',
      path: this.#objectPath(r, target, options.subresource),
      query: writeQuery(options, undefined),
      contentType: PATCH_CONTENT_TYPES[options.type],
      body: JSON.stringify(patch),
      subject,
      // A JSON patch may carry `test` operations: a conflict there is an answer, not a race.
      retryClass: options.type === 'json' ? 'precondition-write' : 'idempotent-write',
      ...signalOf(options),
    });
  }

  async delete(target: ObjectTarget, options: DeleteOptions = {}): Promise<DeleteOutcome> {
    const r = await this.#resource(target, 'delete', options.signal);
    const subject = subjectFor('delete', target, r, this.namespace);
    const body: Obj = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.dryRun) body.dryRun = ['All'];
    try {
      const res = await this.transport.request({
        method: 'DELETE',
        path: this.#objectPath(r, target),
        query: options.dryRun ? { dryRun: 'All' } : {},
        body: JSON.stringify(body),
        subject,
        retryClass: options.preconditions ? 'precondition-write' : 'idempotent-write',
        ...signalOf(options),
      });
      const answer = parseJsonBody<Obj>(subject, res.body);
      // The server answers with the object while finalizers (or foreground deletion) hold it.
      if (answer.kind !== 'Status' && isTerminating(answer)) return { outcome: 'terminating', object: answer as KubeObject };
      return { outcome: 'deleted' };
    } catch (e) {
      if (e instanceof ClusterRequestError && e.isNotFound) return { outcome: 'not-found' };
      throw e;
    }
  }

  serverNow(): number | undefined {
    return this.transport.serverNow();
  }

  async proxyGet(path: string, options: RequestOptions = {}): Promise<{ status: number; body: string }> {
    const subject: RequestSubject = { verb: 'get', target: path };
    const res = await this.transport.once({ method: 'GET', path, accept: '*/*', subject, ...signalOf(options) });
    return { status: res.status, body: res.body };
  }

  async exec(target: ExecTarget, command: readonly string[], options: RequestOptions = {}): Promise<ExecResult> {
    return execInPod(this.transport, target, command, options.signal ? { signal: options.signal } : {});
  }

  close(): void {
    this.transport.close();
  }

  async #resource(gvk: GroupVersionKind, verb: string, signal?: AbortSignal): Promise<ApiResource> {
    const r = await this.discovery.resourceFor(gvk, signal);
    if (r) return r;
    throw new UnknownResourceError(gvk, await this.discovery.versionsOf(gvk, signal), verb);
  }

  /**
   * Where a write of a whole object (create, apply) goes and what it sends: the object's resource,
   * the subject for messages, its namespace (the client's own for a namespaced object without
   * one) and the body with that namespace written in.
   */
  async #writeOf(object: KubeObject, gvk: GroupVersionKind, target: ObjectTarget, verb: 'create' | 'apply', signal?: AbortSignal) {
    const r = await this.#resource(gvk, verb, signal);
    const subject = subjectFor(verb, target, r, this.namespace);
    const ns = r.namespaced ? target.namespace || this.namespace : undefined;
    const body = ns !== undefined && !target.namespace ? withNamespace(object, ns) : object;
    return { r, subject, ns, body };
  }

  /** Sends a write and reads back the object it wrote, telling the server's warnings on the way. */
  async #write(req: HttpRequest): Promise<KubeObject> {
    const res = await this.transport.request(req);
    this.#warnings(res.headers.warning);
    return parseJsonBody<KubeObject>(req.subject, res.body);
  }

  #objectPath(r: ApiResource, target: ObjectTarget, subresource?: string): string {
    const ns = r.namespaced ? target.namespace || this.namespace : undefined;
    return `${collectionPath(r, ns)}/${encodeURIComponent(target.name)}${subresource ? `/${subresource}` : ''}`;
  }

  #collectionNamespace(r: ApiResource, options: { namespace?: string; allNamespaces?: boolean }): string | undefined {
    if (!r.namespaced || options.allNamespaces || options.namespace === '') return undefined;
    return options.namespace ?? this.namespace;
  }

  #warnings(header: string | string[] | undefined): void {
    if (!this.#onWarning || header === undefined) return;
    for (const h of Array.isArray(header) ? header : [header]) {
      const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(h);
      this.#onWarning(m ? m[1]!.replace(/\\(.)/g, '$1') : h);
    }
  }
}

function signalOf(options: RequestOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function collectionPath(r: ApiResource, namespace: string | undefined): string {
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return `${root}${namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.plural}`;
}

function writeQuery(options: WriteOptions, defaultValidation: 'Strict' | undefined): Record<string, QueryValue> {
  const q: Record<string, QueryValue> = { fieldManager: options.fieldManager ?? FIELD_MANAGER };
  const validation = options.fieldValidation ?? defaultValidation;
  if (validation) q.fieldValidation = validation;
  if (options.dryRun) q.dryRun = 'All';
  return q;
}

function subjectFor(verb: string, target: ObjectTarget, r: ApiResource, defaultNamespace: string): RequestSubject {
  const ns = r.namespaced ? target.namespace || defaultNamespace : undefined;
  return { verb, target: `${target.kind} ${ns ? `${ns}/` : ''}${target.name}` };
}

function identify(object: KubeObject, verb: string): { gvk: GroupVersionKind; target: ObjectTarget } {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || object.apiVersion === '' || object.kind === '')
    throw inputError(`${verb}: the object has no apiVersion or kind`, 'every manifest needs apiVersion and kind');
  const gvk = { ...parseApiVersion(object.apiVersion), kind: object.kind };
  const meta = (object.metadata ?? {}) as Obj;
  const target: ObjectTarget = { ...gvk, name: typeof meta.name === 'string' ? meta.name : '' };
  if (typeof meta.namespace === 'string' && meta.namespace !== '') target.namespace = meta.namespace;
  return { gvk, target };
}

function withNamespace(object: KubeObject, namespace: string): KubeObject {
  return { ...object, metadata: { ...((object.metadata ?? {}) as Obj), namespace } };
}

function isTerminating(o: Obj): boolean {
  const m = o.metadata as Obj | undefined;
  return typeof m?.deletionTimestamp === 'string';
}
