/**
 * Which custom resources are served: per stored CRD, the group-versions it registered, and the
 * catalog documents of those group-versions (rebuilt from every CRD that shares one). Adding or
 * dropping a CRD's resources changes discovery and OpenAPI at once; dropping one also drops its
 * objects from the store. The CRD object's own lifecycle (Established, cleanup) is the storage's
 * and the garbage collector's.
 */
import type { ApiCatalog, SimResource } from './api-catalog.js';
import { crdVersionApis, type CrdVersionApi } from './crd-registration.js';
import { nameOf, type ObjectStore } from './object-store.js';
import type { OpenApiDocument } from '../schema/types.js';

export class CustomResourceServing {
  readonly #catalog: ApiCatalog;
  readonly #store: ObjectStore;
  /** CRD name -> the group-versions it registered. */
  readonly #apis = new Map<string, CrdVersionApi[]>();
  /** Base documents of the schema source, CRD entries merge into copies of them. */
  readonly #metaSchemas: Record<string, unknown>;

  constructor(catalog: ApiCatalog, store: ObjectStore) {
    this.#catalog = catalog;
    this.#store = store;
    const ext = catalog.document('apis/apiextensions.k8s.io/v1') ?? catalog.document('api/v1');
    const schemas = ext?.components?.schemas ?? {};
    this.#metaSchemas = Object.fromEntries(Object.entries(schemas).filter(([k]) => k.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')));
  }

  /** Serves (or re-serves, after a change) the resources of a stored CRD; returns what it serves. */
  serve(crd: Record<string, unknown>): CrdVersionApi[] {
    const name = nameOf(crd);
    const apis = crdVersionApis(crd);
    const before = this.#apis.get(name) ?? [];
    this.#apis.set(name, apis);
    for (const b of before) if (!apis.some((a) => a.group === b.group && a.version === b.version)) this.#rebuildGroupVersion(b.group, b.version);
    for (const a of apis) this.#rebuildGroupVersion(a.group, a.version);
    return apis;
  }

  /** A CRD is gone: its resources are no longer served and their objects are dropped. */
  stop(name: string): void {
    const apis = this.#apis.get(name) ?? [];
    this.#apis.delete(name);
    for (const a of apis) {
      this.#store.dropResource(a.group, a.resource.plural);
      this.#rebuildGroupVersion(a.group, a.version);
    }
  }

  apisOf(crdName: string): CrdVersionApi[] {
    return this.#apis.get(crdName) ?? [];
  }

  /** The served version of a custom resource. */
  apiOf(res: SimResource): CrdVersionApi | undefined {
    return [...this.#apis.values()].flat().find((a) => a.group === res.group && a.version === res.version && a.resource.plural === res.plural);
  }

  /** Custom group-versions may hold several CRDs; their document is rebuilt from all of them. */
  #rebuildGroupVersion(group: string, version: string): void {
    const entries = [...this.#apis.values()].flat().filter((a) => a.group === group && a.version === version);
    if (entries.length === 0) {
      this.#catalog.removeGroupVersion({ group, version });
      return;
    }
    const doc: OpenApiDocument = { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths: {}, components: { schemas: { ...(this.#metaSchemas as OpenApiDocument['components']['schemas']) } } };
    for (const e of entries) {
      Object.assign(doc.paths, e.paths);
      Object.assign(doc.components.schemas, e.schemas);
    }
    this.#catalog.addDocument({ group, version }, doc, entries.map((e) => e.resource).sort((a, b) => (a.plural < b.plural ? -1 : 1)));
  }
}
