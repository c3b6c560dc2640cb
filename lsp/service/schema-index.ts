/**
 * Schemas as the editor needs them: the schema at a path inside an object (for field completion
 * and hover), the properties of a mapping with their types and whether they are required, and
 * the list of kinds a workspace can use (built-in resources plus the workspace's CRDs).
 * Built from OpenAPI v3 documents and CRD schemas already in memory; `$ref`s resolve inside the
 * document they appear in, and `allOf: [{$ref}]` wrappers (how Kubernetes attaches a field's
 * description to a shared type) are merged with the outer description winning.
 */
import type { GroupVersionKind, JsonPath, OpenApiDocument, SchemaObject } from '../../src/index.js';

/** A schema together with the document its `$ref`s point into. */
export interface SchemaNode {
  schema: SchemaObject;
  doc?: OpenApiDocument;
  /** The `components.schemas` name it resolved to, when it came through a `$ref`. */
  typeName?: string;
}

export interface KindEntry extends GroupVersionKind {
  /** `x-kubernetes-group-version-kind`'s source: the built-in documents or a CRD in the workspace. */
  origin: 'builtin' | 'crd';
  namespaced: boolean;
  description?: string;
}

export interface PropertyInfo {
  name: string;
  node: SchemaNode;
  required: boolean;
}

const REF_PREFIX = '#/components/schemas/';
const kindKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

/** Follows `$ref` and single-`allOf` wrappers; the outermost description is kept. */
export function resolveNode(node: SchemaNode): SchemaNode {
  let schema = node.schema;
  let typeName = node.typeName;
  const description = schema.description;
  for (let hops = 0; hops < 16; hops++) {
    if (schema.$ref !== undefined && schema.$ref.startsWith(REF_PREFIX)) {
      const name = schema.$ref.slice(REF_PREFIX.length);
      const target = node.doc?.components.schemas[name];
      if (target === undefined) break;
      typeName = name;
      schema = target;
      continue;
    }
    if (schema.allOf !== undefined && schema.allOf.length === 1 && schema.properties === undefined) {
      const inner = schema.allOf[0]!;
      schema = { ...inner, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'allOf' && k !== '$ref')) } as SchemaObject;
      if (inner.$ref !== undefined) schema = { ...schema, $ref: inner.$ref };
      continue;
    }
    break;
  }
  if (description !== undefined && schema.description !== description) schema = { ...schema, description };
  const out: SchemaNode = { schema };
  if (node.doc !== undefined) out.doc = node.doc;
  if (typeName !== undefined) out.typeName = typeName;
  return out;
}

/** The schema of the value at `path` below `root`, or undefined when the schema does not say. */
export function nodeAt(root: SchemaNode, path: JsonPath): SchemaNode | undefined {
  let node = resolveNode(root);
  for (const seg of path) {
    const s = node.schema;
    let next: SchemaObject | undefined;
    if (typeof seg === 'number') next = s.items;
    else if (s.properties?.[seg] !== undefined) next = s.properties[seg];
    else if (typeof s.additionalProperties === 'object') next = s.additionalProperties;
    if (next === undefined) return undefined;
    node = resolveNode(node.doc === undefined ? { schema: next } : { schema: next, doc: node.doc });
  }
  return node;
}

export function propertiesOf(node: SchemaNode): PropertyInfo[] {
  const resolved = resolveNode(node);
  const required = new Set(resolved.schema.required ?? []);
  return Object.entries(resolved.schema.properties ?? {}).map(([name, schema]) => ({
    name,
    node: resolveNode(resolved.doc === undefined ? { schema } : { schema, doc: resolved.doc }),
    required: required.has(name),
  }));
}

