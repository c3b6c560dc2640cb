/**
 * A manifest is one Kubernetes object read from a file, with what is needed to point back at
 * its source: the file, the document index, and a function from JSON paths to source ranges.
 */
import type { JsonPath, SourceRange } from './source.js';
import type { KubeObject, ObjectRef } from './object-ref.js';
import type { Diagnostic } from './diagnostic.js';

/** Text handed to the pure loader; reading it from disk or stdin is the shell's job. */
export interface SourceText {
  /** The path as the user named it, or `<stdin>`. */
  path: string;
  text: string;
}

export interface Manifest {
  object: KubeObject;
  ref: ObjectRef;
  file: string;
  /** 0-based index of the YAML document in its file. */
  documentIndex: number;
  /** For objects flattened out of a `kind: List`: their index in `items`. */
  listIndex?: number;
  /**
   * The source range of the value at `path` inside this object (for `kind: List` items the
   * path is relative to the item). When the path does not exist, the range of its deepest
   * existing ancestor; for a missing key this is the parent mapping's key. Positions are
   * computed lazily: loading never pays for them.
   */
  locate(path: JsonPath, target?: 'key' | 'value'): SourceRange;
  /** For objects rendered by kustomize: where they came from, as well as kustomize tells. */
  origin?: { path: string; kustomization?: string };
}

export interface LoadResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Namespace for namespaced objects without one (`-n`, else the context's, else `default`). */
  defaultNamespace?: string;
  /** Tells whether a kind is namespaced; unknown kinds are treated as namespaced. */
  isNamespaced?: (gvk: { group: string; version: string; kind: string }) => boolean | undefined;
  /** Files larger than this are rejected with a diagnostic. Default 64 MiB. */
  maxFileBytes?: number;
}
