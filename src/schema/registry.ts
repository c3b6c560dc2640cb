/**
 * The schema registry: kinds, resources and compiled schemas from one or more SchemaSources
 * (for each group-version the first source that has it wins) plus CustomResourceDefinitions
 * (which win over sources for the kinds they define).
 *
 * Lazy by contract: construction reads nothing; `prepare`/`ensure` load only the group-version
 * documents asked for (a cold start must not parse tens of MB for one small file), and `prepare`
 * only the kinds asked for where the source has per-kind documents (the built-in bundle). Lookups
 * after that are synchronous and see only what was loaded. Suggestions for an unknown kind
 * need to know where the kind lives, so `prepare` loads every document only in that error
 * case.
 */
import { componentUsesCel, schemaUsesCel } from './cel.js';
import type { GroupVersionKind } from '../model/object-ref.js';
import { formatApiVersion } from '../model/object-ref.js';
import { compileNamed, compileSchema, type CompileContext, type SchemaNode } from './compiled.js';
import type { CustomResourceDefinitionInfo } from './crd.js';
import { OBJECT_META_NAME, objectMetaComponents } from './object-meta.js';
import { resourcesFromDocument, schemaNamesByKind } from './resources.js';
import { closest } from './suggest.js';
import {
  groupVersionPath,
  parseGroupVersionPath,
  type GroupVersionPath,
  type OpenApiDocument,
  type ResourceInfo,
  type SchemaObject,
  type SchemaSource,
} from './types.js';
import type { KindSchema, KindSchemaLookup, UnknownKind } from './validate.js';

interface LoadedDocument {
  gv: { group: string; version: string };
  doc: OpenApiDocument;
  source: SchemaSource;
  resources: Map<string, ResourceInfo>;
  schemaNames: Map<string, string>;
  ctx: CompileContext;
  /** Per kind's schema name: whether it or what it references has CEL rules; filled on first question. */
  usesCel: Map<string, boolean>;
  /**
   * Built from per-kind documents (`SchemaSource.kindDocument`): only the kinds asked for, each
   * with exactly what the whole document gives it. Replaced by the whole document when needed.
   */
  partial: boolean;
}

interface CustomKind {
  resource: ResourceInfo;
  schema?: SchemaObject;
  definition: CustomResourceDefinitionInfo;
}

export interface SchemaRegistryOptions {
  customResources?: readonly CustomResourceDefinitionInfo[];
}

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

/**
 * Each kind once, in first-seen order: callers pass one reference per object (hundreds), and
 * what the registry does with a kind does not depend on how many objects have it.
 */
function distinctKinds(gvks: Iterable<GroupVersionKind>): GroupVersionKind[] {
  const seen = new Map<string, GroupVersionKind>();
  for (const g of gvks) {
    const key = gvkKey(g);
    if (!seen.has(key)) seen.set(key, g);
  }
  return [...seen.values()];
}

export class SchemaRegistry implements KindSchemaLookup {
  readonly #sources: readonly SchemaSource[];
  #groupVersions?: Promise<Map<GroupVersionPath, SchemaSource>>;
  #knownGroupVersions?: Map<GroupVersionPath, SchemaSource>;
  readonly #loading = new Map<GroupVersionPath, Promise<void>>();
  readonly #docs = new Map<GroupVersionPath, LoadedDocument>();
  readonly #custom = new Map<string, CustomKind>();
  readonly #compiled = new Map<string, KindSchema | null>();
  #objectMeta?: SchemaNode;

  constructor(sources: readonly SchemaSource[], options: SchemaRegistryOptions = {}) {
    this.#sources = sources;
    if (options.customResources) this.addCustomResources(options.customResources);
  }

  /** Sources in precedence order, for messages ("schemas from ..."). */
  get sources(): readonly SchemaSource[] {
    return this.#sources;
  }

  /** Registers CRDs: every served version becomes a kind. Later calls replace earlier ones. */
  addCustomResources(definitions: readonly CustomResourceDefinitionInfo[]): void {
    for (const def of definitions) {
      for (const v of def.versions) {
        if (!v.served) continue;
        const gvk = { group: def.group, version: v.name, kind: def.kind };
        const resource: ResourceInfo = {
          ...gvk,
          plural: def.plural,
          namespaced: def.namespaced,
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
          subresources: [...v.subresources],
          shortNames: [...def.shortNames],
          categories: [...def.categories],
        };
        if (def.singular !== undefined) resource.singular = def.singular;
        const entry: CustomKind = { resource, definition: def };
        if (v.schema !== undefined) entry.schema = v.schema;
        this.#custom.set(gvkKey(gvk), entry);
        this.#compiled.delete(gvkKey(gvk));
      }
    }
  }

