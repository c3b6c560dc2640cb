/**
 * Object identity: group, version, kind, namespace and name. Two manifests are "the same object"
 * when group, kind, namespace and name agree (the version is a representation, not an identity).
 */

export interface GroupVersionKind {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
}

export interface ObjectRef extends GroupVersionKind {
  /** Set for namespaced kinds only (after defaulting); undefined for cluster-scoped ones. */
  namespace?: string;
  /** Empty when the object only has `metadata.generateName`. */
  name: string;
  generateName?: string;
}

/** A Kubernetes object as plain JSON data. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
};

/** Split an apiVersion string (`apps/v1`, `v1`) into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function formatApiVersion(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** `Deployment.apps` style group-kind, as kubectl prints it. */
export function groupKind(ref: { group: string; kind: string }): string {
  return ref.group === '' ? ref.kind : `${ref.kind}.${ref.group}`;
}

/** Identity key used for duplicate detection, maps and stable sorting. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace ?? ''}/${ref.name || ref.generateName || ''}`;
}

/** Human form: `apps/v1 Deployment shop/web`. */
export function describeRef(ref: ObjectRef): string {
  const name = ref.name || (ref.generateName ? `${ref.generateName}*` : '<unnamed>');
  const ns = ref.namespace ? `${ref.namespace}/` : '';
  return `${ref.kind} ${ns}${name}`;
}
