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
  /** Set when the text was rendered by a tool (kustomize) rather than written by the user. */
  rendered?: RenderedSource;
}

/** Where rendered documents came from, so that diagnostics point into the user's own files. */
export interface RenderedSource {
  /** The kustomization file that produced the text; unmapped objects are reported against it. */
  kustomization: string;
  /** Per rendered document (by its index in `text`): its origin, when the tool told. */
  origins: Array<RenderedOrigin | undefined>;
}

export interface RenderedOrigin {
  /** The source file, as the user would name it (relative to the path they gave). */
  path: string;
  /** That file's text and the object's document in it: then `locate` points into that file. */
  text?: string;
  documentIndex?: number;
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
  /**
   * The 1-based line where the object starts: always `locate([]).start.line`, but found by a
   * line scan of its document without a YAML parse, for reports that list every object (drift).
   * Set by the loader; other producers of manifests may leave it out.
   */
  startLine?(): number;
  /** For objects rendered by kustomize: where they came from, as well as kustomize tells. */
  origin?: { path: string; kustomization?: string };
}

export interface LoadResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

/**
 * Where reading and validating many files lets other work progress: drift's session supplies one
 * that turns the event loop while its cluster reads are in flight (a rejection stops the files'
 * phase); nothing returned means go on at once. The pure folders only await it: they neither
 * schedule nor time anything themselves.
 */
export type Pause = () => Promise<void> | undefined;

export interface LoadOptions {
  /** Files larger than this are rejected with a diagnostic. Default 64 MiB. */
  maxFileBytes?: number;
  /** YAML documents larger than this are rejected with a diagnostic. Default 16 MiB. */
  maxDocumentBytes?: number;
  /** Deepest nesting of mappings and sequences a document may have. Default 100. */
  maxDepth?: number;
  /** Most nodes a document may expand to through aliases (when it has any). Default 100,000. */
  maxAliasExpansion?: number;
}

/** Namespace defaulting runs after the schema registry is loaded, since scope comes from it. */
export interface NamespaceDefaults {
  /** Namespace for namespaced objects without one (`-n`, else the context's, else `default`). */
  defaultNamespace?: string;
  /** Tells whether a kind is namespaced; undefined (unknown kind) counts as namespaced. */
  isNamespaced?: (gvk: { group: string; version: string; kind: string }) => boolean | undefined;
}
