/**
 * Discovery: which resources the server serves, as group/version/kind → plural, scope, verbs
 * and subresources. Aggregated discovery (`apidiscovery.k8s.io/v2`, two requests) when the server
 * offers it, the legacy per-group-version documents otherwise.
 *
 * Cached in memory and on disk per server with a TTL (default 6 hours, as kubectl's disk cache: a
 * refetch costs two requests of every short command). A kind that is not in
 * the cache triggers one refresh before it is declared unknown, so a CRD created a moment ago
 * is found; concurrent misses share that refresh.
 */
import type { GroupVersionKind } from '../model/object-ref.js';
import { formatApiVersion } from '../model/object-ref.js';
import type { ClusterClock } from './clock.js';
import type { DiskCache } from './disk-cache.js';
import { parseJsonBody, type ClusterRequestError } from './errors.js';
import type { HttpTransport } from './transport.js';

export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs. */
  plural: string;
  singular?: string;
  namespaced: boolean;
  verbs: string[];
  /** `status`, `scale`, ... */
  subresources: string[];
  shortNames: string[];
  categories: string[];
}

export type DiscoveryMode = 'aggregated' | 'legacy';

interface CacheEntry {
  fetchedAt: number;
  mode: DiscoveryMode;
  resources: ApiResource[];
}

export interface DiscoveryOptions {
  transport: HttpTransport;
  /** The server's cache folder; no disk cache when omitted. */
  cache?: DiskCache;
  /** Default 6 hours. */
  ttlMs?: number;
  clock?: ClusterClock;
  signal?: AbortSignal;
}

