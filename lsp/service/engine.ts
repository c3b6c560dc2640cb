/**
 * The seam between the language service and kd's core: everything the service needs from the
 * validation pipeline, as one small interface. `core-engine.ts` implements it with the core's
 * loader, annotation checks, metadata rules, schema registry and duplicate check; tests may
 * implement it with fakes. The service owns caching and incrementality; the engine owns rules.
 */
import type { Diagnostic, GroupVersionKind, Manifest } from '../../src/index.js';

export interface LoadedDocument {
  manifests: Manifest[];
  /** Loader diagnostics (syntax, missing fields), positions relative to the text given. */
  diagnostics: Diagnostic[];
}

export interface CheckOptions {
  strict: boolean;
}

/** An annotation key for completion and hover, kd's own or an alias. */
export interface AnnotationDoc {
  key: string;
  tool: string;
  summary: string;
  documentation: string;
  /** For aliases: the kd key it is read as. */
  aliasOf?: string;
  /** Which kd setting it feeds (`syncWave`, `hooks`, ...). */
  field: string;
  /** Allowed values, with one-line summaries (enum kinds). */
  values: ReadonlyArray<{ value: string; summary: string }>;
  /** Value kind: `integer`, `enum`, `enum-list`, `duration`, `pointer-list`. */
  valueKind: string;
  examples: readonly string[];
}

export interface KdEngine {
  /** Loads one YAML document's text (the `file` is what diagnostics will name). */
  load(file: string, text: string): LoadedDocument;
  /** Makes the schemas of these kinds ready for `check` (loads their documents lazily). */
  prepare(gvks: readonly GroupVersionKind[]): Promise<void>;
  /** The per-object rules: schema, metadata, annotations. After `prepare`. */
  check(manifest: Manifest, options: CheckOptions): Diagnostic[];
  /** Rules across objects (duplicates), over every object of the workspace. */
  checkAcross(manifests: readonly Manifest[]): Diagnostic[];
  /**
   * What `checkAcross` tells objects apart by: two objects with the same identity are the same
   * object (after namespace defaulting); undefined for an object it never compares (no name).
   * After `prepare` for the object's kind.
   */
  identity(manifest: Manifest): string | undefined;
  /** The CustomResourceDefinitions in use, replacing the previous set. */
  setCustomResources(crds: readonly Manifest[]): void;
  /** kd's annotation keys and their Argo CD/Helm aliases. */
  annotations(): readonly AnnotationDoc[];
}
