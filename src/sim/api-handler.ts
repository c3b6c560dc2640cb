/**
 * The HTTP face of the simulator: routes kube-apiserver URLs to discovery, OpenAPI and the
 * RestStorage (lists with continue tokens, writes, deletes, the status, scale and log
 * subresources), and turns ApiErrors into Status responses. Bodies and negotiation are
 * http-io.ts's, watches watch-stream.ts's, the Scale mapping scale.ts's (through the storage).
 * One function per request; no state besides what it is given.
 *
 * Limits: answers are JSON only (protobuf request bodies are read for the kinds protobuf-decode.ts
 * covers; `/openapi/v2` in protobuf is empty); no exec/attach/port-forward; `pods/log` answers an
 * empty log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimResource } from './api-catalog.js';
import { aggregatedDiscovery, AGGREGATED_CONTENT_TYPE, AGGREGATED_CONTENT_TYPE_V2BETA1, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import type { OpenApiService } from './openapi-service.js';
import { ApiError, badRequest, conflict, methodNotAllowed, notFound, pathNotFound, gone, internalError } from './api-status.js';
import type { FieldValidation, RestStorage, WriteOptions } from './rest-storage.js';
import { tableFor } from './tables.js';
import { meta, nameOf, namespaceOf } from './object-store.js';
import { isPlainObject } from './schema-nav.js';
import type { FaultInjector } from './faults.js';
import { apiVersionOf, partialMetadata, readRequest, selectorsOf, send, sendError, TABLE_CT, wantsPartialMetadata, wantsTable } from './http-io.js';
import { watch } from './watch-stream.js';
import { proxyRoute, serveProxy } from './pod-proxy.js';

type Obj = Record<string, unknown>;

export interface HandlerContext {
  storage: RestStorage;
  openapi: OpenApiService;
  serverVersion: string;
  serverAddress: () => string;
  faults?: FaultInjector;
  log?: (line: string) => void;
  /** Active watch responses, ended at stop. */
  watches: Set<ServerResponse>;
  bookmarkIntervalMs: number;
}

function versionInfo(gitVersion: string): Obj {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:02:27Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

interface Route {
  resource: SimResource;
  namespace: string | undefined;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

/** Parses `/api/v1/...` and `/apis/g/v/...` into a resource route. */
function route(ctx: HandlerContext, segments: string[]): Route | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else {
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  const catalog = ctx.storage.catalog;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const r = catalog.resource(group, version, rest[2]!);
    if (r && r.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const plural = rest[0];
  if (plural === undefined) return undefined;
  const resource = catalog.resource(group, version, plural);
  if (!resource) return undefined;
  if (rest.length > 3) return undefined;
  const out: Route = { resource, namespace, legacyWatch };
  if (rest[1] !== undefined) out.name = decodeURIComponent(rest[1]);
  if (rest[2] !== undefined) out.subresource = rest[2];
  if (resource.namespaced && namespace === undefined && out.name !== undefined) return undefined;
  return out;
}

function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  return v === 'Strict' || v === 'Ignore' || v === 'Warn' ? v : 'Warn';
}

function defaultManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}

function listKind(r: SimResource): string {
  return `${r.kind}List`;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64');
}

function decodeContinue(s: string): ContinueToken | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof v.rv === 'number' && typeof v.start === 'string') return { rv: v.rv, start: v.start };
  } catch {
    // fall through
  }
  return undefined;
}

