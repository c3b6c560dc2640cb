/**
 * What a group-version document's REST paths say about its resources: plural, scope, verbs
 * and subresources, and the kind each resource serves (from the operations'
 * `x-kubernetes-group-version-kind`). Namespaced resources live under
 * `/namespaces/{namespace}/<plural>`; `/api/v1/namespaces/{name}` is the Namespace itself.
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

interface Operation {
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
  parameters?: Array<{ name?: string; in?: string }>;
}

interface Draft {
  plural: string;
  namespaced: boolean;
  kind?: string;
  verbs: Set<string>;
  subresources: Set<string>;
}

/** The resources of one document, keyed by kind; sub-resource-only kinds (Scale) are left out. */
export function resourcesFromDocument(doc: OpenApiDocument, gv: { group: string; version: string }): Map<string, ResourceInfo> {
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
    const sub = rest[1] === '{name}' ? rest[2] : undefined;
    const key = `${plural}`;
    let d = drafts.get(key);
    if (!d) {
      d = { plural, namespaced, verbs: new Set(), subresources: new Set() };
      drafts.set(key, d);
    }
    if (namespaced) d.namespaced = true;
    if (sub !== undefined) {
      d.subresources.add(sub);
      continue;
    }
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || op === null || typeof op !== 'object') continue;
      const o = op as Operation;
      const action = o['x-kubernetes-action'];
      const verb = action === undefined ? undefined : VERB_OF_ACTION[action];
      if (verb) d.verbs.add(watchPath && verb === 'list' ? 'watch' : verb);
      if (action === 'list' && (o.parameters ?? []).some((x) => x.name === 'watch')) d.verbs.add('watch');
      const gvk = o['x-kubernetes-group-version-kind'];
      if (gvk && d.kind === undefined && gvk.group === gv.group && gvk.version === gv.version) d.kind = gvk.kind;
    }
  }
  // A namespaced resource's cluster-wide list path (`/deployments`) must not make it cluster-scoped.
  const byKind = new Map<string, ResourceInfo>();
  for (const d of drafts.values()) {
    if (d.kind === undefined || byKind.has(d.kind)) continue;
    byKind.set(d.kind, {
      group: gv.group,
      version: gv.version,
      kind: d.kind,
      plural: d.plural,
      namespaced: d.namespaced,
      verbs: [...d.verbs].sort(),
      subresources: [...d.subresources].sort(),
    });
  }
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
