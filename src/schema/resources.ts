/**
 * What a group-version document's REST paths say about its resources: plural, scope, verbs
 * and subresources (with their own verbs and response kinds), and the kind each resource serves
 * (from the operations' `x-kubernetes-group-version-kind`). Namespaced resources live under
 * `/namespaces/{namespace}/<plural>`; `/api/v1/namespaces/{name}` is the Namespace itself.
 * The schema registry and the simulator's discovery both read resources from here.
 */
import type { OpenApiDocument, ResourceInfo } from './types.js';

const VERB_OF_ACTION: Record<string, string> = {
  get: 'get',
  list: 'list',
  watch: 'watch',
  watchlist: 'watch',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
};
const VERB_ORDER = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type GroupVersionKind = { group: string; version: string; kind: string };

interface Operation {
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
  parameters?: Array<{ name?: string; in?: string }>;
}

/** One subresource of a resource, as discovery lists it. */
export interface SubresourceInfo {
  name: string;
  /** Kubernetes verbs, and for `connect` operations (exec, proxy) the HTTP method. */
  verbs: string[];
  /** The kind its responses carry: `autoscaling/v1 Scale` for `scale`, the resource's own kind when the paths name none. */
  responseKind: GroupVersionKind;
}

/** A resource with what discovery needs about its subresources. */
export interface ServedResource extends ResourceInfo {
  subresourceInfo: SubresourceInfo[];
}

interface Draft {
  plural: string;
  namespaced: boolean;
  kind?: string;
  verbs: Set<string>;
  subs: Map<string, { verbs: Set<string>; kind?: GroupVersionKind }>;
}

// Known verbs in their fixed order; `connect` methods (not Kubernetes verbs) before them.
function byVerbOrder(a: string, b: string): number {
  return VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Every resource the document's paths declare with a kind, one per plural, in path order.
 * `schemaName` is not set: see `schemaNamesByKind`.
 */
export function servedResources(doc: OpenApiDocument, gv: { group: string; version: string }): ServedResource[] {
  const prefix = gv.group === '' ? `/api/${gv.version}/` : `/apis/${gv.group}/${gv.version}/`;
  const drafts = new Map<string, Draft>();
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    if (!p.startsWith(prefix)) continue;
    let rest = p.slice(prefix.length).split('/').filter((s) => s !== '');
    let watchPath = false;
    if (rest[0] === 'watch') {
      watchPath = true;
      rest = rest.slice(1);
    }
    let namespaced = false;
    if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length >= 3) {
      namespaced = true;
      rest = rest.slice(2);
    }
    const plural = rest[0];
    if (plural === undefined || plural.startsWith('{')) continue;
    const subName = rest[1] === '{name}' ? rest[2] : undefined;
    let d = drafts.get(plural);
    if (!d) {
      d = { plural, namespaced, verbs: new Set(), subs: new Map() };
      drafts.set(plural, d);
    }
    if (namespaced) d.namespaced = true;
    let sub = subName === undefined ? undefined : d.subs.get(subName);
    if (subName !== undefined && !sub) {
      sub = { verbs: new Set() };
      d.subs.set(subName, sub);
    }
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || op === null || typeof op !== 'object') continue;
      const o = op as Operation;
      const action = o['x-kubernetes-action'];
      const verb = action === 'connect' ? method.toLowerCase() : action === undefined ? undefined : VERB_OF_ACTION[action];
      const gvk = o['x-kubernetes-group-version-kind'];
      if (sub) {
        // A subresource's kind is often another group's (`scale` answers autoscaling/v1 Scale).
        if (verb === undefined) continue;
        sub.verbs.add(verb);
        if (gvk && !sub.kind) sub.kind = gvk;
        continue;
      }
      if (verb) d.verbs.add(watchPath && verb === 'list' ? 'watch' : verb);
      if (action === 'list' && (o.parameters ?? []).some((x) => x.name === 'watch')) d.verbs.add('watch');
      if (gvk && d.kind === undefined && gvk.group === gv.group && gvk.version === gv.version) d.kind = gvk.kind;
    }
  }
  // A namespaced resource's cluster-wide list path (`/deployments`) must not make it cluster-scoped.
  const out: ServedResource[] = [];
  for (const d of drafts.values()) {
    const kind = d.kind;
    if (kind === undefined) continue;
    const subresourceInfo = [...d.subs.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, s]) => ({ name, verbs: [...s.verbs].sort(byVerbOrder), responseKind: s.kind ?? { group: gv.group, version: gv.version, kind } }));
    out.push({
      group: gv.group,
      version: gv.version,
      kind,
      plural: d.plural,
      namespaced: d.namespaced,
      verbs: [...d.verbs].sort(byVerbOrder),
      subresources: subresourceInfo.map((s) => s.name),
      subresourceInfo,
    });
  }
  return out;
}

/** The resources of one document, keyed by kind; sub-resource-only kinds (Scale) are left out. */
export function resourcesFromDocument(doc: OpenApiDocument, gv: { group: string; version: string }): Map<string, ResourceInfo> {
  const byKind = new Map<string, ResourceInfo>();
  for (const { subresourceInfo: _, ...r } of servedResources(doc, gv)) if (!byKind.has(r.kind)) byKind.set(r.kind, r);
  return byKind;
}

/** `components.schemas` names by the kind they serve in this group-version. */
export function schemaNamesByKind(doc: OpenApiDocument, gv: { group: string; version: string }): Map<string, string> {
  const out = new Map<string, string>();
  const weak = new Map<string, string>();
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!gvks) continue;
    for (const g of gvks) {
      if (g.group !== gv.group || g.version !== gv.version) continue;
      // Shared kinds (DeleteOptions, WatchEvent) list every group-version; a dedicated schema wins.
      if (gvks.length === 1) out.set(g.kind, name);
      else if (!weak.has(g.kind)) weak.set(g.kind, name);
    }
  }
  for (const [k, n] of weak) if (!out.has(k)) out.set(k, n);
  return out;
}
