/**
 * A fast path for the YAML that manifests nearly always are: block mappings and sequences of
 * single-line scalars (plain, or quoted without escapes), `{}` and `[]`, comments. It gives the
 * values js-yaml gives with the Kubernetes schema (yaml-schema.ts) for such text, several times
 * faster, above all in a short run, where js-yaml's larger code runs cold.
 *
 * It answers only when it is sure: anything else (flow collections, anchors, aliases, tags, block
 * or multi-line scalars, escapes, tabs, control characters, duplicate keys, keys that are not
 * plain strings, merge keys, directives, deep nesting, any syntax error) gives undefined, and the
 * caller parses the document with js-yaml, which then decides validity and every message.
 * `test/manifest/simple-yaml.test.ts` checks it against js-yaml on generated and real documents.
 */
import { NOT_SIMPLE, resolvePlainScalar } from './yaml-schema.js';

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** A content line: where its first non-space character is, and its column. */
interface Line {
  indent: number;
  start: number;
  end: number;
}

/** Characters that make a document leave the fast path at once (C0 controls but LF, DEL, C1, line and byte-order marks, tabs, CR). */
const UNSUPPORTED_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
/** Plain keys that are strings whatever the schema: letters, digits and `._/-`, not starting with `-`. */
const PLAIN_KEY = /^[A-Za-z0-9._/][A-Za-z0-9._/-]*$/;

class Bail {}
const BAIL = new Bail();

/**
 * The single document's value, or undefined when the text is not in the subset (js-yaml decides).
 * `resolve` gives a plain scalar's value (Kubernetes' rules by default; a kubeconfig passes its
 * own), or NOT_SIMPLE to leave the document to js-yaml.
 */
