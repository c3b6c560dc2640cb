/**
 * The simulator's knowledge of the API: which resources exist, in which group-versions, with what
 * scope, verbs and subresources, read from the `paths` of OpenAPI v3 documents exactly as the
 * real server publishes them (parsed by `servedResources`, shared with the schema registry). CRDs add and remove entries at run time (`addDocument`/`removeGroupVersion`).
 *
 * Invariants: one entry per group/version/plural; a resource is namespaced when any of its paths
 * sits under `namespaces/{namespace}`; short names and categories are not in OpenAPI, so the
 * built-in ones come from a small table copied from a real cluster's `kubectl api-resources`.
 */
import type { GroupVersionPath, OpenApiDocument, SchemaObject } from '../schema/types.js';
import { type ServedResource, schemaNamesByKind, servedResources } from '../schema/resources.js';
import { groupVersionPath } from '../schema/types.js';

export interface SimResource extends ServedResource {
  singular: string;
  shortNames: string[];
  categories: string[];
  /** True for resources defined by a CustomResourceDefinition. */
  custom: boolean;
  /** For CRs: the CRD's additionalPrinterColumns of this version. */
  printerColumns?: Array<{ name: string; type: string; jsonPath: string; description?: string; priority?: number; format?: string }>;
}

const BUILTIN_SHORT_NAMES: Record<string, string[]> = {
  '/componentstatuses': ['cs'],
  '/configmaps': ['cm'],
  '/endpoints': ['ep'],
  '/events': ['ev'],
  '/limitranges': ['limits'],
  '/namespaces': ['ns'],
  '/nodes': ['no'],
  '/persistentvolumeclaims': ['pvc'],
  '/persistentvolumes': ['pv'],
  '/pods': ['po'],
  '/replicationcontrollers': ['rc'],
  '/resourcequotas': ['quota'],
  '/serviceaccounts': ['sa'],
  '/services': ['svc'],
  'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
  'apps/daemonsets': ['ds'],
  'apps/deployments': ['deploy'],
  'apps/replicasets': ['rs'],
  'apps/statefulsets': ['sts'],
  'autoscaling/horizontalpodautoscalers': ['hpa'],
  'batch/cronjobs': ['cj'],
  'certificates.k8s.io/certificatesigningrequests': ['csr'],
  'events.k8s.io/events': ['ev'],
  'networking.k8s.io/ingresses': ['ing'],
  'networking.k8s.io/networkpolicies': ['netpol'],
  'policy/poddisruptionbudgets': ['pdb'],
  'scheduling.k8s.io/priorityclasses': ['pc'],
  'storage.k8s.io/storageclasses': ['sc'],
};

const CATEGORY_ALL = new Set([
  '/pods', '/replicationcontrollers', '/services', 'apps/daemonsets', 'apps/deployments', 'apps/replicasets',
  'apps/statefulsets', 'autoscaling/horizontalpodautoscalers', 'batch/cronjobs', 'batch/jobs',
]);
const CATEGORY_API_EXTENSIONS = new Set([
  'apiextensions.k8s.io/customresourcedefinitions', 'apiregistration.k8s.io/apiservices',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations', 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies', 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingadmissionpolicies', 'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
]);

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i]! - pa[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads the resources a group-version document's paths declare. */
export function resourcesOfDocument(gv: { group: string; version: string }, doc: OpenApiDocument): SimResource[] {
  const schemaNames = schemaNamesByKind(doc, gv);
  const out: SimResource[] = [];
  for (const d of servedResources(doc, gv)) {
    if (d.verbs.length === 0) continue;
    const key = `${d.group}/${d.plural}`;
    const categories: string[] = [];
    if (CATEGORY_ALL.has(key)) categories.push('all');
    if (CATEGORY_API_EXTENSIONS.has(key)) categories.push('api-extensions');
    const r: SimResource = {
      ...d,
      singular: d.kind.toLowerCase(),
      shortNames: BUILTIN_SHORT_NAMES[key] ?? [],
      categories,
      custom: false,
    };
    const schemaName = schemaNames.get(d.kind);
    if (schemaName !== undefined) r.schemaName = schemaName;
    out.push(r);
  }
  return out.sort((a, b) => (a.plural < b.plural ? -1 : 1));
}

/** The mutable catalogue of served group-versions, their documents and resources. */
export class ApiCatalog {
  readonly #docs = new Map<GroupVersionPath, OpenApiDocument>();
  readonly #resources = new Map<GroupVersionPath, SimResource[]>();
  /** Bumped on every change, so discovery and OpenAPI caches know when to rebuild. */
  generation = 0;

  addDocument(gv: { group: string; version: string }, doc: OpenApiDocument, resources?: SimResource[]): void {
    const key = groupVersionPath(gv);
    this.#docs.set(key, doc);
    this.#resources.set(key, resources ?? resourcesOfDocument(gv, doc));
    this.generation++;
  }

  removeGroupVersion(gv: { group: string; version: string }): void {
    const key = groupVersionPath(gv);
    if (this.#docs.delete(key)) this.generation++;
    this.#resources.delete(key);
  }

  document(gvPath: GroupVersionPath): OpenApiDocument | undefined {
    return this.#docs.get(gvPath);
  }

  groupVersionPaths(): GroupVersionPath[] {
    return [...this.#docs.keys()].sort();
  }

  #groups?: { generation: number; list: ReadonlyArray<{ group: string; versions: string[] }> };

  /** Groups in serving order: core first, then by name; versions preferred first. Cached per generation (every request asks). */
  groups(): ReadonlyArray<{ group: string; versions: string[] }> {
    if (this.#groups?.generation !== this.generation) this.#groups = { generation: this.generation, list: this.#computeGroups() };
    return this.#groups.list;
  }

  #computeGroups(): Array<{ group: string; versions: string[] }> {
    const byGroup = new Map<string, string[]>();
    for (const key of this.#docs.keys()) {
      const parts = key.split('/');
      const group = parts[0] === 'api' ? '' : parts[1]!;
      const version = parts[parts.length - 1]!;
      const list = byGroup.get(group) ?? [];
      list.push(version);
      byGroup.set(group, list);
    }
    return [...byGroup.entries()]
      .sort(([a], [b]) => (a === b ? 0 : a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1))
      .map(([group, versions]) => ({ group, versions: versions.sort(compareVersions) }));
  }

  resourcesOf(gv: { group: string; version: string }): SimResource[] {
    return this.#resources.get(groupVersionPath(gv)) ?? [];
  }

  resource(group: string, version: string, plural: string): SimResource | undefined {
    return this.resourcesOf({ group, version }).find((r) => r.plural === plural);
  }

  /** The preferred-version resource of a group and kind. */
  resourceForKind(group: string, kind: string, version?: string): SimResource | undefined {
    const g = this.groups().find((x) => x.group === group);
    if (!g) return undefined;
    for (const v of version !== undefined ? [version] : g.versions) {
      const r = this.resourcesOf({ group, version: v }).find((x) => x.kind === kind);
      if (r) return r;
    }
    return undefined;
  }

  /** Resolves a `$ref` like `#/components/schemas/X` inside a group-version document. */
  schema(gv: { group: string; version: string }, name: string): SchemaObject | undefined {
    return this.#docs.get(groupVersionPath(gv))?.components?.schemas?.[name];
  }
}
