/**
 * The validation pipeline over loaded manifests, shared by `kubectl kd validate` and kd-lsp:
 * CRDs first (so custom resources in the same inputs validate), then the registry loads only the
 * group-versions in use, then namespaces are defaulted (scope comes from the registry), then each
 * object gets the schema, metadata and annotation rules, and finally duplicates across inputs.
 * Pure: the registry's sources do the I/O; this module only awaits them.
 */
import { checkAnnotations } from '../annotations/index.js';
import { applyNamespaceDefaults } from '../manifest/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { appendAll } from '../model/lists.js';
import type { Manifest, Pause } from '../model/manifest.js';
import { checkDuplicates, isCrdObject, loadCelEngine, readCrd, schemaUsesCel, validateManifest, type CustomResourceDefinitionInfo, type SchemaRegistry } from '../schema/index.js';
import { checkBuiltin } from './builtin/index.js';
import { checkMetadata } from './metadata.js';

export * from './rules.js';
export { checkMetadata } from './metadata.js';
export { BUILTIN_VALIDATED_KINDS, builtinFieldErrors, checkBuiltin, type FieldError } from './builtin/index.js';

export interface ValidateManifestsOptions {
  /** Unknown fields are errors (true, the default of `kubectl --validate=strict`) or warnings. */
  strict: boolean;
  /** Namespace for namespaced objects that set none (`-n`, the context's, else `default`). */
  defaultNamespace?: string;
  /**
   * CRDs from `--crd`: their schemas are used, their own problems reported too (once, even when
   * the same document is among the inputs). An invalid CRD's kinds are "schema unavailable".
   */
  crdManifests?: readonly Manifest[];
  /** Awaited between documents (see Pause). */
  pause?: Pause;
}

export interface ValidateManifestsResult {
  /** The inputs with namespaces defaulted. */
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

/**
 * Teaches the registry the CRDs among `manifests` and `crdManifests`, then loads the documents
 * every manifest needs. Returns the CRDs' own diagnostics: errors for CRDs among the inputs,
 * warnings for those only lent with `--crd` (an invalid one still makes its kinds' objects fail).
 */
export async function prepareRegistry(
  registry: SchemaRegistry,
  manifests: readonly Manifest[],
  crdManifests: readonly Manifest[] = [],
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const definitions: CustomResourceDefinitionInfo[] = [];
  // A CRD given both with --crd and among the inputs is one CRD: read (and reported) once.
  const seen = new Set<string>();
  const crds = [...manifests, ...crdManifests].filter((m) => {
    if (!isCrdObject(m.object)) return false;
    const key = `${m.file}\u0000${m.documentIndex}\u0000${m.listIndex ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // CRD checks compile their rules, so the CEL engine must be there before them when they have any.
  if (crds.some((m) => schemaUsesCel(m.object.spec))) await loadCelEngine();
  const inputs = new Set(manifests);
  for (const m of crds) {
    const crd = readCrd(m, { schemaValidated: inputs.has(m) });
    // A CRD only lent with --crd is context, not a subject: its problems are warnings at its
    // file, so that unrelated inputs still pass; objects of its kinds fail (schema unavailable).
    diagnostics.push(...(inputs.has(m) ? crd.diagnostics : crd.diagnostics.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d))));
    if (crd.definition) definitions.push(crd.definition);
  }
  if (definitions.length) registry.addCustomResources(definitions);
  const refs = [...crdManifests, ...manifests].map((m) => m.ref);
  await registry.prepare(refs);
  if (registry.usesCel(refs)) await loadCelEngine();
  return diagnostics;
}

/** Per-object rules on a prepared registry: schema, metadata, built-in kinds' API server rules, annotations. No cross-object rules. */
export function validateEach(manifests: readonly Manifest[], registry: SchemaRegistry, options: { strict: boolean }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const schemaOptions = { strict: options.strict };
  for (let i = 0; i < manifests.length; i++) validateOne(manifests[i]!, registry, schemaOptions, out);
  return out;
}

/** validateEach of one manifest, appended to `out` (every object passes here: no spread of the usually empty lists). */
function validateOne(m: Manifest, registry: SchemaRegistry, schemaOptions: { strict: boolean }, out: Diagnostic[]): void {
  appendAll(out, validateManifest(m, registry, schemaOptions));
  appendAll(out, checkMetadata(m, { namespaced: registry.isNamespaced(m.ref) }));
  appendAll(out, checkBuiltin(m));
  appendAll(out, checkAnnotations(m));
}

export async function validateManifests(
  manifests: readonly Manifest[],
  registry: SchemaRegistry,
  options: ValidateManifestsOptions,
): Promise<ValidateManifestsResult> {
  const diagnostics = await prepareRegistry(registry, manifests, options.crdManifests);
  const defaulted = applyNamespaceDefaults(manifests, {
    ...(options.defaultNamespace === undefined ? {} : { defaultNamespace: options.defaultNamespace }),
    isNamespaced: (gvk) => registry.isNamespaced(gvk),
  });
  const pause = options.pause;
  const schemaOptions = { strict: options.strict };
  for (let i = 0; i < defaulted.length; i++) {
    // A pause that answers nothing is not awaited: no microtask turn per object.
    const turn = pause?.();
    if (turn !== undefined) await turn;
    validateOne(defaulted[i]!, registry, schemaOptions, diagnostics);
  }
  diagnostics.push(...checkDuplicates(defaulted));
  return { manifests: defaulted, diagnostics };
}
