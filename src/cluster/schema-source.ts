/**
 * The schema registry's live-cluster source: the server's `/openapi/v3` (an index of
 * group-version documents with content hashes, and the documents, fetched lazily one at a time)
 * plus its CustomResourceDefinitions. Documents are cached on disk per server version
 * (`/version`'s gitVersion) and content hash, so a second run reads them from disk, and a CRD
 * changed since — whose document has a new hash — is fetched again. The index itself is small
 * and always fetched live, once per source.
 */
import { crdFromObject, type CustomResourceDefinitionInfo } from '../schema/crd.js';
import { parseGroupVersionPath, type GroupVersionPath, type OpenApiDocument, type SchemaSource } from '../schema/types.js';
import type { DiskCache } from './disk-cache.js';
import { parseJsonBody } from './errors.js';
import type { HttpTransport } from './transport.js';
import type { ClusterClient } from './types.js';

export interface ClusterSchemaSourceOptions {
  transport: HttpTransport;
  /** The server's cache folder (documents go below `openapi/<gitVersion>/`); no disk cache when omitted. */
  cache?: DiskCache;
  /** Name for messages: `cluster prod`. */
  name?: string;
  /** The server's version, when already known (else fetched from `/version`). */
  gitVersion?: string;
}

interface IndexEntry {
  url: string;
  hash?: string;
}

export class ClusterSchemaSource implements SchemaSource {
  readonly #transport: HttpTransport;
  readonly #cache: DiskCache | undefined;
  readonly #name: string;
  #gitVersion?: string;
  #index?: Promise<Map<GroupVersionPath, IndexEntry>>;
  readonly #docs = new Map<GroupVersionPath, Promise<OpenApiDocument | undefined>>();
  /** How many documents came from the server (not the disk cache), for tests and logs. */
  fetched = 0;

  constructor(options: ClusterSchemaSourceOptions) {
    this.#transport = options.transport;
    this.#cache = options.cache;
    this.#name = options.name ?? options.transport.server;
    if (options.gitVersion !== undefined) this.#gitVersion = options.gitVersion;
  }

  get description(): string {
    return `cluster ${this.#name}${this.#gitVersion ? ` (${this.#gitVersion})` : ''}`;
  }

  get kubernetesVersion(): string | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(this.#gitVersion ?? '');
    return m ? `${m[1]}.${m[2]}` : undefined;
  }

  async groupVersions(): Promise<GroupVersionPath[]> {
    return [...(await this.#loadIndex()).keys()].filter((gv) => parseGroupVersionPath(gv) !== undefined).sort();
  }

  document(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    let doc = this.#docs.get(gv);
    if (!doc) {
      doc = this.#fetchDocument(gv);
      this.#docs.set(gv, doc);
      doc.catch(() => this.#docs.delete(gv));
    }
    return doc;
  }

  /** The server version; also what the disk cache is keyed by. */
  async gitVersion(): Promise<string> {
    if (this.#gitVersion === undefined) {
      const subject = { verb: 'get', target: 'server version' };
      const res = await this.#transport.request({ method: 'GET', path: '/version', subject });
      this.#gitVersion = String(parseJsonBody<{ gitVersion?: unknown }>(subject, res.body).gitVersion ?? 'unknown');
    }
    return this.#gitVersion;
  }

  #loadIndex(): Promise<Map<GroupVersionPath, IndexEntry>> {
    this.#index ??= (async () => {
      await this.gitVersion();
      const subject = { verb: 'get', target: 'OpenAPI index (/openapi/v3)' };
      const res = await this.#transport.request({ method: 'GET', path: '/openapi/v3', subject });
      const paths = (parseJsonBody<{ paths?: Record<string, { serverRelativeURL?: string }> }>(subject, res.body).paths ?? {}) as Record<string, { serverRelativeURL?: string }>;
      const out = new Map<GroupVersionPath, IndexEntry>();
      for (const [gv, entry] of Object.entries(paths)) {
        const url = entry.serverRelativeURL ?? `/openapi/v3/${gv}`;
        const hash = /[?&]hash=([^&]+)/.exec(url)?.[1];
        out.set(gv, hash === undefined ? { url } : { url, hash });
      }
      return out;
    })();
    this.#index.catch(() => {
      this.#index = undefined;
    });
    return this.#index;
  }

  async #fetchDocument(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    const entry = (await this.#loadIndex()).get(gv);
    if (!entry) return undefined;
    const cacheName = entry.hash ? `openapi/${safe(await this.gitVersion())}/${gv.replace(/\//g, '_')}.${entry.hash.slice(0, 32)}.json` : undefined;
    if (cacheName && this.#cache) {
      const cached = this.#cache.read<OpenApiDocument>(cacheName);
      if (cached && typeof cached === 'object' && cached.components) return cached;
    }
    const subject = { verb: 'get', target: `OpenAPI document ${gv}` };
    const [path, query] = splitUrl(entry.url);
    const res = await this.#transport.request({ method: 'GET', path, query, subject });
    const doc = parseJsonBody<OpenApiDocument>(subject, res.body);
    doc.paths ??= {};
    doc.components ??= { schemas: {} };
    doc.components.schemas ??= {};
    this.fetched++;
    if (cacheName && this.#cache) this.#cache.write(cacheName, doc);
    return doc;
  }
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]+/g, '_');
}

function splitUrl(url: string): [string, Record<string, string>] {
  const q = url.indexOf('?');
  if (q < 0) return [url, {}];
  return [url.slice(0, q), Object.fromEntries(new URLSearchParams(url.slice(q + 1)))];
}

/** The cluster's CRDs as registry entries (unusable ones skipped). */
export async function listCustomResourceDefinitions(client: ClusterClient, options: { signal?: AbortSignal } = {}): Promise<CustomResourceDefinitionInfo[]> {
  const listed = await client.list({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }, options.signal ? { signal: options.signal } : {});
  const out: CustomResourceDefinitionInfo[] = [];
  for (const item of listed.items) {
    const def = crdFromObject(item);
    if (def) out.push(def);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

