/**
 * Where the cursor is in a YAML document, read from indentation rather than from a parse tree:
 * completion runs on text that is being typed (`kd.io/` with no colon yet), which a parser
 * rejects or shapes unpredictably. Block style only: flow mappings (`{a: 1}`) and multi-line
 * keys are not followed. Lines and columns here are 0-based offsets inside one segment's lines;
 * the language service turns them into 1-based core positions.
 */
import type { JsonPath } from '../../src/index.js';

export interface LineShape {
  /** Column of the first character after the indentation and any `- ` list markers. */
  contentColumn: number;
  /** Columns of the `-` list markers on the line, outermost first. */
  dashColumns: number[];
  /** The key, unquoted, when the line has `key:`. */
  key?: string;
  keyStart: number;
  keyEnd: number;
  /** Where the value starts (after `: `), when the line has a key; -1 otherwise. */
  valueStart: number;
  /** The value text up to a comment, trimmed; '' when none. */
  value: string;
  /** The line is blank or only a comment. */
  empty: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[][^#]*?)[ \t]*:(?=[ \t]|$)/;

export function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

export function lineShape(line: string): LineShape {
  const shape: LineShape = { contentColumn: 0, dashColumns: [], keyStart: -1, keyEnd: -1, valueStart: -1, value: '', empty: false };
  let col = 0;
  while (col < line.length && (line[col] === ' ' || line[col] === '\t')) col++;
  for (;;) {
    if (line[col] === '-' && (col + 1 === line.length || line[col + 1] === ' ' || line[col + 1] === '\t')) {
      shape.dashColumns.push(col);
      col++;
      while (col < line.length && (line[col] === ' ' || line[col] === '\t')) col++;
      continue;
    }
    break;
  }
  shape.contentColumn = col;
  const rest = line.slice(col);
  if (rest.trim() === '' || rest.trimStart().startsWith('#')) {
    shape.empty = shape.dashColumns.length === 0;
    return shape;
  }
  const m = KEY.exec(rest);
  if (m) {
    const raw = m[1]!;
    shape.key = unquote(raw.trim());
    shape.keyStart = col;
    shape.keyEnd = col + raw.trimEnd().length;
    let v = col + m[0].length;
    while (v < line.length && (line[v] === ' ' || line[v] === '\t')) v++;
    shape.valueStart = v;
    shape.value = stripComment(line.slice(v)).trim();
  } else {
    shape.value = stripComment(rest).trim();
  }
  return shape;
}

function stripComment(text: string): string {
  if (text.startsWith('"') || text.startsWith("'")) return text;
  const hash = text.search(/(^|[ \t])#/);
  return hash < 0 ? text : text.slice(0, hash);
}

export interface CursorContext {
  /** Path of the mapping (or list item) that holds the cursor. */
  parent: JsonPath;
  /** `key`: the cursor is where a key goes; `value`: after `key: `. */
  at: 'key' | 'value';
  /** For `value`: the key whose value is being typed. */
  key?: string;
  /** The word being typed and its columns, for the completion's replace range. */
  partial: string;
  partialStart: number;
  partialEnd: number;
  /** Keys already present in the parent mapping (so completion can leave them out). */
  siblings: string[];
}

/**
 * Walks up from `lineIndex` to find the chain of parents of something at `indent`: keys with less
 * indentation, and list items (`- `) whose dash has less indentation.
 */
export function parentPath(lines: readonly string[], lineIndex: number, indent: number): JsonPath {
  const out: Array<string | number> = [];
  let current = indent;
  let afterDash = false;
  for (let i = lineIndex - 1; i >= 0; i--) {
    const raw = lines[i]!;
    if (/^(---|\.\.\.)([ \t]|$)/.test(raw)) break;
    const shape = lineShape(raw);
    if (shape.empty) continue;
    // Innermost structure first: the key on this line, then its dashes from the innermost out.
    if (shape.key !== undefined && (shape.keyStart < current || (afterDash && shape.keyStart <= current && shape.value === ''))) {
      if (shape.value === '' || shape.value === '|' || shape.value === '>') {
        out.push(shape.key);
        current = shape.keyStart;
        afterDash = false;
      } else {
        // A scalar-valued key with less indentation ends the search for parents at this level.
        current = shape.keyStart;
      }
    }
    for (let d = shape.dashColumns.length - 1; d >= 0; d--) {
      const dash = shape.dashColumns[d]!;
      if (dash < current) {
        out.push(countItemsAbove(lines, i, dash));
        current = dash;
        afterDash = true;
      }
    }
    if (current === 0 && !afterDash) break;
  }
  return out.reverse();
}

/** The index of the list item whose dash is at `column` on `lineIndex`. */
function countItemsAbove(lines: readonly string[], lineIndex: number, column: number): number {
  let count = 0;
  for (let i = lineIndex - 1; i >= 0; i--) {
    const shape = lineShape(lines[i]!);
    if (shape.empty) continue;
    if (shape.dashColumns.includes(column)) {
      count++;
      continue;
    }
    const first = shape.dashColumns[0] ?? shape.contentColumn;
    if (first <= column) break;
  }
  return count;
}

/** Keys at `indent` in the mapping that holds line `lineIndex` (scanning both ways). */
function siblingKeys(lines: readonly string[], lineIndex: number, indent: number): string[] {
  const keys: string[] = [];
  const scan = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const raw = lines[i]!;
      if (/^(---|\.\.\.)([ \t]|$)/.test(raw)) break;
      const shape = lineShape(raw);
      if (shape.empty) continue;
      const first = shape.dashColumns[0] ?? shape.contentColumn;
      if (first < indent) {
        // `- name: web` opens the mapping its key belongs to.
        if (step < 0 && shape.keyStart === indent && shape.key !== undefined) keys.push(shape.key);
        break;
      }
      if (first === indent && shape.dashColumns.length > 0) break;
      if (shape.keyStart === indent && shape.key !== undefined) keys.push(shape.key);
    }
  };
  scan(lineIndex - 1, -1);
  scan(lineIndex + 1, 1);
  return keys;
}

/** The cursor context at `column` (0-based) on `lineIndex` (0-based) of a segment's lines. */
export function cursorContext(lines: readonly string[], lineIndex: number, column: number): CursorContext {
  const line = (lines[lineIndex] ?? '').slice(0, column);
  const shape = lineShape(line);
  let parent = parentPath(lines, lineIndex, shape.dashColumns[0] ?? shape.contentColumn);
  // Dashes on the cursor's own line open list items that hold the cursor.
  if (shape.dashColumns.length > 0) {
    const extra: number[] = [];
    for (let d = 0; d < shape.dashColumns.length; d++) extra.push(d === 0 ? countItemsAbove(lines, lineIndex, shape.dashColumns[0]!) : 0);
    parent = [...parent, ...extra];
  }
  if (shape.key !== undefined && shape.valueStart >= 0 && column >= shape.valueStart) {
    const partial = line.slice(shape.valueStart);
    return {
      parent,
      at: 'value',
      key: shape.key,
      partial,
      partialStart: shape.valueStart,
      partialEnd: wordEnd(lines[lineIndex] ?? '', column),
      siblings: [],
    };
  }
  const partial = line.slice(shape.contentColumn);
  const fullLine = lines[lineIndex] ?? '';
  const full = lineShape(fullLine);
  const end = full.key !== undefined && full.keyStart === shape.contentColumn ? full.keyEnd : wordEnd(fullLine, column);
  const siblings = siblingKeys(lines, lineIndex, shape.contentColumn).filter((k) => k !== full.key);
  return { parent, at: 'key', partial, partialStart: shape.contentColumn, partialEnd: Math.max(end, column), siblings };
}

function wordEnd(line: string, column: number): number {
  let end = column;
  while (end < line.length && !/[\s:#]/.test(line[end]!)) end++;
  return end;
}

export interface NodeAtCursor {
  /** Path of the key or value under the cursor. */
  path: JsonPath;
  target: 'key' | 'value';
  key: string;
  value: string;
  keyStart: number;
  keyEnd: number;
}

/** The key or value under the cursor, for hover; undefined on blank lines, comments and dashes. */
export function nodeAtCursor(lines: readonly string[], lineIndex: number, column: number): NodeAtCursor | undefined {
  const raw = lines[lineIndex] ?? '';
  const shape = lineShape(raw);
  if (shape.key === undefined || column < shape.keyStart) return undefined;
  let parent = parentPath(lines, lineIndex, shape.dashColumns[0] ?? shape.contentColumn);
  if (shape.dashColumns.length > 0) parent = [...parent, countItemsAbove(lines, lineIndex, shape.dashColumns[0]!), ...shape.dashColumns.slice(1).map(() => 0)];
  const target = column <= shape.keyEnd ? 'key' : 'value';
  return { path: [...parent, shape.key], target, key: shape.key, value: shape.value, keyStart: shape.keyStart, keyEnd: shape.keyEnd };
}
