/**
 * CustomResourceDefinitions turned into served API: for each served version of a CRD, an OpenAPI
 * v3 group-version document (paths with `x-kubernetes-action`/GVK and the `fieldValidation`
 * parameter kubectl looks for, the CRD's schema plus ObjectMeta) and the resource entry for
 * discovery. Also the status the apiextensions controller writes (NamesAccepted, Established).
 * Pure functions of the CRD object.
 */
import type { OpenApiDocument, SchemaObject } from '../schema/types.js';
import type { SimResource } from './api-catalog.js';
import { isPlainObject } from './schema-nav.js';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (isPlainObject(v) ? v : {});

export interface CrdVersionApi {
  group: string;
  version: string;
  resource: SimResource;
  /** The kind's schema, for merging into a document shared by several CRDs of one group-version. */
  schemaName: string;
  schemas: Record<string, SchemaObject>;
  paths: OpenApiDocument['paths'];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

function op(action: string, gvk: { group: string; version: string; kind: string }, withFieldValidation: boolean): Obj {
  const parameters: Obj[] = [];
  if (withFieldValidation) {
    parameters.push({ name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } });
    parameters.push({ name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } });
    parameters.push({ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } });
  }
  return {
    operationId: `${action}${gvk.kind}`,
    parameters,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaNameOf(gvk)}` } } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

export function schemaNameOf(gvk: { group: string; version: string; kind: string }): string {
  const rev = gvk.group.split('.').reverse().join('.');
  return `${rev}.${gvk.version}.${gvk.kind}`;
}

/** The served versions of a CRD as API entries. Invalid CRDs yield nothing. */
export function crdVersionApis(crd: Obj): CrdVersionApi[] {
  const spec = o(crd.spec);
  const names = o(spec.names);
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (group === '' || plural === '' || kind === '') return [];
  const namespaced = spec.scope !== 'Cluster';
  const out: CrdVersionApi[] = [];
  for (const v of Array.isArray(spec.versions) ? spec.versions.map(o) : []) {
    if (v.served === false || typeof v.name !== 'string') continue;
    const version = v.name;
    const gvk = { group, version, kind };
    const subs = o(v.subresources);
    const hasStatus = isPlainObject(subs.status);
    const scale = isPlainObject(subs.scale) ? o(subs.scale) : undefined;
    const schemaName = schemaNameOf(gvk);
    const base = namespaced ? `/apis/${group}/${version}/namespaces/{namespace}/${plural}` : `/apis/${group}/${version}/${plural}`;
    const paths: OpenApiDocument['paths'] = {
      [base]: { get: op('list', gvk, false), post: op('post', gvk, true), delete: op('deletecollection', gvk, false) },
      [`${base}/{name}`]: { get: op('get', gvk, false), put: op('put', gvk, true), patch: op('patch', gvk, true), delete: op('delete', gvk, false) },
    };
    if (namespaced) paths[`/apis/${group}/${version}/${plural}`] = { get: op('list', gvk, false) };
    if (hasStatus) paths[`${base}/{name}/status`] = { get: op('get', gvk, false), put: op('put', gvk, true), patch: op('patch', gvk, true) };
    if (scale) {
      const sg = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
      paths[`${base}/{name}/scale`] = { get: op('get', sg, false), put: op('put', sg, true), patch: op('patch', sg, true) };
    }
    const raw = o(o(v.schema).openAPIV3Schema) as SchemaObject;
    const props = { ...(raw.properties ?? {}) };
    props.apiVersion = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
    props.kind = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
    props.metadata = { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: "Standard object's metadata." };
    const schema: SchemaObject = { ...raw, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [gvk] };
    const listName = `${schemaName}List`;
    const schemas: Record<string, SchemaObject> = {
      [schemaName]: schema,
      [listName]: {
        type: 'object',
        required: ['items'],
        properties: {
          apiVersion: { type: 'string' },
          items: { type: 'array', items: { $ref: `#/components/schemas/${schemaName}` } },
          kind: { type: 'string' },
          metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' }] },
        },
        'x-kubernetes-group-version-kind': [{ group, version, kind: `${kind}List` }],
      },
    };
    const subresourceInfo: SimResource['subresourceInfo'] = [];
    if (scale) subresourceInfo.push({ name: 'scale', verbs: ['get', 'patch', 'update'], responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
    if (hasStatus) subresourceInfo.push({ name: 'status', verbs: ['get', 'patch', 'update'], responseKind: gvk });
    const printerColumns = (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns.map(o) : []).map((c) => {
      const pc: NonNullable<SimResource['printerColumns']>[number] = { name: String(c.name ?? ''), type: String(c.type ?? 'string'), jsonPath: String(c.jsonPath ?? '') };
      if (typeof c.description === 'string') pc.description = c.description;
      if (typeof c.priority === 'number') pc.priority = c.priority;
      if (typeof c.format === 'string') pc.format = c.format;
      return pc;
    });
    const resource: SimResource = {
      group,
      version,
      kind,
      plural,
      namespaced,
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'].sort(),
      subresources: subresourceInfo.map((s) => s.name),
      subresourceInfo,
      schemaName,
      singular: typeof names.singular === 'string' && names.singular !== '' ? names.singular : kind.toLowerCase(),
      shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
      categories: Array.isArray(names.categories) ? names.categories.map(String) : [],
      custom: true,
      printerColumns,
    };
    const entry: CrdVersionApi = { group, version, resource, schemaName, schemas, paths };
    if (scale) {
      entry.scale = { specReplicasPath: String(scale.specReplicasPath ?? '.spec.replicas'), statusReplicasPath: String(scale.statusReplicasPath ?? '.status.replicas') };
      if (typeof scale.labelSelectorPath === 'string') entry.scale.labelSelectorPath = scale.labelSelectorPath;
    }
    out.push(entry);
  }
  return out;
}

/** The status the apiextensions controllers give an accepted CRD. */
export function acceptedCrdStatus(crd: Obj, time: string): Obj {
  const spec = o(crd.spec);
  const names = { ...o(spec.names) };
  if (names.singular === undefined && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (names.listKind === undefined && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
  const storage = (Array.isArray(spec.versions) ? spec.versions.map(o) : []).filter((v) => v.storage === true).map((v) => String(v.name));
  const prev = o(crd.status);
  const stored = new Set([...(Array.isArray(prev.storedVersions) ? prev.storedVersions.map(String) : []), ...storage]);
  return {
    acceptedNames: names,
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: time, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: time, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    storedVersions: [...stored],
  };
}
