/**
 * The HTTP face of the simulator: routes kube-apiserver URLs to discovery, OpenAPI and the
 * RestStorage, negotiates JSON / Table / PartialObjectMetadata, streams watches, and turns
 * ApiErrors into Status responses. One function per request; no state besides what it is given.
 *
 * Limits: answers are JSON only (protobuf request bodies are read for the kinds protobuf-decode.ts
 * covers; `/openapi/v2` in protobuf is empty); no exec/attach/port-forward; `pods/log` answers an
 * empty log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../model/object-ref.js';
import type { SimResource } from './api-catalog.js';
import { aggregatedDiscovery, AGGREGATED_CONTENT_TYPE, AGGREGATED_CONTENT_TYPE_V2BETA1, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import type { OpenApiService } from './openapi-service.js';
import { ApiError, badRequest, conflict, methodNotAllowed, notFound, pathNotFound, gone, internalError, unsupportedMediaType } from './api-status.js';
import { PATCH_TYPES, type FieldValidation, type RestStorage, type WriteOptions } from './rest-storage.js';
import { parseFieldSelector, parseLabelSelector, matchesFields, matchesLabels, type FieldRequirement, type LabelSelector } from './selectors.js';
import { tableFor } from './tables.js';
import { meta, nameOf, namespaceOf, type StoredEvent } from './object-store.js';
import { clone, isPlainObject } from './schema-nav.js';
import { applyJsonPatch, applyMergePatch } from './json-patch.js';
import type { FaultInjector } from './faults.js';
import { decodeKubeProtobuf, PROTOBUF_KINDS } from './protobuf-decode.js';
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

const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

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

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType = 'application/json'): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(buf);
}

function sendError(res: ServerResponse, err: ApiError, headers: Record<string, string | string[]> = {}): void {
  // The rest of a too-large body is never read: close the connection rather than drain it.
  send(res, err.code, err.toStatus(), err.code === 413 ? { ...headers, Connection: 'close' } : headers);
}

interface Route {
  resource: SimResource;
  namespace: string | undefined;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function wantsPartialMetadata(accept: string): boolean {
  return /as=PartialObjectMetadata/.test(accept);
}

/** kube-apiserver's `--max-request-body-bytes` default (3 MiB); its 413 names this figure. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES) throw requestTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = c as Buffer;
    size += b.length;
    if (size > MAX_REQUEST_BODY_BYTES) throw requestTooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function requestTooLarge(): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);
}

/**
 * The body media types kube-apiserver 1.32 decodes (CBOR is behind an alpha gate there, off by
 * default). Anything else is 415, which is also what keeps a browser's `text/plain` or form POST
 * (a CSRF "simple request") from ever being parsed.
 */
const OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function mediaTypeOf(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads and decodes a request body. `object` bodies (create, update, delete options) take the
 * serializer types, with no header meaning JSON as in kube-apiserver's negotiation; `patch`
 * bodies must name one of the patch types. A delete with an empty body needs no type.
 */
async function readRequest(req: IncomingMessage, as: 'object' | 'patch'): Promise<{ body: unknown; contentType: string }> {
  const declared = mediaTypeOf(req);
  const contentType = declared === '' && as === 'object' ? 'application/json' : declared;
  const accepted = as === 'patch' ? PATCH_TYPES : OBJECT_TYPES;
  if (!accepted.includes(contentType)) {
    const buf = req.method === 'DELETE' ? await readBody(req) : undefined;
    if (buf === undefined || buf.length > 0) throw unsupportedMediaType(accepted);
    return { body: undefined, contentType };
  }
  return { body: parseBody(await readBody(req), contentType), contentType };
}

function parseBody(buf: Buffer, contentType: string): unknown {
  if (contentType === 'application/vnd.kubernetes.protobuf') {
    if (buf.length === 0) return undefined;
    const decoded = decodeKubeProtobuf(buf);
    if (decoded === undefined)
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kd sim decodes protobuf bodies only for ${PROTOBUF_KINDS.join(', ')}, and only the fields kubectl's create commands set)`,
      );
    return decoded;
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') return undefined;
  if (contentType === 'application/apply-patch+yaml' || contentType === 'application/yaml') {
    try {
      return parseYaml(text) as unknown;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
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

function selectorsOf(q: URLSearchParams, r: SimResource): { labels?: LabelSelector; fields?: FieldRequirement[] } {
  const out: { labels?: LabelSelector; fields?: FieldRequirement[] } = {};
  const ls = q.get('labelSelector');
  if (ls) {
    const p = parseLabelSelector(ls);
    if ('error' in p) throw badRequest(`unable to parse requirement: ${p.error}`);
    out.labels = p.selector;
  }
  const fs = q.get('fieldSelector');
  if (fs) {
    const p = parseFieldSelector(fs, r.group, r.plural);
    if ('error' in p) throw badRequest(p.error);
    out.fields = p.selector;
  }
  return out;
}

function listKind(r: SimResource): string {
  return `${r.kind}List`;
}

function apiVersionOf(r: SimResource): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function partialMetadata(obj: KubeObject): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
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

function watch(ctx: HandlerContext, r: Route, q: URLSearchParams, accept: string, req: IncomingMessage, res: ServerResponse): void {
  const sel = selectorsOf(q, r.resource);
  if (r.name !== undefined) sel.fields = [...(sel.fields ?? []), { field: 'metadata.name', op: 'eq', value: r.name }];
  const table = wantsTable(accept);
  const rvParam = q.get('resourceVersion') ?? '';
  const store = ctx.storage.store;
  const matches = (o: KubeObject | undefined): boolean => {
    if (!o) return false;
    if (r.resource.namespaced && r.namespace !== undefined && namespaceOf(o) !== r.namespace) return false;
    if (sel.labels && !matchesLabels(sel.labels, isPlainObject(o.metadata) ? (o.metadata.labels as Obj) : undefined)) return false;
    if (sel.fields && !matchesFields(sel.fields, o)) return false;
    return true;
  };
  let replay: StoredEvent[] | undefined = [];
  const initial: KubeObject[] = [];
  if (rvParam === '' || rvParam === '0') initial.push(...ctx.storage.list(r.resource, r.namespace, sel.labels, sel.fields));
  else {
    const since = Number(rvParam);
    if (!Number.isInteger(since)) return sendError(res, badRequest(`invalid resource version: ${rvParam}`));
    replay = store.eventsSince(since);
  }
  res.writeHead(200, { 'Content-Type': table ? TABLE_CT : 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  ctx.watches.add(res);
  const present = (o: KubeObject): unknown => {
    const apiVersion = apiVersionOf(r.resource);
    const obj = o.apiVersion === apiVersion ? o : { ...o, apiVersion };
    if (table) return tableFor(r.resource, [obj], String(meta(obj).resourceVersion ?? ''), { now: ctx.storage.clock.now(), includeObject: q.get('includeObject') ?? 'Metadata' });
    if (wantsPartialMetadata(accept)) return partialMetadata(obj);
    return obj;
  };
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
  };
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    ctx.watches.delete(res);
    if (!res.writableEnded) res.end();
  };
  if (replay === undefined) {
    write('ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${rvParam} (${store.compactedResourceVersion + 1})`,
      reason: 'Expired',
      code: 410,
    });
    close();
    return;
  }
  const deliver = (e: StoredEvent) => {
    if (e.group !== r.resource.group || e.plural !== r.resource.plural) return;
    const now = matches(e.object);
    if (e.type === 'MODIFIED') {
      const before = e.previous === undefined ? now : matches(e.previous);
      if (now && before) write('MODIFIED', present(e.object));
      else if (now) write('ADDED', present(e.object));
      else if (before) write('DELETED', present(e.object));
      return;
    }
    if (now) write(e.type, present(e.object));
  };
  for (const o of initial) write('ADDED', present(o));
  for (const e of replay) deliver(e);
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const bookmark = (extraAnnotations?: Obj) => {
    const metadata: Obj = { resourceVersion: String(store.resourceVersion) };
    if (extraAnnotations) metadata.annotations = extraAnnotations;
    write('BOOKMARK', { kind: r.resource.kind, apiVersion: apiVersionOf(r.resource), metadata });
  };
  if (bookmarks && q.get('sendInitialEvents') === 'true') bookmark({ 'k8s.io/initial-events-end': 'true' });
  unsubscribe = store.subscribe(deliver);
  if (bookmarks) {
    const tick = () => {
      if (closed) return;
      bookmark();
      timers.push(setTimeout(tick, ctx.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, ctx.bookmarkIntervalMs));
  }
  const timeout = Number(q.get('timeoutSeconds') ?? '0');
  let limitMs = Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 30 * 60 * 1000;
  if (ctx.faults?.spec.watchCloseMs !== undefined) limitMs = Math.min(limitMs, ctx.faults.spec.watchCloseMs);
  timers.push(setTimeout(close, limitMs));
  req.on('close', close);
  res.on('close', close);
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
    const paths = storage.scalePaths(r.resource);
    if (!paths) throw pathNotFound();
    const current = storage.get(r.resource, ns, name);
    const scale = toScale(current, paths);
    if (method === 'GET') return send(res, 200, scale);
    const { body, contentType: ct } = await readRequest(req, method === 'PATCH' ? 'patch' : 'object');
    let next: unknown;
    if (method === 'PUT') next = body;
    else if (method === 'PATCH') {
      if (ct === 'application/json-patch+json') {
        const p = applyJsonPatch(scale, body);
        if ('error' in p) throw new ApiError(422, 'Invalid', p.error);
        next = p.value;
      } else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json' || ct === 'application/apply-patch+yaml') next = applyMergePatch(scale, body);
      else throw unsupportedMediaType(PATCH_TYPES);
    } else throw methodNotAllowed(r.resource.group, r.resource.plural);
    const n = isPlainObject(next) ? next : {};
    const replicas = isPlainObject(n.spec) ? n.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
      throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`, {
        name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
      });
    const nm = isPlainObject(n.metadata) ? n.metadata : {};
    if (typeof nm.resourceVersion === 'string' && nm.resourceVersion !== '' && nm.resourceVersion !== meta(current).resourceVersion)
      throw conflict(r.resource.group, r.resource.plural, name);
    const updated = clone(current) as Obj;
    setPath(updated, paths.spec, replicas);
    const opts = writeOpts();
    const out = storage.update(r.resource, ns, name, updated, { ...opts, subresource: 'scale' });
    return send(res, 200, toScale(out.object, paths), warningHeaders());
  }
  if (sub === 'log' && method === 'GET') {
    storage.get(r.resource, ns, name);
    return send(res, 200, '', {}, 'text/plain');
  }
  throw notFound(r.resource.group, `${r.resource.plural}/${sub}`, name);
}

function getPath(o: unknown, p: string[]): unknown {
  let cur = o;
  for (const k of p) cur = isPlainObject(cur) ? cur[k] : undefined;
  return cur;
}

function setPath(o: Obj, p: string[], v: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[p[p.length - 1]!] = v;
}

function toScale(obj: KubeObject, paths: { spec: string[]; status: string[]; selector?: string[] }): Obj {
  const m = meta(obj);
  const metadata: Obj = { name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  const status: Obj = { replicas: getPath(obj, paths.status) ?? 0 };
  const sel = paths.selector ? getPath(obj, paths.selector) : undefined;
  if (typeof sel === 'string') status.selector = sel;
  else if (isPlainObject(sel)) {
    const parts: string[] = [];
    if (isPlainObject(sel.matchLabels)) for (const [k, v] of Object.entries(sel.matchLabels).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${k}=${String(v)}`);
    if (Array.isArray(sel.matchExpressions))
      for (const e of sel.matchExpressions.filter(isPlainObject)) {
        const vals = Array.isArray(e.values) ? e.values.join(',') : '';
        if (e.operator === 'In') parts.push(`${String(e.key)} in (${vals})`);
        else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${vals})`);
        else if (e.operator === 'Exists') parts.push(String(e.key));
        else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
      }
    status.selector = parts.join(',');
  }
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata, spec: { replicas: getPath(obj, paths.spec) ?? 0 }, status };
}
