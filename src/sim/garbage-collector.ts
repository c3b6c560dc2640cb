/**
 * The garbage collector and the finalizers kube-controller-manager and the apiextensions server
 * run: objects whose owners are all gone are deleted (background propagation); the `orphan` and
 * `foregroundDeletion` finalizers are honoured; a terminating namespace is emptied, then its
 * finalizers cleared and the namespace removed; a deleted CRD's objects go before the CRD does.
 * Every change goes back through the storage (delete, or an update as kube-controller-manager),
 * so it is validated, versioned and watched like any other write.
 */
import type { KubeObject } from '../model/object-ref.js';
import type { ApiCatalog, SimResource } from './api-catalog.js';
import type { CrdVersionApi } from './crd-registration.js';
import { meta, nameOf, namespaceOf, type ObjectStore } from './object-store.js';
import { clone, deepEqual, isPlainObject } from './schema-nav.js';
import { CRD_CLEANUP_FINALIZER } from './strategies/crd.js';

type Obj = Record<string, unknown>;

/** What the collector needs of the storage. */
export interface CollectedStorage {
  readonly catalog: ApiCatalog;
  readonly store: ObjectStore;
  delete(res: SimResource, namespace: string, name: string, options: { propagationPolicy: string }): unknown;
  /** Writes `obj` over `old` as kube-controller-manager (no field validation). */
  updateAsController(res: SimResource, old: KubeObject, obj: Obj): void;
  /** The served versions of a CRD's resource. */
  customResourcesOf(crdName: string): CrdVersionApi[];
}

/** The served resource of `group`/`plural` in any version (objects are stored once, whatever version wrote them). */
export function servedResource(catalog: ApiCatalog, group: string, plural: string): SimResource | undefined {
  for (const g of catalog.groups()) {
    if (g.group !== group) continue;
    for (const v of g.versions) {
      const r = catalog.resource(group, v, plural);
      if (r) return r;
    }
  }
  return undefined;
}

export class GarbageCollector {
  readonly #storage: CollectedStorage;
  readonly #store: ObjectStore;
  #scheduled = false;

  constructor(storage: CollectedStorage) {
    this.#storage = storage;
    this.#store = storage.store;
  }

  /** Runs the collector on the next turn of the event loop, once however many writes ask before then. */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.run();
    });
  }

  #removeFinalizer(res: SimResource, obj: KubeObject, finalizer: string): void {
    const o = clone(obj) as Obj;
    const m = meta(o);
    m.finalizers = (Array.isArray(m.finalizers) ? (m.finalizers as string[]) : []).filter((f) => f !== finalizer);
    if ((m.finalizers as string[]).length === 0) delete m.finalizers;
    this.#storage.updateAsController(res, obj, o);
  }

  /** Passes of the collector and the namespace/CRD finalizers until one changes nothing (at most 20). */
  run(): void {
    for (let round = 0; round < 20; round++) if (!this.#pass()) return;
  }

  #pass(): boolean {
    let changed = false;
    const all: Array<{ res: SimResource; obj: KubeObject }> = [];
    const uids = new Set<string>();
    for (const { group, plural } of this.#store.resources()) {
      const res = servedResource(this.#storage.catalog, group, plural);
      if (!res) continue;
      for (const obj of this.#store.list(group, plural)) {
        all.push({ res, obj });
        uids.add(String(meta(obj).uid));
      }
    }
    const dependentsOf = (uid: string) =>
      all.filter(({ obj }) => {
        const refs = meta(obj).ownerReferences;
        return Array.isArray(refs) && refs.some((r) => isPlainObject(r) && r.uid === uid);
      });
    for (const { res, obj } of all) {
      const m = meta(obj);
      const uid = String(m.uid);
      const finalizers = Array.isArray(m.finalizers) ? (m.finalizers as string[]) : [];
      if (m.deletionTimestamp === undefined) {
        const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences.filter(isPlainObject) : [];
        if (refs.length > 0 && refs.every((r) => !uids.has(String(r.uid)))) {
          if (this.#store.get(res.group, res.plural, namespaceOf(obj), nameOf(obj))) {
            this.#storage.delete(res, namespaceOf(obj), nameOf(obj), { propagationPolicy: 'Background' });
            changed = true;
          }
        }
        continue;
      }
      if (finalizers.includes('orphan')) {
        for (const d of dependentsOf(uid)) {
          const c = clone(d.obj) as Obj;
          const dm = meta(c);
          dm.ownerReferences = (dm.ownerReferences as unknown[]).filter((r) => !(isPlainObject(r) && r.uid === uid));
          if ((dm.ownerReferences as unknown[]).length === 0) delete dm.ownerReferences;
          this.#storage.updateAsController(d.res, d.obj, c);
        }
        this.#removeFinalizer(res, obj, 'orphan');
        changed = true;
        continue;
      }
      if (finalizers.includes('foregroundDeletion')) {
        const deps = dependentsOf(uid);
        for (const d of deps)
          if (meta(d.obj).deletionTimestamp === undefined) this.#storage.delete(d.res, namespaceOf(d.obj), nameOf(d.obj), { propagationPolicy: 'Foreground' });
        if (deps.length === 0) this.#removeFinalizer(res, obj, 'foregroundDeletion');
        changed = true;
        continue;
      }
      if (res.group === '' && res.plural === 'namespaces') {
        changed = this.#finalizeNamespace(res, obj) || changed;
        continue;
      }
      if (res.group === 'apiextensions.k8s.io' && res.plural === 'customresourcedefinitions' && finalizers.includes(CRD_CLEANUP_FINALIZER)) {
        for (const api of this.#storage.customResourcesOf(nameOf(obj))) {
          for (const cr of this.#store.list(api.group, api.resource.plural)) {
            const crm = meta(cr);
            if (crm.deletionTimestamp === undefined) this.#storage.delete(api.resource, namespaceOf(cr), nameOf(cr), { propagationPolicy: 'Background' });
          }
        }
        const left = (this.#storage.customResourcesOf(nameOf(obj))).some((api) => this.#store.list(api.group, api.resource.plural).length > 0);
        if (!left) this.#removeFinalizer(res, obj, CRD_CLEANUP_FINALIZER);
        changed = true;
      }
    }
    return changed;
  }

  #finalizeNamespace(res: SimResource, nsObj: KubeObject): boolean {
    const ns = nameOf(nsObj);
    let remaining = 0;
    for (const { group, plural } of this.#store.resources()) {
      const r = servedResource(this.#storage.catalog, group, plural);
      if (!r || !r.namespaced) continue;
      for (const obj of this.#store.list(group, plural, ns)) {
        remaining++;
        if (meta(obj).deletionTimestamp === undefined) this.#storage.delete(r, ns, nameOf(obj), { propagationPolicy: 'Background' });
      }
    }
    if (remaining > 0) return true;
    const spec = isPlainObject(nsObj.spec) ? nsObj.spec : {};
    const c = clone(nsObj) as Obj;
    if (Array.isArray(spec.finalizers) && spec.finalizers.length > 0) {
      c.spec = { ...spec, finalizers: [] };
      delete (c.spec as Obj).finalizers;
      if (Object.keys(c.spec as Obj).length === 0) delete c.spec;
    }
    const m = meta(c);
    const fins = Array.isArray(m.finalizers) ? m.finalizers : [];
    if (fins.length === 0) {
      this.#store.remove(res.group, res.plural, '', ns);
      return true;
    }
    if (!deepEqual(c, nsObj)) {
      this.#store.put(res.group, res.plural, c, 'MODIFIED');
      return true;
    }
    return false;
  }
}