export function parseSimpleDocument(
  text: string,
  maxDepth: number,
  resolve: (raw: string) => unknown = resolvePlainScalar,
): { value: unknown } | undefined {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  const lines = contentLines(text);
  if (lines === undefined || lines.length === 0) return undefined;
  const parser = new Parser(text, lines, Math.floor(maxDepth / 2), resolve);
  try {
    const value = parser.node(lines[0]!.indent, 0);
    if (parser.at !== lines.length) return undefined;
    return { value };
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

/** Lines holding more than spaces and a comment; a leading `---` line is dropped. Undefined for directives and markers. */
function contentLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  let lineStart = 0;
  const length = text.length;
  let first = true;
  while (lineStart < length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = length;
    let start = lineStart;
    while (start < end && text.charCodeAt(start) === SPACE) start++;
    if (start < end && text.charCodeAt(start) !== HASH) {
      if (start === lineStart) {
        const c = text.charCodeAt(start);
        if (c === 37 /* % */) return undefined;
        if (text.startsWith('---', start) || text.startsWith('...', start)) {
          const rest = text.slice(start + 3, end);
          const marker = rest === '' || rest.charCodeAt(0) === SPACE;
          if (marker) {
            // Only a document's opening `---` (with nothing after it but a comment) is taken.
            const after = rest.trimStart();
            if (!first || text.charCodeAt(start) !== DASH || (after !== '' && after.charCodeAt(0) !== HASH)) return undefined;
            lineStart = end + 1;
            first = false;
            continue;
          }
        }
      }
      lines.push({ indent: start - lineStart, start, end });
      first = false;
    }
    lineStart = end + 1;
  }
  return lines;
}

/**
 * Whether a plain key reads as the string it is (`resolvePlainScalar(key) === key`), without the
 * lookups for the long keys that cannot be anything else: every null and boolean spelling has at
 * most 5 characters, and a number starts with a digit, a sign or a dot.
 */
function staysString(key: string): boolean {
  const c = key.charCodeAt(0);
  if (key.length > 5 && c !== 43 && c !== 45 && c !== 46 && (c < 48 || c > 57)) return true;
  return resolvePlainScalar(key) === key;
}

class Parser {
  at = 0;
  /** The next ` #` at or after #commentFrom (-1: none; -2: not searched yet). */
  #comment = -2;
  #commentFrom = 0;
  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    private readonly maxDepth: number,
    private readonly resolve: (raw: string) => unknown,
  ) {}

  /** The collection starting at the current line, whose column is `indent`. */
  node(indent: number, depth: number): unknown {
    if (depth > this.maxDepth) throw BAIL;
    const line = this.lines[this.at]!;
    if (line.indent !== indent) throw BAIL;
    if (this.isItem(line)) return this.sequence(indent, depth);
    return this.mapping(indent, depth);
  }

  isItem(line: Line): boolean {
    if (this.text.charCodeAt(line.start) !== DASH) return false;
    const next = line.start + 1;
    return next === line.end || this.text.charCodeAt(next) === SPACE;
  }

  mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const text = this.text;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent || this.isItem(line)) throw BAIL;
      const colon = text.indexOf(':', line.start);
      if (colon < 0 || colon >= line.end) throw BAIL;
      const key = text.slice(line.start, colon);
      const afterColon = colon + 1;
      if (afterColon < line.end && text.charCodeAt(afterColon) !== SPACE) throw BAIL;
      if (!PLAIN_KEY.test(key) || key === '__proto__' || !staysString(key) || Object.prototype.hasOwnProperty.call(out, key)) throw BAIL;
      const valueStart = skipSpaces(text, afterColon, line.end);
      this.at++;
      if (valueStart === line.end || text.charCodeAt(valueStart) === HASH) {
        out[key] = this.nested(indent, depth, true);
      } else {
        out[key] = this.inline(valueStart, line.end);
        this.noContinuation(indent);
      }
    }
    return out;
  }

  sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    const text = this.text;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent) throw BAIL;
      if (!this.isItem(line)) break; // the mapping holding this sequence goes on
      const valueStart = skipSpaces(text, line.start + 1, line.end);
      if (valueStart === line.end || text.charCodeAt(valueStart) === HASH) {
        this.at++;
        out.push(this.nested(indent, depth, false));
        continue;
      }
      const column = line.indent + (valueStart - line.start);
      const c = text.charCodeAt(valueStart);
      if (c === DASH && (valueStart + 1 === line.end || text.charCodeAt(valueStart + 1) === SPACE)) throw BAIL; // `- - x`
      if (this.startsEntry(valueStart, line.end)) {
        // `- key: value`: a mapping whose column is that of its first key.
        this.lines[this.at] = { indent: column, start: valueStart, end: line.end };
        out.push(this.node(column, depth + 1));
        continue;
      }
      this.at++;
      out.push(this.inline(valueStart, line.end));
      this.noContinuation(indent);
    }
    return out;
  }

  /** Whether a mapping entry (`key:` then a space or the end of the line) starts here. */
  startsEntry(start: number, end: number): boolean {
    const text = this.text;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) return i + 1 === end || text.charCodeAt(i + 1) === SPACE;
      if (c === SPACE || c === 34 /* " */ || c === 39 /* ' */ || c === 123 /* { */ || c === 91 /* [ */) return false;
    }
    return false;
  }

  /**
   * The value of a `key:` or `-` with nothing after it: the block below (more indented, or for a
   * mapping's key a sequence in the key's column), else null.
   */
  nested(indent: number, depth: number, inMapping: boolean): unknown {
    const next = this.lines[this.at];
    if (next === undefined || next.indent < indent) return null;
    if (next.indent > indent) return this.node(next.indent, depth + 1);
    if (inMapping && this.isItem(next)) return this.sequence(indent, depth + 1);
    return null;
  }

  /** A scalar after a value has been read on its line: the next line must not be more indented (a continuation, or an error). */
  noContinuation(indent: number): void {
    const next = this.lines[this.at];
    if (next !== undefined && next.indent > indent) throw BAIL;
  }

  /** A single-line value: a quoted or plain scalar, `{}` or `[]`, with an optional comment after it. */
  inline(start: number, end: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 34 /* " */) {
      const close = text.indexOf('"', start + 1);
      if (close < 0 || close >= end) throw BAIL;
      const value = text.slice(start + 1, close);
      if (value.includes('\\')) throw BAIL;
      this.onlyComment(close + 1, end);
      return value;
    }
    if (c === 39 /* ' */) {
      let i = start + 1;
      for (;;) {
        const q = text.indexOf("'", i);
        if (q < 0 || q >= end) throw BAIL;
        if (text.charCodeAt(q + 1) === 39 && q + 1 < end) {
          i = q + 2;
          continue;
        }
        this.onlyComment(q + 1, end);
        return text.slice(start + 1, q).replaceAll("''", "'");
      }
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const closing = c === 123 ? 125 : 93;
      if (text.charCodeAt(start + 1) !== closing) throw BAIL;
      this.onlyComment(start + 2, end);
      return c === 123 ? {} : [];
    }
    // Indicators that start something else than a plain scalar (or one that is not worth the risk).
    if ('&*!|>%@`,?:#]}<'.includes(text[start]!)) throw BAIL;
    if (c === DASH && (start + 1 === end || text.charCodeAt(start + 1) === SPACE)) throw BAIL;
    let stop = end;
    const comment = this.commentAfter(start);
    if (comment >= 0 && comment < end) stop = comment;
    while (stop > start && text.charCodeAt(stop - 1) === SPACE) stop--;
    const raw = text.slice(start, stop);
    if (raw.includes(': ') || raw.endsWith(':') || raw.includes(' #')) throw BAIL;
    const value = this.resolve(raw);
    if (value === NOT_SIMPLE) throw BAIL;
    return value;
  }

  /**
   * `text.indexOf(' #', start)`, remembered: searched from every scalar's start, it scanned the
   * rest of the document each time when there is no comment (most documents), quadratic in its size.
   */
  commentAfter(start: number): number {
    if (this.#comment === -2 || start < this.#commentFrom || (this.#comment >= 0 && this.#comment < start)) {
      this.#comment = this.text.indexOf(' #', start);
      this.#commentFrom = start;
    }
    return this.#comment;
  }

  /** After a closed scalar: only spaces, then optionally a comment that a space separates. */
  onlyComment(from: number, end: number): void {
    const text = this.text;
    const i = skipSpaces(text, from, end);
    if (i === end) return;
    if (text.charCodeAt(i) === HASH && i > from) return;
    throw BAIL;
  }
}

function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}
