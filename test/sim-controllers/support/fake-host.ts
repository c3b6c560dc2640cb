/**
 * An in-memory ControllerHost for driving the simulated controllers without the API server:
 * a map store that assigns uid, creationTimestamp, cluster-wide resourceVersion and generation
 * (bumped on spec changes only), keeps status out of `update` and everything but status out of
 * `updateStatus`, filters by labels, honours finalizers on delete, garbage-collects dependents
 * through ownerReferences, and notifies listeners synchronously after each write.
 */
import type { ControllerHost, ResourceKey, SimClock, StoreEvent } from '../../../src/sim/controller-host.js';
import type { KubeObject } from '../../../src/model/object-ref.js';
import type { ObjectMeta } from '../../../src/sim/controllers/objects.js';

export interface RecordedEvent {
  at: number;
  involved: { kind: string; namespace?: string; name: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
}

type Meta = ObjectMeta;

const CLUSTER_SCOPED = new Set(['nodes', 'namespaces', 'persistentvolumes']);
const keyOf = (k: ResourceKey) => `${k.group}/${k.version}/${k.resource}`;
const meta = (o: KubeObject): Meta => (o.metadata ?? {}) as Meta;

export class FakeHost implements ControllerHost {
  readonly events: RecordedEvent[] = [];
  /** Every write, in order, for assertions about intermediate states. */
  readonly writes: StoreEvent[] = [];
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly keys = new Map<string, ResourceKey>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private rv = 1;
  private uid = 1;

  constructor(readonly clock: SimClock) {}

  private bucket(key: ResourceKey): Map<string, KubeObject> {
    const k = keyOf(key);
    this.keys.set(k, key);
    let b = this.store.get(k);
    if (!b) this.store.set(k, (b = new Map()));
    return b;
  }

  /** The stored object an update of `object` replaces: NotFound when there is none, Conflict when its resourceVersion moved on. */
  private existingFor(key: ResourceKey, object: KubeObject): { m: Meta; id: string; old: KubeObject } {
    const m = meta(object);
    const id = this.id(key, m.namespace, m.name ?? '');
    const old = this.bucket(key).get(id);
    if (!old) throw new Error(`NotFound: ${keyOf(key)} ${id}`);
    if (m.resourceVersion !== undefined && m.resourceVersion !== meta(old).resourceVersion) throw new Error(`Conflict: ${keyOf(key)} ${id}`);
    return { m, id, old };
  }

  private id(key: ResourceKey, namespace: string | undefined, name: string): string {
    return CLUSTER_SCOPED.has(key.resource) ? name : `${namespace ?? 'default'}/${name}`;
  }

  private emit(type: StoreEvent['type'], key: ResourceKey, object: KubeObject): void {
    const event = { type, key, object: structuredClone(object) };
    this.writes.push(event);
    for (const l of [...this.listeners]) l(event);
  }