export const DEFAULT_DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000;
const CACHE_FILE = 'discovery.json';
const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export class Discovery {
  readonly #transport: HttpTransport;
  readonly #cache: DiskCache | undefined;
  readonly #ttlMs: number;
  readonly #clock: ClusterClock;
  #entry?: CacheEntry;
  #index?: Map<string, ApiResource>;
  #refreshing?: Promise<CacheEntry>;
  /** Where the current data came from, for tests and `--v` style logs. */
  lastSource?: 'disk' | 'server';

  constructor(options: DiscoveryOptions) {
    this.#transport = options.transport;
    this.#cache = options.cache;
    this.#ttlMs = options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
    this.#clock = options.clock ?? options.transport.clock;
  }

  get mode(): DiscoveryMode | undefined {
    return this.#entry?.mode;
  }

  /** Every served resource (fresh from cache, or fetched). */
  async resources(signal?: AbortSignal): Promise<ApiResource[]> {
    return (await this.#current(signal)).resources;
  }

  /** The resource for a kind at a version; refreshes once on a miss. Undefined when the server does not serve it. */
  async resourceFor(gvk: GroupVersionKind, signal?: AbortSignal): Promise<ApiResource | undefined> {
    await this.#current(signal);
    const hit = this.#index?.get(key(gvk));
    if (hit) return hit;
    await this.refresh(signal);
    return this.#index?.get(key(gvk));
  }

  /** The versions the server serves a group-kind in, preferred first (for "it serves Deployment as apps/v1"). */
  async versionsOf(groupKind: { group: string; kind: string }, signal?: AbortSignal): Promise<string[]> {
    const all = await this.resources(signal);
    return all.filter((r) => r.group === groupKind.group && r.kind === groupKind.kind).map((r) => formatApiVersion(r));
  }

  /** Refetches from the server now (sharing a refresh already under way). */
  async refresh(signal?: AbortSignal): Promise<ApiResource[]> {
    this.#refreshing ??= this.#fetch(signal).finally(() => {
      this.#refreshing = undefined;
    });
    return (await this.#refreshing).resources;
  }

  /** Forgets the cached data (memory and disk). */
  invalidate(): void {
    this.#entry = undefined;
    this.#index = undefined;
    this.#cache?.write(CACHE_FILE, null);
  }

  async #current(signal?: AbortSignal): Promise<CacheEntry> {
    const now = this.#clock.now();
    if (this.#entry && now - this.#entry.fetchedAt < this.#ttlMs) return this.#entry;
    const disk = this.#cache?.read<CacheEntry | null>(CACHE_FILE);
    if (disk && Array.isArray(disk.resources) && typeof disk.fetchedAt === 'number' && now - disk.fetchedAt < this.#ttlMs && now >= disk.fetchedAt) {
      this.#use(disk);
      this.lastSource = 'disk';
      return disk;
    }
    await this.refresh(signal);
    return this.#entry!;
  }

  async #fetch(signal?: AbortSignal): Promise<CacheEntry> {
    const resources = (await this.#fetchAggregated(signal)) ?? { mode: 'legacy' as const, resources: await this.#fetchLegacy(signal) };
    const entry: CacheEntry = { fetchedAt: this.#clock.now(), ...resources };
    this.#use(entry);
    this.lastSource = 'server';
    this.#cache?.write(CACHE_FILE, entry);
    return entry;
  }

  #use(entry: CacheEntry): void {
    this.#entry = entry;
    this.#index = new Map(entry.resources.map((r) => [key(r), r]));
  }

  /** Undefined when the server answered with legacy documents (it does not aggregate). */
  async #fetchAggregated(signal?: AbortSignal): Promise<{ mode: 'aggregated'; resources: ApiResource[] } | undefined> {
    const get = (path: string) =>
      this.#transport.request({ method: 'GET', path, accept: AGGREGATED_ACCEPT, subject: { verb: 'discover', target: `API groups (${path})` }, ...(signal ? { signal } : {}) });
    const [core, groups] = await Promise.all([get('/api'), get('/apis')]);
    const aggregated = (ct: string | undefined) => /as=APIGroupDiscoveryList/.test(ct ?? '');
    if (!aggregated(core.headers['content-type']) || !aggregated(groups.headers['content-type'])) return undefined;
    const out: ApiResource[] = [];
    const subject = { verb: 'discover', target: 'API groups' };
    for (const body of [core.body, groups.body]) {
      for (const item of arr(obj(parseJsonBody(subject, body)).items).map(obj)) {
        const group = str(obj(item.metadata).name);
        for (const v of arr(item.versions).map(obj)) {
          const version = str(v.version);
          for (const r of arr(v.resources).map(obj)) {
            const kind = str(obj(r.responseKind).kind);
            const plural = str(r.resource);
            if (!kind || !plural || !version) continue;
            const res: ApiResource = {
              group,
              version,
              kind,
              plural,
              namespaced: r.scope === 'Namespaced',
              verbs: strs(r.verbs),
              subresources: arr(r.subresources).map((s) => str(obj(s).subresource)).filter(Boolean),
              shortNames: strs(r.shortNames),
              categories: strs(r.categories),
            };
            if (typeof r.singularResource === 'string' && r.singularResource) res.singular = r.singularResource;
            out.push(res);
          }
        }
      }
    }
    return { mode: 'aggregated', resources: out };
  }

  async #fetchLegacy(signal?: AbortSignal): Promise<ApiResource[]> {
    const get = async (path: string): Promise<Obj | undefined> => {
      try {
        const res = await this.#transport.request({ method: 'GET', path, subject: { verb: 'discover', target: path }, ...(signal ? { signal } : {}) });
        return obj(parseJsonBody({ verb: 'discover', target: path }, res.body));
      } catch (e) {
        // One unavailable aggregated API (a metrics server down) must not hide the others.
        if ((e as ClusterRequestError).failure === 'status' && path !== '/api' && path !== '/apis') return undefined;
        throw e;
      }
    };
    const [core, groups] = await Promise.all([get('/api'), get('/apis')]);
    const gvs: string[] = strs(core?.versions).map((v) => `/api/${v}`);
    for (const g of arr(groups?.groups).map(obj)) for (const v of arr(g.versions).map(obj)) if (str(v.groupVersion)) gvs.push(`/apis/${str(v.groupVersion)}`);
    const lists = await Promise.all(gvs.map((p) => get(p)));
    const out: ApiResource[] = [];
    lists.forEach((list, i) => {
      if (!list) return;
      const gvText = str(list.groupVersion) || gvs[i]!.replace(/^\/apis?\//, '');
      const slash = gvText.indexOf('/');
      const group = slash < 0 ? '' : gvText.slice(0, slash);
      const version = slash < 0 ? gvText : gvText.slice(slash + 1);
      const entries = arr(list.resources).map(obj);
      const subs = new Map<string, string[]>();
      for (const r of entries) {
        const name = str(r.name);
        const at = name.indexOf('/');
        if (at > 0) subs.set(name.slice(0, at), [...(subs.get(name.slice(0, at)) ?? []), name.slice(at + 1)]);
      }
      for (const r of entries) {
        const name = str(r.name);
        if (!name || name.includes('/') || !str(r.kind)) continue;
        const res: ApiResource = {
          group,
          version,
          kind: str(r.kind),
          plural: name,
          namespaced: r.namespaced === true,
          verbs: strs(r.verbs),
          subresources: subs.get(name) ?? [],
          shortNames: strs(r.shortNames),
          categories: strs(r.categories),
        };
        if (str(r.singularName)) res.singular = str(r.singularName);
        out.push(res);
      }
    });
    return out;
  }
}

function key(g: GroupVersionKind): string {
  return `${g.group}/${g.version}/${g.kind}`;
}
