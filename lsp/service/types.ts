/**
 * What the language service answers, in the core's terms (1-based `SourceRange`s, core
 * `Diagnostic`s). The protocol layer turns these into LSP values in lsp/convert.ts and nowhere
 * else, so the service never sees a 0-based position.
 */
import type { Diagnostic, ObjectRef, Position, SourceRange } from '../../src/index.js';

export type { Diagnostic, Position, SourceRange };

export type CompletionKind = 'field' | 'value' | 'enum' | 'annotation' | 'kind' | 'apiVersion';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label: the type, or where the value comes from. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text that replaces `range`. Snippet syntax when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  range: SourceRange;
  sortText?: string;
  filterText?: string;
  /** Further edits elsewhere (e.g. `kind:` filled in with `apiVersion:`). */
  additionalEdits?: TextEdit[];
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: SourceRange;
  /** On `kind:`/`apiVersion:` of a named object: which one, so the server can add its live state. */
  object?: ObjectRef;
}

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface CodeAction {
  title: string;
  edits: TextEdit[];
  /** The diagnostic it fixes. */
  diagnostic: Diagnostic;
  preferred: boolean;
}

export interface SymbolEntry {
  /** `Kind/name`. */
  name: string;
  /** `apiVersion`, and the namespace when there is one. */
  detail: string;
  uri: string;
  /** The whole object. */
  range: SourceRange;
  /** Its `metadata.name` value, or the `kind:` line. */
  selectionRange: SourceRange;
}
