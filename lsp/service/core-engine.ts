/**
 * The engine on kd's core: the one place where the language service meets the validation
 * pipeline, so that the editor reports what `kubectl kd validate` reports (same rules, messages
 * and ranges). Per object: schema (with CRDs), metadata rules, kd annotations, CRD structure;
 * across objects: duplicates, after namespace defaulting.
 */
import {
  KD_ANNOTATIONS,
  SchemaRegistry,
  applyNamespaceDefaults,
  checkDuplicates,
  isCrdObject,
  loadManifests,
  readCrd,
  validateEach,
  loadCelEngine,
  objectKey,
  type CustomResourceDefinitionInfo,
  type Diagnostic,
  type GroupVersionKind,
  type Manifest,
  type SchemaSource,
} from '../../src/index.js';
import type { AnnotationDoc, CheckOptions, KdEngine, LoadedDocument } from './engine.js';

export interface CoreEngineOptions {
  schemaSources: readonly SchemaSource[];
  /** Namespace for namespaced objects without one (duplicates compare defaulted namespaces). */
  defaultNamespace?: string;
}

function annotationDocs(): AnnotationDoc[] {
  const out: AnnotationDoc[] = [];
  for (const a of KD_ANNOTATIONS) {
    const values = (a.values ?? []).map((v) => ({ value: v.value, summary: v.summary }));
    out.push({ key: a.key, tool: a.tool, summary: a.summary, documentation: a.documentation, field: a.field, values, valueKind: a.kind, examples: a.examples });
  }
  for (const a of KD_ANNOTATIONS)
    for (const alias of a.aliases) {
      const values = (alias.values ?? []).map((v) => ({ value: v.value, summary: v.summary }));
      out.push({
        key: alias.key,
        tool: alias.tool,
        summary: alias.summary,
        documentation: alias.documentation,
        aliasOf: a.key,
        field: a.field,
        values,
        valueKind: alias.kind,
        examples: alias.examples,
      });
    }
  return out;
}

function readCrdDiagnostics(m: Manifest): Diagnostic[] {
  // check() validates the CRD object against its schema too: absent required fields are said once.
  return isCrdObject(m.object) ? readCrd(m, { schemaValidated: true }).diagnostics : [];
}

export class CoreEngine implements KdEngine {
  readonly #sources: readonly SchemaSource[];
  readonly #defaultNamespace: string;
  #registry: SchemaRegistry;
  #annotations?: AnnotationDoc[];

  constructor(options: CoreEngineOptions) {
    this.#sources = options.schemaSources;
    this.#defaultNamespace = options.defaultNamespace ?? 'default';
    this.#registry = new SchemaRegistry(this.#sources);
  }

  load(file: string, text: string): LoadedDocument {
    return loadManifests([{ path: file, text }]);
  }

  async prepare(gvks: readonly GroupVersionKind[]): Promise<void> {
    // A long-running server: CEL rules (in CRDs, above all) are checked, so load the engine once.
    await loadCelEngine();
    // The registry is replaced when CRDs change; prepare until the current one is the prepared one
    // (checking on an unprepared registry would cache "unknown kind" answers).
    for (;;) {
      const registry = this.#registry;
      try {
        await registry.prepare(gvks);
      } catch {
        // An unreadable schema source leaves kinds unknown; `check` then says so per object.
      }
      if (registry === this.#registry) return;
    }
  }

  check(manifest: Manifest, options: CheckOptions): Diagnostic[] {
    // The same per-object rules as `kubectl kd validate` (validateEach), on the defaulted object.
    const [defaulted] = this.#defaults([manifest]);
    const out = readCrdDiagnostics(manifest);
    out.push(...validateEach([defaulted!], this.#registry, { strict: options.strict }));
    return out;
  }

  #defaults(manifests: readonly Manifest[]): Manifest[] {
    return applyNamespaceDefaults(manifests, { defaultNamespace: this.#defaultNamespace, isNamespaced: this.#isNamespaced });
  }

  /** Scopes, remembered per kind once the registry knows them (asked for every object on every check). */
  readonly #scopes = new Map<string, boolean>();
  readonly #isNamespaced = (g: GroupVersionKind): boolean | undefined => {
    const key = `${g.group}/${g.version}/${g.kind}`;
    const known = this.#scopes.get(key);
    if (known !== undefined) return known;
    const answer = this.#registry.isNamespaced(g);
    if (answer !== undefined) this.#scopes.set(key, answer);
    return answer;
  };

  checkAcross(manifests: readonly Manifest[]): Diagnostic[] {
    return checkDuplicates(this.#defaults(manifests));
  }

  identity(manifest: Manifest): string | undefined {
    // checkDuplicates' own key, on the same defaulted object; it skips objects without a name.
    const [defaulted] = this.#defaults([manifest]);
    return defaulted!.ref.name ? objectKey(defaulted!.ref) : undefined;
  }

  setCustomResources(crds: readonly Manifest[]): void {
    const definitions: CustomResourceDefinitionInfo[] = [];
    for (const m of crds) {
      const def = readCrd(m).definition;
      if (def) definitions.push(def);
    }
    // A fresh registry forgets CRDs that were removed; sources cache their documents, so this is cheap.
    this.#registry = new SchemaRegistry(this.#sources, { customResources: definitions });
    this.#scopes.clear();
  }

  annotations(): readonly AnnotationDoc[] {
    this.#annotations ??= annotationDocs();
    return this.#annotations;
  }
}
