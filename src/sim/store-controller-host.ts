/**
 * The ControllerHost the simulated controllers run against: the same RestStorage the HTTP API
 * uses (so controllers get defaults, resourceVersions, managedFields and watch events exactly as
 * API clients do), without HTTP. Writes are never dry-run and ignore unknown fields.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../model/object-ref.js';
import type { ControllerHost, ResourceKey, SimClock, StoreEvent } from './controller-host.js';
import type { RestStorage } from './rest-storage.js';
import type { SimResource } from './api-catalog.js';
import { ApiError } from './api-status.js';
import { nameOf, namespaceOf } from './object-store.js';
import { selectorFromMap } from './selectors.js';
import { isPlainObject } from './schema-nav.js';

export class StoreControllerHost implements ControllerHost {
  readonly clock: SimClock;
  readonly #storage: RestStorage;

  /**
   * The core Events by what the event recorder's correlator compares, so that a repeat finds
   * the Event it bumps without listing the namespace's Events (a list per recorded event made a
   * rollout of 200 Deployments, about 1,700 Events, quadratic). Kept in step with every write,
   * the API's included, through the store's change feed.
   */
  readonly #events = new Map<string, Set<string>>();
  readonly #eventKeys = new Map<string, string>();

  constructor(storage: RestStorage) {
    this.#storage = storage;
    this.clock = storage.clock;
    for (const e of storage.store.list('', 'events')) this.#indexEvent(e);
    storage.store.subscribe((change) => {
      if (change.group !== '' || change.plural !== 'events') return;
      if (change.type === 'DELETED') this.#unindexEvent(change.object);
      else this.#indexEvent(change.object);
    });
  }

  #indexEvent(event: KubeObject): void {
    this.#unindexEvent(event);
    const id = `${namespaceOf(event)}/${nameOf(event)}`;
    const key = correlationKey(namespaceOf(event), event);
    this.#eventKeys.set(id, key);
    let names = this.#events.get(key);
    if (!names) this.#events.set(key, (names = new Set()));
    names.add(nameOf(event));
  }

  #unindexEvent(event: KubeObject): void {
    const id = `${namespaceOf(event)}/${nameOf(event)}`;
    const key = this.#eventKeys.get(id);
    if (key === undefined) return;
    this.#eventKeys.delete(id);
    const names = this.#events.get(key);
    names?.delete(nameOf(event));
    if (names?.size === 0) this.#events.delete(key);
  }

  #res(key: ResourceKey): SimResource {
    const r = this.#storage.catalog.resource(key.group, key.version, key.resource);
    if (!r) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${key.group}/${key.version}, ${key.resource})`);
    return r;
  }

  get(key: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#storage.tryGet(this.#res(key), namespace ?? '', name);
  }

  list(key: ResourceKey, namespace?: string, labelSelector?: Record<string, string>): KubeObject[] {
    return this.#storage.list(this.#res(key), namespace, labelSelector ? selectorFromMap(labelSelector) : undefined);
  }

  create(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject {
    return this.#storage.create(this.#res(key), namespaceOf(object), object, { fieldManager, fieldValidation: 'Ignore' });
  }

  update(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject {
    return this.#storage.update(this.#res(key), namespaceOf(object), nameOf(object), object, { fieldManager, fieldValidation: 'Ignore' }).object;
  }

  updateStatus(key: ResourceKey, object: KubeObject, fieldManager: string): KubeObject {
    return this.#storage.update(this.#res(key), namespaceOf(object), nameOf(object), object, { fieldManager, fieldValidation: 'Ignore', subresource: 'status' }).object;
  }

  delete(key: ResourceKey, namespace: string | undefined, name: string, propagation?: 'Background' | 'Foreground' | 'Orphan'): void {
    const opts = propagation === undefined ? {} : { propagationPolicy: propagation };
    this.#storage.delete(this.#res(key), namespace ?? '', name, opts);
  }

  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const m = isPlainObject(involved.metadata) ? involved.metadata : {};
    const namespace = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
    const now = this.#storage.now();
    const events = this.#storage.catalog.resource('', 'v1', 'events');
    if (!events) return;
    // Repeats of the same event bump its count, as the event recorder's correlator does (the
    // first such Event in the list order, by name, as a list would give it).
    const names = this.#events.get(correlationKey(namespace, { involvedObject: { uid: m.uid }, reason, message, type }));
    const first = names === undefined ? undefined : [...names].sort()[0];
    const same = first === undefined ? undefined : this.#storage.tryGet(events, namespace, first);
    if (same) {
      const next = { ...same, count: (typeof same.count === 'number' ? same.count : 1) + 1, lastTimestamp: now };
      this.#storage.update(events, namespace, nameOf(same), next, { fieldManager: component, fieldValidation: 'Ignore' });
      return;
    }
    const name = `${String(m.name ?? 'object')}.${randomBytes(8).toString('hex')}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
      reportingInstance: '',
    };
    this.#storage.create(events, namespace, event, { fieldManager: component, fieldValidation: 'Ignore' });
  }

  onChange(listener: (event: StoreEvent) => void): () => void {
    return this.#storage.store.subscribe((e) => {
      const version = this.#storage.catalog.groups().find((g) => g.group === e.group)?.versions[0] ?? '';
      listener({ type: e.type, key: { group: e.group, version, resource: e.plural }, object: e.object });
    });
  }
}

/** What the event recorder's correlator compares: the involved object (by uid), reason, message and type, in one namespace. */
function correlationKey(namespace: string, event: KubeObject): string {
  const inv = isPlainObject(event.involvedObject) ? event.involvedObject : {};
  return JSON.stringify([namespace, inv.uid ?? null, event.reason ?? null, event.message ?? null, event.type ?? null]);
}
