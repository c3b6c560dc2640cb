/**
 * Quick fixes: replace a misspelled field name, annotation key, enum value, apiVersion or kind
 * with one of its diagnostic's `suggestions` (the "did you mean"), and add a missing required
 * field under its parent with an empty value of the right type.
 */
import type { Diagnostic, GroupVersionKind, JsonPath } from '../../src/index.js';
import type { FeatureContext } from './language-service.js';
import { nodeAt, typeLabel } from './schema-index.js';
import type { CodeAction, TextEdit } from './types.js';
import { lineShape } from './yaml-context.js';

export interface SegmentLines {
  lines: readonly string[];
  /** 1-based file line of `lines[0]`. */
  startLine: number;
  gvk: GroupVersionKind | undefined;
}

const MAX_SUGGESTIONS = 3;

export function codeActions(
  diagnostics: readonly Diagnostic[],
  ctx: FeatureContext,
  segmentAt: (line: number) => SegmentLines | undefined,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const seg = segmentAt(d.range.start.line);
    if (!seg) continue;
    if (d.suggestions && d.suggestions.length > 0 && d.range.start.line === d.range.end.line) {
      const line = seg.lines[d.range.start.line - seg.startLine] ?? '';
      const original = line.slice(d.range.start.column - 1, d.range.end.column - 1);
      const quote = /^["']/.test(original) && original.endsWith(original[0]!) ? original[0]! : '';
      d.suggestions.slice(0, MAX_SUGGESTIONS).forEach((s, i) => {
        out.push({ title: `Change to "${s}"`, edits: [{ range: d.range, newText: `${quote}${s}${quote}` }], diagnostic: d, preferred: i === 0 });
      });
    }
    if (d.rule === 'schema/required') {
      const edit = addRequiredField(d, seg, ctx);
      if (edit) out.push({ title: `Add required field "${edit.name}"`, edits: [edit.edit], diagnostic: d, preferred: true });
    }
  }
  return out;
}

function placeholder(type: string): string {
  if (type.startsWith('[]')) return '[]';
  if (type === 'string' || type === 'IntOrString') return '""';
  if (type === 'integer' || type === 'number') return '0';
  if (type === 'boolean') return 'false';
  if (type.startsWith('map[') || type === 'Object' || /^[A-Z]/.test(type)) return '{}';
  return '""';
}

/** The missing field's name, from the message the validator writes: `missing required field "a.b[0].c"`. */
function missingName(message: string): string | undefined {
  const field = /missing required field "([^"]+)"/.exec(message)?.[1];
  if (field === undefined) return undefined;
  return field.slice(field.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
}

function addRequiredField(d: Diagnostic, seg: SegmentLines, ctx: FeatureContext): { name: string; edit: TextEdit } | undefined {
  const name = missingName(d.message);
  if (name === undefined) return undefined;
  const path: JsonPath = d.path ?? [];
  const root = seg.gvk && ctx.schemas.root(seg.gvk);
  const node = root && nodeAt(root, [...path, name]);
  const value = node ? placeholder(typeLabel(node)) : '""';
  const at = d.range.start.line - seg.startLine;
  const line = seg.lines[at] ?? '';
  const shape = lineShape(line);
  let indent: number;
  let insertAt: number;
  if (path.length === 0) {
    indent = 0;
    insertAt = shape.key !== undefined && shape.keyStart === 0 && shape.dashColumns.length === 0 ? at : at + 1;
  } else if (typeof path[path.length - 1] === 'number' && shape.dashColumns.length > 0) {
    indent = shape.contentColumn;
    insertAt = at + 1;
  } else {
    indent = (shape.key !== undefined ? shape.keyStart : shape.contentColumn) + 2;
    for (let i = at + 1; i < seg.lines.length; i++) {
      const next = lineShape(seg.lines[i]!);
      if (next.empty) continue;
      const col = next.dashColumns[0] ?? next.contentColumn;
      if (col > (shape.key !== undefined ? shape.keyStart : shape.contentColumn)) indent = next.key !== undefined && next.dashColumns.length === 0 ? next.keyStart : indent;
      break;
    }
    insertAt = at + 1;
  }
  const pos = { line: seg.startLine + insertAt, column: 1 };
  return { name, edit: { range: { start: pos, end: pos }, newText: `${' '.repeat(indent)}${name}: ${value}\n` } };
}