function shortTypeName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** One-line type, as `kubectl explain` prints it: `integer`, `[]Container`, `map[string]string`, `Object`. */
export function typeLabel(node: SchemaNode): string {
  const n = resolveNode(node);
  const s = n.schema;
  if (s['x-kubernetes-int-or-string'] === true) return 'IntOrString';
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'array' && s.items !== undefined) return `[]${typeLabel(n.doc === undefined ? { schema: s.items } : { schema: s.items, doc: n.doc })}`;
  if (type === 'object' && typeof s.additionalProperties === 'object' && s.properties === undefined)
    return `map[string]${typeLabel(n.doc === undefined ? { schema: s.additionalProperties } : { schema: s.additionalProperties, doc: n.doc })}`;
  if (n.typeName !== undefined && (type === 'object' || type === undefined) && s.properties !== undefined) return shortTypeName(n.typeName);
  if (type === 'object' || (type === undefined && s.properties !== undefined)) return 'Object';
  if (type === undefined && n.typeName !== undefined) return shortTypeName(n.typeName);
  return type ?? 'any';
}

/** Kinds and their root schemas, from built-in documents and CRDs. CRD kinds win over built-ins. */
export class SchemaIndex {
  readonly #roots = new Map<string, SchemaNode>();
  readonly #kinds = new Map<string, KindEntry>();

  static fromDocuments(docs: readonly OpenApiDocument[]): SchemaIndex {
    const index = new SchemaIndex();
    for (const doc of docs) index.addDocument(doc);
    return index;
  }

  /** Adds the resources a document serves: kinds that some non-subresource path creates. */
  addDocument(doc: OpenApiDocument): void {
    const bySchema = new Map<string, string>();
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const g of schema['x-kubernetes-group-version-kind'] ?? []) if (!bySchema.has(kindKey(g))) bySchema.set(kindKey(g), name);
    }
    for (const [p, item] of Object.entries(doc.paths)) {
      if (p.includes('{name}/')) continue;
      const post = item.post as { 'x-kubernetes-group-version-kind'?: GroupVersionKind } | undefined;
      const gvk = post?.['x-kubernetes-group-version-kind'];
      if (gvk === undefined) continue;
      const key = kindKey(gvk);
      const schemaName = bySchema.get(key);
      if (schemaName === undefined || this.#kinds.get(key)?.origin === 'crd') continue;
      const schema = doc.components.schemas[schemaName]!;
      const entry: KindEntry = { group: gvk.group, version: gvk.version, kind: gvk.kind, origin: 'builtin', namespaced: p.includes('/namespaces/{namespace}/') };
      if (schema.description !== undefined) entry.description = schema.description;
      const existing = this.#kinds.get(key);
      // The namespaced path and the all-namespaces path both exist: namespaced wins.
      if (existing !== undefined) entry.namespaced ||= existing.namespaced;
      this.#kinds.set(key, entry);
      this.#roots.set(key, { schema, doc, typeName: schemaName });
    }
  }

  /** Adds (or replaces) a kind defined by a CRD version's `openAPIV3Schema`. */
  addCustomKind(gvk: GroupVersionKind, schema: SchemaObject, namespaced: boolean): void {
    const key = kindKey(gvk);
    const entry: KindEntry = { ...gvk, origin: 'crd', namespaced };
    if (schema.description !== undefined) entry.description = schema.description;
    this.#kinds.set(key, entry);
    // apiVersion, kind and metadata are implied for every custom resource.
    const withMeta: SchemaObject = {
      ...schema,
      properties: {
        apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
        kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
        metadata: this.#objectMeta() ?? { type: 'object' },
        ...(schema.properties ?? {}),
      },
    };
    const meta = this.#objectMetaNode();
    this.#roots.set(key, meta?.doc !== undefined ? { schema: withMeta, doc: meta.doc } : { schema: withMeta });
  }

  #objectMetaNode(): SchemaNode | undefined {
    for (const root of this.#roots.values()) {
      if (root.doc?.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] !== undefined) return root;
    }
    return undefined;
  }

  #objectMeta(): SchemaObject | undefined {
    return this.#objectMetaNode() === undefined ? undefined : { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
  }

  root(gvk: GroupVersionKind): SchemaNode | undefined {
    return this.#roots.get(kindKey(gvk));
  }

  kind(gvk: GroupVersionKind): KindEntry | undefined {
    return this.#kinds.get(kindKey(gvk));
  }

  kinds(): KindEntry[] {
    return [...this.#kinds.values()];
  }
}
