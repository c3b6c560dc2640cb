/**
 * Diagnostics: the one currency of problems found in user input. Loaders and validators never
 * throw on bad input; they return values together with diagnostics, and drop only what is broken.
 */
import type { JsonPath, SourceRange } from './source.js';
import type { ObjectRef } from './object-ref.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable rule id, `area/name`, e.g. `schema/unknown-field`, `yaml/syntax`, `annotation/unknown-key`. */
  rule: string;
  /** One sentence: what is wrong, and where useful how to fix it ("did you mean ...?"). */
  message: string;
  /** The file as the user named it; `<stdin>` for standard input. */
  file: string;
  range: SourceRange;
  /** The object the problem belongs to, when one was identified. */
  object?: ObjectRef;
  /** Path inside the object, when the problem is about a field. */
  path?: JsonPath;
  /** Index of the YAML document in its file (0-based), when known. */
  documentIndex?: number;
  /** Replacement suggestions (used for LSP code actions): e.g. the correct key for a misspelling. */
  suggestions?: string[];
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for output: file, then position, then severity, then rule, then message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.column !== b.range.start.column) return a.range.start.column - b.range.start.column;
  if (a.severity !== b.severity) return severityOrder[a.severity] - severityOrder[b.severity];
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
