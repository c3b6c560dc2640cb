/**
 * Contract of the schema registry: OpenAPI v3 documents in the layout kube-apiserver serves at
 * `/openapi/v3` (one document per group-version, keyed `api/v1` or `apis/<group>/<version>`),
 * whatever their source (a directory, the built-in bundle, a live cluster, CRDs).
 * Sources are the only part that does I/O; everything built from their documents is pure.
 */

/** A JSON Schema object as Kubernetes publishes it, with its `x-kubernetes-*` extensions. */
export type SchemaObject = {
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  allOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  not?: SchemaObject;
  $ref?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  uniqueItems?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  'x-kubernetes-validations'?: Array<{ rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string; optionalOldSelf?: boolean }>;
  [extension: string]: unknown;
};

/** One group-version document, as served at `/openapi/v3/apis/<group>/<version>`. */
export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, SchemaObject> };
}

/** `api/v1` or `apis/<group>/<version>`: the key of a document in `/openapi/v3`. */
export type GroupVersionPath = string;

export function groupVersionPath(gv: { group: string; version: string }): GroupVersionPath {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

export function parseGroupVersionPath(p: GroupVersionPath): { group: string; version: string } | undefined {
  const parts = p.split('/');
  if (parts[0] === 'api' && parts.length === 2) return { group: '', version: parts[1]! };
  if (parts[0] === 'apis' && parts.length === 3) return { group: parts[1]!, version: parts[2]! };
  return undefined;
}

/**
 * Where documents come from. Implementations: a directory in the `/openapi/v3` layout
 * (`--schema-dir`, `KD_SCHEMA_DIR`), the built-in bundle (itself such a directory, generated
 * at build time), and a live cluster (fetched and cached on disk per server version).
 */
export interface SchemaSource {
  /** For messages: `schema directory ./k8s-1.35`, `built-in bundle (Kubernetes 1.36)`, `cluster prod (v1.32.4)`. */
  readonly description: string;
  /** The Kubernetes version the documents describe, when known (`1.35`). */
  readonly kubernetesVersion?: string;
  groupVersions(): Promise<GroupVersionPath[]>;
  /** Undefined when the source has no such group-version. */
  document(gv: GroupVersionPath): Promise<OpenApiDocument | undefined>;
  /**
   * Optional: a document holding only what one kind needs (the paths of the resources serving it,
   * the components its schemas reach), giving the registry for that kind what `document` gives.
   * Undefined when the source has none for the kind; the registry then reads `document`.
   */
  kindDocument?(gv: GroupVersionPath, kind: string): Promise<OpenApiDocument | undefined>;
}

/** What the REST paths of a document say about one resource. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs: `deployments`. */
  plural: string;
  namespaced: boolean;
  /** The verbs its paths allow: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: string[];
  /** Subresources its paths declare: `status`, `scale`, ... */
  subresources: string[];
  /** The `components.schemas` key of the kind's schema, e.g. `io.k8s.api.apps.v1.Deployment`. */
  schemaName?: string;
  /** Short names and categories are only known from a CRD or a live cluster. */
  shortNames?: string[];
  singular?: string;
  categories?: string[];
}