  /**
   * Whether validating these kinds can meet CEL rules, so that the caller loads the CEL engine
   * first (`loadCelEngine`). Follows each kind's schema and its references only: cheap, cached.
   */
  usesCel(gvks: Iterable<GroupVersionKind>): boolean {
    for (const g of distinctKinds(gvks)) {
      const custom = this.#custom.get(gvkKey(g));
      if (custom) {
        if (schemaUsesCel(custom.schema)) return true;
        continue;
      }
      const d = this.#docs.get(groupVersionPath(g));
      const name = d?.schemaNames.get(g.kind);
      if (!d || name === undefined) continue;
      let uses = d.usesCel.get(name);
      if (uses === undefined) {
        uses = componentUsesCel(name, d.ctx.components);
        d.usesCel.set(name, uses);
      }
      if (uses) return true;
    }
    return false;
  }

  /** Every group-version the sources and CRDs offer; cheap (a listing, no document is read). */
  async groupVersions(): Promise<GroupVersionPath[]> {
    const map = await this.#groupVersionMap();
    const out = new Set(map.keys());
    for (const c of this.#custom.values()) out.add(groupVersionPath(c.resource));
    return [...out];
  }

  #groupVersionMap(): Promise<Map<GroupVersionPath, SchemaSource>> {
    this.#groupVersions ??= (async () => {
      const map = new Map<GroupVersionPath, SchemaSource>();
      for (const source of this.#sources) for (const gv of await source.groupVersions()) if (!map.has(gv)) map.set(gv, source);
      this.#knownGroupVersions = map;
      return map;
    })();
    return this.#groupVersions;
  }

  /** Loads the named group-version documents (unknown ones are ignored). */
  async ensure(gvs: Iterable<GroupVersionPath>): Promise<void> {
    const map = await this.#groupVersionMap();
    const waits: Promise<void>[] = [];
    for (const gv of gvs) {
      if (this.#docs.get(gv)?.partial === false) continue;
      const source = map.get(gv);
      if (!source) continue;
      let p = this.#loading.get(gv);
      if (!p) {
        p = this.#load(gv, source);
        this.#loading.set(gv, p);
      }
      waits.push(p);
    }
    await Promise.all(waits);
  }

  async #load(gvPath: GroupVersionPath, first: SchemaSource): Promise<void> {
    const gv = parseGroupVersionPath(gvPath);
    if (!gv) return;
    let doc = await first.document(gvPath);
    let source = first;
    if (!doc) {
      for (const s of this.#sources) {
        if (s === first) continue;
        doc = await s.document(gvPath);
        if (doc) {
          source = s;
          break;
        }
      }
    }
    if (!doc) return;
    this.#docs.set(gvPath, {
      gv,
      doc,
      source,
      resources: resourcesFromDocument(doc, gv),
      schemaNames: schemaNamesByKind(doc, gv),
      ctx: { components: doc.components?.schemas ?? {}, semantics: 'builtin', cache: new Map() },
      usesCel: new Map(),
      partial: false,
    });
    this.#forgetUnknown();
  }

  /** "No schema" answers may have been cached before a document arrived: they are asked again. */
  #forgetUnknown(): void {
    for (const [key, value] of this.#compiled) if (value === null) this.#compiled.delete(key);
  }

  /**
   * Reads the per-kind documents of the built-in kinds asked for, where the source has them.
   * False when some kind has none (or it does not give the kind a resource and a schema): the
   * caller then reads whole documents, as it did before per-kind documents existed.
   */
  async #loadKinds(gvPath: GroupVersionPath, source: SchemaSource, kinds: ReadonlySet<string>): Promise<boolean> {
    const gv = parseGroupVersionPath(gvPath);
    if (!gv || !source.kindDocument) return false;
    const wanted = [...kinds].filter((k) => !this.#docs.get(gvPath)?.resources.has(k));
    const docs = await Promise.all(wanted.map((k) => source.kindDocument!(gvPath, k)));
    let complete = true;
    for (let i = 0; i < wanted.length; i++) {
      const kind = wanted[i]!;
      const doc = docs[i];
      const resource = doc && resourcesFromDocument(doc, gv).get(kind);
      const schemaName = doc && schemaNamesByKind(doc, gv).get(kind);
      if (!doc || !resource || schemaName === undefined) {
        complete = false;
        continue;
      }
      let d = this.#docs.get(gvPath);
      if (d && !d.partial) continue; // the whole document arrived meanwhile
      if (!d) {
        const schemas: Record<string, SchemaObject> = {};
        d = {
          gv,
          doc: { paths: {}, components: { schemas } },
          source,
          resources: new Map(),
          schemaNames: new Map(),
          ctx: { components: schemas, semantics: 'builtin', cache: new Map() },
          usesCel: new Map(),
          partial: true,
        };
        this.#docs.set(gvPath, d);
      }
      // Same names mean the same schemas (all come from one group-version document).
      Object.assign(d.doc.paths, doc.paths);
      const into = d.doc.components.schemas;
      for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) if (!(name in into)) into[name] = schema;
      d.resources.set(kind, resource);
      d.schemaNames.set(kind, schemaName);
      // The build says when no schema the kind reaches has CEL rules (test/bundle/lean.test.ts checks it).
      if ((doc as { 'x-kd-cel'?: unknown })['x-kd-cel'] === false) d.usesCel.set(schemaName, false);
    }
    this.#forgetUnknown();
    return complete;
  }

  /**
   * Loads what validating these kinds needs: their group-versions, and when one of them is not
   * found there, every document (so that "did you mean apps/v1?" can be answered).
   */
  async prepare(gvks: Iterable<GroupVersionKind>): Promise<void> {
    const list = distinctKinds(gvks);
    const map = await this.#groupVersionMap();
    const requested = new Set(list.map((g) => groupVersionPath(g)));
    // Built-in kinds of sources with per-kind documents are read one kind at a time; a
    // group-version with a custom kind, or whose source has none, is read whole.
    const byKind = new Map<GroupVersionPath, Set<string>>();
    const whole = new Set<GroupVersionPath>();
    for (const g of list) {
      const p = groupVersionPath(g);
      if (this.#custom.has(gvkKey(g)) || !map.get(p)?.kindDocument) whole.add(p);
      else if (byKind.has(p)) byKind.get(p)!.add(g.kind);
      else byKind.set(p, new Set([g.kind]));
    }
    const loads = [...byKind].filter(([p]) => !whole.has(p) && this.#docs.get(p)?.partial !== false);
    const complete = (await Promise.all(loads.map(([p, kinds]) => this.#loadKinds(p, map.get(p)!, kinds)))).every(Boolean);
    // Anything short of every kind found in its own document takes the path that never had
    // per-kind documents (whole documents of the group-versions asked for, and of those read
    // per kind before), so that error messages, which look at what is loaded, stay the same.
    const partial = [...this.#docs].filter(([, d]) => d.partial).map(([p]) => p);
    await this.ensure(complete ? whole : new Set([...requested, ...partial]));
    if (list.some((g) => !this.#hasKind(g))) await this.ensure(map.keys());
  }

  #hasKind(g: GroupVersionKind): boolean {
    if (this.#custom.has(gvkKey(g))) return true;
    const d = this.#docs.get(groupVersionPath(g));
    return d !== undefined && (d.resources.has(g.kind) || d.schemaNames.has(g.kind));
  }

  /** True when the group-version's document is loaded (or CRDs define it). */
  isLoaded(gv: { group: string; version: string }): boolean {
    const p = groupVersionPath(gv);
    if (this.#docs.has(p)) return true;
    for (const c of this.#custom.values()) if (c.resource.group === gv.group && c.resource.version === gv.version) return true;
    return false;
  }

  resource(gvk: GroupVersionKind): ResourceInfo | undefined {
    const custom = this.#custom.get(gvkKey(gvk));
    if (custom) return custom.resource;
    const d = this.#docs.get(groupVersionPath(gvk));
    const r = d?.resources.get(gvk.kind);
    if (!r) return undefined;
    const name = d!.schemaNames.get(gvk.kind);
    return name === undefined ? r : { ...r, schemaName: name };
  }

  isNamespaced(gvk: GroupVersionKind): boolean | undefined {
    // Asked several times per object (defaulting, metadata rules): no copy of the resource as `resource` makes.
    const custom = this.#custom.size > 0 ? this.#custom.get(gvkKey(gvk)) : undefined;
    if (custom) return custom.resource.namespaced;
    return this.#docs.get(groupVersionPath(gvk))?.resources.get(gvk.kind)?.namespaced;
  }

  /** The kind's schema as published (a CRD version's openAPIV3Schema for custom kinds). */
  schemaFor(gvk: GroupVersionKind): SchemaObject | undefined {
    const custom = this.#custom.get(gvkKey(gvk));
    if (custom) return custom.schema;
    const d = this.#docs.get(groupVersionPath(gvk));
    const name = d?.schemaNames.get(gvk.kind);
    return name === undefined ? undefined : d!.doc.components.schemas[name];
  }

  /** Kinds with a REST resource, in the loaded documents and the CRDs. */
  knownKinds(): GroupVersionKind[] {
    const out = new Map<string, GroupVersionKind>();
    for (const d of this.#docs.values())
      for (const r of d.resources.values()) out.set(gvkKey(r), { group: r.group, version: r.version, kind: r.kind });
    for (const c of this.#custom.values()) {
      const r = c.resource;
      out.set(gvkKey(r), { group: r.group, version: r.version, kind: r.kind });
    }
    return [...out.values()];
  }

  /** The compiled schema of a kind, built once and cached. */
  kindSchema(gvk: GroupVersionKind): KindSchema | undefined {
    const key = gvkKey(gvk);
    const cached = this.#compiled.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.#compile(gvk);
    this.#compiled.set(key, result ?? null);
    return result;
  }

  #compile(gvk: GroupVersionKind): KindSchema | undefined {
    const custom = this.#custom.get(gvkKey(gvk));
    if (custom?.definition.invalid) return undefined;
    if (custom) {
      const ctx: CompileContext = { components: {}, semantics: 'crd', cache: new Map() };
      const node = custom.schema ? compileSchema(custom.schema, ctx) : compileSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, ctx);
      // The server owns apiVersion, kind and metadata whatever the CRD says about them.
      const props = new Map(node.properties ?? []);
      const str = compileSchema({ type: 'string' }, ctx);
      props.set('apiVersion', str);
      props.set('kind', str);
      props.set('metadata', this.objectMetaNode());
      return { node: { ...node, properties: props }, semantics: 'crd' };
    }
    const d = this.#docs.get(groupVersionPath(gvk));
    const name = d?.schemaNames.get(gvk.kind);
    if (!d || name === undefined || !d.resources.has(gvk.kind)) return undefined;
    const node = compileNamed(name, d.ctx);
    return node ? { node, semantics: 'builtin' } : undefined;
  }

  /** The name of the invalid CRD that defines this kind, when one does (see `readCrd`). */
  invalidDefinition(gvk: GroupVersionKind): string | undefined {
    const custom = this.#custom.get(gvkKey(gvk));
    return custom?.definition.invalid ? custom.definition.name : undefined;
  }

  objectMetaNode(): SchemaNode {
    this.#objectMeta ??= compileNamed(OBJECT_META_NAME, { components: objectMetaComponents, semantics: 'builtin', cache: new Map() })!;
    return this.#objectMeta;
  }

  /** Why a kind is unknown, and what was probably meant. Sees only loaded documents. */
  explainUnknownKind(gvk: GroupVersionKind): UnknownKind {
    const apiVersion = formatApiVersion(gvk);
    const kinds = this.knownKinds();
    const elsewhere = kinds.filter((k) => k.kind === gvk.kind).map((k) => formatApiVersion(k));
    const gvKnown =
      this.isLoaded(gvk) || (this.#knownGroupVersions?.has(groupVersionPath(gvk)) ?? false);
    if (elsewhere.length > 0) {
      const list = elsewhere.map((v) => `"${v}"`).join(' or ');
      return {
        message: `no kind "${gvk.kind}" in apiVersion "${apiVersion}"; did you mean apiVersion ${list}?`,
        suggestions: elsewhere,
        field: 'apiVersion',
      };
    }
    if (!gvKnown) {
      const versions = new Set<string>();
      for (const p of this.#knownGroupVersions?.keys() ?? []) {
        const gv = parseGroupVersionPath(p);
        if (gv) versions.add(formatApiVersion(gv));
      }
      for (const k of kinds) versions.add(formatApiVersion(k));
      const near = closest(apiVersion, versions);
      const hint = near.length > 0 ? `; did you mean "${near[0]}"?` : '; is its CustomResourceDefinition missing (--crd)?';
      return { message: `unknown apiVersion "${apiVersion}" (no schema for it)${hint}`, suggestions: near, field: 'apiVersion' };
    }
    const here = kinds.filter((k) => k.group === gvk.group && k.version === gvk.version).map((k) => k.kind);
    let near = closest(gvk.kind, here);
    let hint = near.length > 0 ? `; did you mean "${near[0]}"?` : '';
    if (near.length === 0) {
      const other = closest(gvk.kind, new Set(kinds.map((k) => k.kind)));
      const at = other.length > 0 ? kinds.find((k) => k.kind === other[0]) : undefined;
      if (at) {
        near = [at.kind];
        hint = `; did you mean "${at.kind}" (apiVersion "${formatApiVersion(at)}")?`;
      }
    }
    return { message: `no kind "${gvk.kind}" in apiVersion "${apiVersion}"${hint}`, suggestions: near, field: 'kind' };
  }
}