export async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = (req.method ?? 'GET').toUpperCase();
  const accept = String(req.headers.accept ?? '');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const q = url.searchParams;
  const warnings: string[] = [];
  const warningHeaders = () => (warnings.length > 0 ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : undefined);
  try {
    if (url.pathname === '/version' || url.pathname === '/version/') return send(res, 200, versionInfo(ctx.serverVersion));
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) return send(res, 200, 'ok', {}, 'text/plain; charset=utf-8');
    if (url.pathname === '/api' || url.pathname === '/apis') {
      const which = url.pathname === '/api' ? 'api' : 'apis';
      if (/as=APIGroupDiscoveryList/.test(accept) && /v=v2(;|,|$)/.test(accept.replace(/\s/g, '')))
        return send(res, 200, aggregatedDiscovery(ctx.storage.catalog, which), { Vary: 'Accept' }, AGGREGATED_CONTENT_TYPE);
      if (/as=APIGroupDiscoveryList/.test(accept) && /v=v2beta1/.test(accept))
        return send(res, 200, aggregatedDiscovery(ctx.storage.catalog, which, 'apidiscovery.k8s.io/v2beta1'), { Vary: 'Accept' }, AGGREGATED_CONTENT_TYPE_V2BETA1);
      return send(res, 200, which === 'api' ? apiVersions(ctx.serverAddress()) : apiGroupList(ctx.storage.catalog), { Vary: 'Accept' });
    }
    if (segments[0] === 'openapi') return serveOpenApi(ctx, segments, url, accept, res);
    if (segments[0] !== 'api' && segments[0] !== 'apis') throw pathNotFound();
    const proxy = proxyRoute(segments);
    if (proxy !== undefined) return serveProxy(ctx.storage, proxy, method, res);
    // Discovery of one group or group-version.
    if (segments[0] === 'api' && segments.length === 2) {
      const l = apiResourceList(ctx.storage.catalog, '', segments[1]!);
      if (!l) throw pathNotFound();
      return send(res, 200, l);
    }
    if (segments[0] === 'apis' && segments.length === 2) {
      const g = ctx.storage.catalog.groups().find((x) => x.group === segments[1]);
      if (!g) throw pathNotFound();
      const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
      return send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions, preferredVersion: versions[0] });
    }
    if (segments[0] === 'apis' && segments.length === 3) {
      const l = apiResourceList(ctx.storage.catalog, segments[1]!, segments[2]!);
      if (!l) throw pathNotFound();
      return send(res, 200, l);
    }
    const r = route(ctx, segments);
    if (!r) throw pathNotFound();
    const isWatch = r.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
    if (method === 'GET' && isWatch) return watch(ctx, r, q, accept, req, res);
    if (ctx.faults && r.name !== undefined && ['PUT', 'PATCH', 'DELETE'].includes(method) && ctx.faults.conflictFor(r.namespace ?? '', r.name))
      throw conflict(r.resource.group, r.resource.plural, r.name);
    const dryRun = q.getAll('dryRun').includes('All');
    const writeOpts = (): WriteOptions => {
      const o: WriteOptions = { fieldManager: q.get('fieldManager') ?? defaultManager(req), dryRun, fieldValidation: fieldValidationOf(q), warnings };
      if (r.subresource !== undefined) o.subresource = r.subresource;
      return o;
    };
    const ns = r.namespace ?? '';
    if (method !== 'GET' && method !== 'HEAD') await ctx.storage.prepareWrite(r.resource);
    const verbAllowed = (verb: string) => {
      if (!r.resource.verbs.includes(verb)) throw methodNotAllowed(r.resource.group, r.resource.plural);
    };
    if (r.subresource !== undefined) {
      const sub = r.resource.subresourceInfo.find((s) => s.name === r.subresource);
      if (!sub) throw pathNotFound();
      return await subresource(ctx, r, sub.name, method, req, res, writeOpts, q, warningHeaders);
    }
    if (r.name === undefined) {
      switch (method) {
        case 'GET': {
          verbAllowed('list');
          return list(ctx, r, q, accept, res);
        }
        case 'POST': {
          verbAllowed('create');
          const { body } = await readRequest(req, 'object');
          if (r.resource.namespaced && r.namespace === undefined) throw pathNotFound();
          const created = ctx.storage.create(r.resource, ns, body, writeOpts());
          return send(res, 201, created, warningHeaders());
        }
        case 'DELETE': {
          verbAllowed('deletecollection');
          const { body } = await readRequest(req, 'object');
          const sel = selectorsOf(q, r.resource);
          const deleted = ctx.storage.deleteCollection(r.resource, r.namespace, sel.labels, sel.fields, deleteOptions(body, q, dryRun));
          return send(res, 200, { kind: listKind(r.resource), apiVersion: apiVersionOf(r.resource), metadata: { resourceVersion: String(ctx.storage.store.resourceVersion) }, items: deleted });
        }
        default:
          throw methodNotAllowed(r.resource.group, r.resource.plural);
      }
    }
    switch (method) {
      case 'GET': {
        verbAllowed('get');
        const obj = ctx.storage.get(r.resource, ns, r.name);
        if (wantsTable(accept)) return send(res, 200, tableFor(r.resource, [obj], String(meta(obj).resourceVersion ?? ''), { now: ctx.storage.clock.now(), includeObject: q.get('includeObject') ?? 'Metadata' }), {}, TABLE_CT);
        if (wantsPartialMetadata(accept)) return send(res, 200, partialMetadata(obj), {}, 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io');
        return send(res, 200, obj);
      }
      case 'PUT': {
        verbAllowed('update');
        const { body } = await readRequest(req, 'object');
        const out = ctx.storage.update(r.resource, ns, r.name, body, writeOpts());
        return send(res, out.created ? 201 : 200, out.object, warningHeaders());
      }
      case 'PATCH': {
        verbAllowed('patch');
        const { body, contentType: ct } = await readRequest(req, 'patch');
        const out = ctx.storage.patch(r.resource, ns, r.name, ct, body, { ...writeOpts(), force: q.get('force') === 'true' });
        return send(res, out.created ? 201 : 200, out.object, warningHeaders());
      }
      case 'DELETE': {
        verbAllowed('delete');
        const { body } = await readRequest(req, 'object');
        const out = ctx.storage.delete(r.resource, ns, r.name, deleteOptions(body, q, dryRun));
        return send(res, out.status, out.body);
      }
      default:
        throw methodNotAllowed(r.resource.group, r.resource.plural);
    }
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof ApiError) return sendError(res, e, warningHeaders());
    ctx.log?.(`internal error: ${(e as Error).stack ?? String(e)}`);
    return sendError(res, internalError((e as Error).message));
  }
}

