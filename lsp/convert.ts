/**
 * THE conversion point between kd's core and the Language Server Protocol: core positions are
 * 1-based (line and UTF-16 column, as the `yaml` library counts), LSP positions are 0-based
 * (line and UTF-16 character, the protocol's default encoding). Nothing else in kd-lsp adds or
 * subtracts one. Diagnostics carry their core fields in `data` so that code actions get back
 * exactly what the service produced.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CodeAction as LspCodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Hover,
  type Position as LspPosition,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
  type WorkspaceSymbol,
} from 'vscode-languageserver';
import type { Diagnostic, Position, Severity, SourceRange } from '../src/index.js';
import type { CodeAction, CompletionEntry, CompletionKind, HoverResult, SymbolEntry, TextEdit } from './service/types.js';

export function toLspPosition(p: Position): LspPosition {
  return { line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1) };
}

export function toCorePosition(p: LspPosition): Position {
  return { line: p.line + 1, column: p.character + 1 };
}

export function toLspRange(r: SourceRange): LspRange {
  return { start: toLspPosition(r.start), end: toLspPosition(r.end) };
}

export function toCoreRange(r: LspRange): SourceRange {
  return { start: toCorePosition(r.start), end: toCorePosition(r.end) };
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The core fields a diagnostic keeps in `data`, for code actions. */
interface DiagnosticData {
  kd: 1;
  rule: string;
  file: string;
  severity: Severity;
  path?: Diagnostic['path'];
  suggestions?: string[];
  documentIndex?: number;
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const data: DiagnosticData = { kd: 1, rule: d.rule, file: d.file, severity: d.severity };
  if (d.path !== undefined) data.path = d.path;
  if (d.suggestions !== undefined) data.suggestions = d.suggestions;
  if (d.documentIndex !== undefined) data.documentIndex = d.documentIndex;
  return { range: toLspRange(d.range), severity: severities[d.severity], code: d.rule, source: 'kd', message: d.message, data };
}

/** A diagnostic sent back by the client (in a code action request), as the core produced it. */
export function fromLspDiagnostic(d: LspDiagnostic): Diagnostic | undefined {
  const data = d.data as DiagnosticData | undefined;
  if (d.source !== 'kd' || data?.kd !== 1) return undefined;
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  const out: Diagnostic = { severity: data.severity, rule: data.rule, message, file: data.file, range: toCoreRange(d.range) };
  if (data.path !== undefined) out.path = data.path;
  if (data.suggestions !== undefined) out.suggestions = data.suggestions;
  if (data.documentIndex !== undefined) out.documentIndex = data.documentIndex;
  return out;
}

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  annotation: CompletionItemKind.Keyword,
  kind: CompletionItemKind.Class,
  apiVersion: CompletionItemKind.Module,
};

export function toLspTextEdit(e: TextEdit): LspTextEdit {
  return { range: toLspRange(e.range), newText: e.newText };
}

export function toLspCompletionItem(e: CompletionEntry): CompletionItem {
  const item: CompletionItem = {
    label: e.label,
    kind: completionKinds[e.kind],
    textEdit: { range: toLspRange(e.range), newText: e.insertText },
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // Inserted text carries its own indentation; editors must not add the line's again.
    insertTextMode: InsertTextMode.asIs,
  };
  if (e.detail !== undefined) item.detail = e.detail;
  if (e.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
  if (e.sortText !== undefined) item.sortText = e.sortText;
  if (e.filterText !== undefined) item.filterText = e.filterText;
  if (e.additionalEdits !== undefined) item.additionalTextEdits = e.additionalEdits.map(toLspTextEdit);
  return item;
}

export function toLspHover(h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toLspRange(h.range) };
}

export function toLspCodeAction(a: CodeAction, uri: string): LspCodeAction {
  return {
    title: a.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toLspDiagnostic(a.diagnostic)],
    isPreferred: a.preferred,
    edit: { changes: { [uri]: a.edits.map(toLspTextEdit) } },
  };
}

export function toLspDocumentSymbol(s: SymbolEntry): DocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SymbolKind.Object, range: toLspRange(s.range), selectionRange: toLspRange(s.selectionRange) };
}

export function toLspWorkspaceSymbol(s: SymbolEntry): WorkspaceSymbol {
  return { name: s.name, containerName: s.detail, kind: SymbolKind.Object, location: { uri: s.uri, range: toLspRange(s.selectionRange) } };
}