  get(key: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(key).get(this.id(key, namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  list(key: ResourceKey, namespace?: string, labelSelector?: Record<string, string>): KubeObject[] {
    return [...this.bucket(key).values()]
      .filter((o) => namespace === undefined || CLUSTER_SCOPED.has(key.resource) || meta(o).namespace === namespace)
      .filter((o) => Object.entries(labelSelector ?? {}).every(([k, v]) => meta(o).labels?.[k] === v))
      .map((o) => structuredClone(o));
  }

  create(key: ResourceKey, object: KubeObject, _fieldManager: string): KubeObject {
    const o = structuredClone(object);
    const m = { ...meta(o) };
    if (!m.name && m.generateName) m.name = `${m.generateName}${(this.uid + 10000).toString(36)}`;
    if (!m.name) throw new Error('name required');
    if (!CLUSTER_SCOPED.has(key.resource)) m.namespace = m.namespace ?? 'default';
    const id = this.id(key, m.namespace, m.name);
    if (this.bucket(key).has(id)) throw new Error(`AlreadyExists: ${keyOf(key)} ${id}`);
    m.uid = `uid-${this.uid++}`;
    m.resourceVersion = String(this.rv++);
    m.generation = 1;
    m.creationTimestamp = new Date(Math.floor(this.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    delete m.deletionTimestamp;
    o.metadata = m;
    if (!('status' in o) && key.resource !== 'namespaces') o.status = {};
    this.bucket(key).set(id, o);
    this.emit('ADDED', key, o);
    return structuredClone(o);
  }

  update(key: ResourceKey, object: KubeObject, _fieldManager: string): KubeObject {
    const { m, id, old } = this.existingFor(key, object);
    const next = structuredClone(object);
    const om = meta(old);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(old.spec);
    next.metadata = { ...m, uid: om.uid, creationTimestamp: om.creationTimestamp, deletionTimestamp: om.deletionTimestamp, resourceVersion: String(this.rv++), generation: (om.generation ?? 1) + (specChanged ? 1 : 0) };
    if (om.deletionTimestamp === undefined) delete (next.metadata as Meta).deletionTimestamp;
    if ('status' in old) next.status = structuredClone(old.status);
    else delete next.status;
    return this.store_(key, id, next);
  }

  updateStatus(key: ResourceKey, object: KubeObject, _fieldManager: string): KubeObject {
    const { id, old } = this.existingFor(key, object);
    const next = structuredClone(old);
    next.status = structuredClone(object.status);
    next.metadata = { ...meta(old), resourceVersion: String(this.rv++) };
    return this.store_(key, id, next);
  }

  private store_(key: ResourceKey, id: string, next: KubeObject): KubeObject {
    const m = meta(next);
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0) {
      this.bucket(key).delete(id);
      this.emit('DELETED', key, next);
      this.collect(m.uid ?? '');
      return structuredClone(next);
    }
    this.bucket(key).set(id, next);
    this.emit('MODIFIED', key, next);
    return structuredClone(next);
  }

  delete(key: ResourceKey, namespace: string | undefined, name: string, propagation: 'Background' | 'Foreground' | 'Orphan' = 'Background'): void {
    const id = this.id(key, namespace, name);
    const old = this.bucket(key).get(id);
    if (!old) throw new Error(`NotFound: ${keyOf(key)} ${id}`);
    const m = meta(old);
    if ((m.finalizers ?? []).length > 0) {
      if (m.deletionTimestamp) return;
      const next = structuredClone(old);
      next.metadata = { ...m, deletionTimestamp: new Date(this.clock.now()).toISOString(), resourceVersion: String(this.rv++) };
      this.bucket(key).set(id, next);
      this.emit('MODIFIED', key, next);
      return;
    }
    this.bucket(key).delete(id);
    this.emit('DELETED', key, old);
    if (propagation !== 'Orphan') this.collect(m.uid ?? '');
  }

  /** Garbage collection: dependents of a deleted owner are deleted too. */
  private collect(ownerUid: string): void {
    for (const [k, bucket] of this.store) {
      const key = this.keys.get(k) as ResourceKey;
      for (const o of [...bucket.values()]) {
        if (meta(o).ownerReferences?.some((r) => r.uid === ownerUid)) {
          if (this.bucket(key).has(this.id(key, meta(o).namespace, meta(o).name ?? ''))) this.delete(key, meta(o).namespace, meta(o).name ?? '');
        }
      }
    }
  }

  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const m = meta(involved);
    this.events.push({
      at: this.clock.now(),
      involved: { kind: String(involved.kind ?? ''), ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name ?? '' },
      type,
      reason,
      message,
      component,
    });
  }

  onChange(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events about one object, as `kubectl describe` lists them: `Type Reason From Message`. */
  eventsFor(kind: string, name: string): string[] {
    return this.events.filter((e) => e.involved.kind === kind && e.involved.name === name).map((e) => `${e.type} ${e.reason} ${e.component} ${e.message}`);
  }
}