function deleteOptions(body: unknown, q: URLSearchParams, dryRun: boolean): import('./rest-storage.js').DeleteOptions {
  const b = isPlainObject(body) ? body : {};
  const out: import('./rest-storage.js').DeleteOptions = { dryRun: dryRun || (Array.isArray(b.dryRun) && b.dryRun.includes('All')) };
  const policy = typeof b.propagationPolicy === 'string' ? b.propagationPolicy : q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined) out.propagationPolicy = policy;
  if (typeof b.orphanDependents === 'boolean') out.orphanDependents = b.orphanDependents;
  else if (q.get('orphanDependents') !== null) out.orphanDependents = q.get('orphanDependents') === 'true';
  if (isPlainObject(b.preconditions)) {
    out.preconditions = {};
    if (typeof b.preconditions.uid === 'string') out.preconditions.uid = b.preconditions.uid;
    if (typeof b.preconditions.resourceVersion === 'string') out.preconditions.resourceVersion = b.preconditions.resourceVersion;
  }
  return out;
}

function serveOpenApi(ctx: HandlerContext, segments: string[], url: URL, accept: string, res: ServerResponse): void {
  if (segments[1] === 'v2' && segments.length === 2) {
    if (/protobuf/.test(accept)) return send(res, 200, Buffer.alloc(0), {}, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    throw pathNotFound();
  }
  if (segments[1] !== 'v3') throw pathNotFound();
  if (segments.length === 2) return send(res, 200, ctx.openapi.index(), { 'Cache-Control': 'no-cache, private' });
  const gv = segments.slice(2).join('/');
  const doc = ctx.openapi.document(gv);
  if (!doc) throw pathNotFound();
  const hash = url.searchParams.get('hash');
  if (hash !== null && hash !== doc.hash) {
    res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private', 'Content-Length': '0' });
    res.end();
    return;
  }
  const headers: Record<string, string> =
    hash === null
      ? { 'Cache-Control': 'no-cache, private', Etag: `"${doc.hash}"` }
      : { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString(), Etag: `"${doc.hash}"` };
  send(res, 200, doc.body, headers);
}

function list(ctx: HandlerContext, r: Route, q: URLSearchParams, accept: string, res: ServerResponse): void {
  const sel = selectorsOf(q, r.resource);
  let items = ctx.storage.list(r.resource, r.namespace, sel.labels, sel.fields);
  const rv = String(ctx.storage.store.resourceVersion);
  const listMeta: Obj = { resourceVersion: rv };
  const cont = q.get('continue');
  if (cont) {
    const t = decodeContinue(cont);
    if (!t) throw badRequest(`continue key is not valid: ${cont}`);
    if (t.rv < ctx.storage.store.compactedResourceVersion)
      throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    items = items.filter((o) => `${namespaceOf(o)}/${nameOf(o)}` > t.start);
  }
  const limit = Number(q.get('limit') ?? '0');
  if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1]!;
    listMeta.continue = encodeContinue({ rv: ctx.storage.store.resourceVersion, start: `${namespaceOf(last)}/${nameOf(last)}` });
    listMeta.remainingItemCount = items.length - limit;
    items = page;
  }
  if (wantsTable(accept)) {
    const extra: Obj = {};
    if (listMeta.continue !== undefined) extra.continue = listMeta.continue;
    if (listMeta.remainingItemCount !== undefined) extra.remainingItemCount = listMeta.remainingItemCount;
    return send(res, 200, tableFor(r.resource, items, rv, { now: ctx.storage.clock.now(), includeObject: q.get('includeObject') ?? 'Metadata' }, extra), {}, TABLE_CT);
  }
  if (wantsPartialMetadata(accept))
    return send(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, items: items.map(partialMetadata) }, {}, 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
  send(res, 200, { kind: listKind(r.resource), apiVersion: apiVersionOf(r.resource), metadata: listMeta, items });
}

