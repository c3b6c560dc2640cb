/**
 * Watch streaming: the initial ADDED events (or a replay from a resourceVersion, 410 Expired when
 * it is compacted), the live events of one resource filtered by namespace and selectors (an object
 * that leaves or enters the selection is DELETED or ADDED), bookmarks, and the close at
 * `timeoutSeconds` or the faults' watch limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../model/object-ref.js';
import type { SimResource } from './api-catalog.js';
import { badRequest } from './api-status.js';
import type { FaultInjector } from './faults.js';
import { apiVersionOf, partialMetadata, selectorsOf, sendError, TABLE_CT, wantsPartialMetadata, wantsTable } from './http-io.js';
import { meta, namespaceOf, type StoredEvent } from './object-store.js';
import type { RestStorage } from './rest-storage.js';
import { isPlainObject } from './schema-nav.js';
import { matchesFields, matchesLabels } from './selectors.js';
import { tableFor } from './tables.js';

type Obj = Record<string, unknown>;

export interface WatchContext {
  storage: RestStorage;
  faults?: FaultInjector;
  /** Active watch responses, ended at stop. */
  watches: Set<ServerResponse>;
  bookmarkIntervalMs: number;
}

/** What is watched: a resource, optionally in one namespace, optionally one object by name. */
export interface WatchTarget {
  resource: SimResource;
  namespace: string | undefined;
  name?: string;
}

export function watch(ctx: WatchContext, r: WatchTarget, q: URLSearchParams, accept: string, req: IncomingMessage, res: ServerResponse): void {
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

