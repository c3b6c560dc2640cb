/**
 * Discovery documents built from the catalogue: legacy (`/api` APIVersions, `/apis` APIGroupList,
 * `/api/v1` and `/apis/<g>/<v>` APIResourceList) and aggregated (`apidiscovery.k8s.io/v2`
 * APIGroupDiscoveryList), in the exact shapes kubectl 1.32 reads. Pure functions of the catalogue.
 */
import type { ApiCatalog, SimResource } from './api-catalog.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_CONTENT_TYPE_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

type Obj = Record<string, unknown>;

export function apiVersions(serverAddress: string): Obj {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(catalog: ApiCatalog): Obj {
  const groups = catalog
    .groups()
    .filter((g) => g.group !== '')
    .map((g) => ({
      name: g.group,
      versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
    }));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiResourceList(catalog: ApiCatalog, group: string, version: string): Obj | undefined {
  const resources = catalog.resourcesOf({ group, version });
  if (resources.length === 0 && !catalog.groups().some((g) => g.group === group && g.versions.includes(version))) return undefined;
  const list: Obj[] = [];
  for (const r of resources) {
    const entry: Obj = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    if (r.categories.length > 0) entry.categories = r.categories;
    entry.storageVersionHash = storageVersionHash(r);
    list.push(entry);
    for (const s of r.subresourceInfo) {
      const se: Obj = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.responseKind.kind, verbs: s.verbs };
      if (s.responseKind.group !== r.group) {
        se.group = s.responseKind.group;
        se.version = s.responseKind.version;
      }
      list.push(se);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: list };
}

function storageVersionHash(r: SimResource): string {
  let h = 0x811c9dc5;
  for (const ch of `${r.group}/${r.version}/${r.kind}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64').slice(0, 11);
}

function discoveryResource(r: SimResource): Obj {
  const out: Obj = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) out.shortNames = r.shortNames;
  if (r.categories.length > 0) out.categories = r.categories;
  if (r.subresourceInfo.length > 0)
    out.subresources = r.subresourceInfo.map((s) => ({ subresource: s.name, responseKind: s.responseKind, verbs: s.verbs }));
  return out;
}

/** `/api` (core only) or `/apis` (every other group) in the aggregated form. */
export function aggregatedDiscovery(catalog: ApiCatalog, which: 'api' | 'apis', apiVersion = 'apidiscovery.k8s.io/v2'): Obj {
  const items = catalog
    .groups()
    .filter((g) => (which === 'api' ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: which === 'api' ? {} : { name: g.group },
      versions: g.versions.map((v) => ({
        version: v,
        resources: catalog.resourcesOf({ group: g.group, version: v }).map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}