async function subresource(
  ctx: HandlerContext,
  r: Route,
  sub: string,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  writeOpts: () => WriteOptions,
  q: URLSearchParams,
  warningHeaders: () => Record<string, string[]> | undefined,
): Promise<void> {
  const ns = r.namespace ?? '';
  const name = r.name!;
  const storage = ctx.storage;
  if (sub === 'status') {
    if (method === 'GET') return send(res, 200, storage.get(r.resource, ns, name));
    const { body, contentType: ct } = await readRequest(req, method === 'PATCH' ? 'patch' : 'object');
    if (method === 'PUT') {
      const out = storage.update(r.resource, ns, name, body, writeOpts());
      return send(res, 200, out.object, warningHeaders());
    }
    if (method === 'PATCH') {
      const out = storage.patch(r.resource, ns, name, ct, body, { ...writeOpts(), force: q.get('force') === 'true' });
      return send(res, 200, out.object, warningHeaders());
    }
    throw methodNotAllowed(r.resource.group, r.resource.plural);
  }
  if (sub === 'scale') {
    const scale = storage.getScale(r.resource, ns, name);
    if (method === 'GET') return send(res, 200, scale);
    const { body, contentType: ct } = await readRequest(req, method === 'PATCH' ? 'patch' : 'object');
    if (method === 'PUT') return send(res, 200, storage.updateScale(r.resource, ns, name, body, writeOpts()), warningHeaders());
    if (method === 'PATCH') return send(res, 200, storage.patchScale(r.resource, ns, name, ct, body, writeOpts()), warningHeaders());
    throw methodNotAllowed(r.resource.group, r.resource.plural);
  }
  if (sub === 'log' && method === 'GET') {
    storage.get(r.resource, ns, name);
    return send(res, 200, '', {}, 'text/plain');
  }
  throw notFound(r.resource.group, `${r.resource.plural}/${sub}`, name);
}

