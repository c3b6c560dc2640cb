/**
 * `/openapi/v3` (index with content hashes) and `/openapi/v3/<gv>?hash=` documents, serialised
 * once per catalogue generation so large documents (api/v1 is 2 MB) cost nothing per request.
 * Cache headers follow kube-apiserver: the index is `no-cache, private`; a document asked for by
 * its current hash is `public, immutable` for a year; a stale hash redirects to the current one.
 */
import { createHash } from 'node:crypto';
import type { ApiCatalog } from './api-catalog.js';

interface Serialized {
  body: Buffer;
  hash: string;
}

export class OpenApiService {
  readonly #catalog: ApiCatalog;
  #generation = -1;
  readonly #docs = new Map<string, Serialized>();

  constructor(catalog: ApiCatalog) {
    this.#catalog = catalog;
  }

  #refresh(): void {
    if (this.#generation === this.#catalog.generation) return;
    const keep = new Set(this.#catalog.groupVersionPaths());
    for (const k of [...this.#docs.keys()]) if (!keep.has(k)) this.#docs.delete(k);
    for (const gv of keep) {
      const doc = this.#catalog.document(gv);
      if (!doc) continue;
      const existing = this.#docs.get(gv);
      const body = Buffer.from(JSON.stringify(doc));
      const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
      if (existing?.hash !== hash) this.#docs.set(gv, { body, hash });
    }
    this.#generation = this.#catalog.generation;
  }

  index(): Buffer {
    this.#refresh();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, d] of [...this.#docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${d.hash}` };
    return Buffer.from(JSON.stringify({ paths }));
  }

  document(gv: string): Serialized | undefined {
    this.#refresh();
    return this.#docs.get(gv);
  }
}
