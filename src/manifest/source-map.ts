/**
 * Lazy source positions for one file: JSON paths to 1-based ranges. A document is parsed with
 * the `yaml` library (which keeps node ranges) only when something asks for a position in it,
 * and at most once; documents nobody asks about are never parsed twice.
 *
 * The fast loader (js-yaml) decides what a document's value is and whether it is valid; this
 * module only finds positions, so it parses with the failsafe schema (every scalar a string),
 * resolves plain keys with the same rules as the loader, ignores the `yaml` library's own
 * errors, and follows aliases and merge keys (`<<`) the way the loader built the value.
 * Limits: keys that are collections are never matched.
 *
 * `yaml` itself is loaded with the first position asked for (yaml-library.ts): a run that reports
 * no problem never loads it, and `locate` stays synchronous.
 */
import type { Document, Node, Pair } from 'yaml';
import type { JsonPath, SourceRange } from '../model/source.js';
import type { DocumentSlice } from './split-documents.js';
import { TextPositions } from './text-positions.js';
import { yamlLibrary } from './yaml-library.js';
import { keyName, resolvePlainScalar } from './yaml-schema.js';

type Span = readonly [start: number, end: number];

/** Bounds the walk through aliases and merge keys, whose targets the loader has already bounded. */
const MAX_ALIAS_HOPS = 64;

export class FileSourceMap {
  readonly positions: TextPositions;
  readonly #documents = new Map<number, Document.Parsed>();

  constructor(text: string) {
    this.positions = new TextPositions(text);
  }

  get text(): string {
    return this.positions.text;
  }

  /** The range of `path` (see `Manifest.locate`) in the document `slice`. Never throws. */
  locate(slice: DocumentSlice, path: JsonPath, target: 'key' | 'value' = 'value'): SourceRange {
    let span: Span | undefined;
    try {
      span = locateSpan(this.#document(slice), path, target);
    } catch {
      span = undefined;
    }
    if (!span) return this.positions.range(slice.start, slice.start);
    const start = slice.start + span[0];
    let end = slice.start + span[1];
    // Block collections end after their last line break; a range should end with its content.
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return this.positions.range(start, end);
  }

  /**
   * The line where the document's root starts, as `locate(slice, []).start.line` gives it, by a
   * scan of the document's lines: enough for the common case, a top-level block mapping whose
   * first key is a plain scalar. Anything else the scan does not settle (flow, tagged, anchored or
   * quoted roots, content on the `---` line, tabs in the indentation) goes to `locate`.
   */
  rootLine(slice: DocumentSlice): number {
    return this.#scanRootLine(slice) ?? this.locate(slice, []).start.line;
  }

  #scanRootLine(slice: DocumentSlice): number | undefined {
    if (slice.empty) return undefined;
    const text = this.text;
    let lineStart = slice.start;
    while (lineStart < slice.end) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0 || lineEnd > slice.end) lineEnd = slice.end;
      const at = lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 1 : lineStart;
      if (text.startsWith('%', at)) {
        // A directive.
      } else if (text.startsWith('---', at) && (at + 3 >= lineEnd || /[ \t\r]/.test(text[at + 3]!))) {
        if (!restIsBlank(text, at + 3, lineEnd)) return undefined;
      } else {
        let i = at;
        while (i < lineEnd && text[i] === ' ') i++;
        const c = text[i];
        if (c === '\t') return undefined;
        if (i < lineEnd && c !== '\r' && c !== '#') return /[A-Za-z0-9_]/.test(c ?? '') ? this.positions.position(i).line : undefined;
      }
      lineStart = lineEnd + 1;
    }
    return undefined;
  }

  #document(slice: DocumentSlice): Document.Parsed {
    let doc = this.#documents.get(slice.start);
    if (!doc) {
      doc = yamlLibrary().parseDocument(this.text.slice(slice.start, slice.end), {
        schema: 'failsafe',
        uniqueKeys: false,
        strict: false,
        prettyErrors: false,
      });
      this.#documents.set(slice.start, doc);
    }
    return doc;
  }
}

function spanOf(node: Node | null | undefined): Span | undefined {
  if (!node?.range) return undefined;
  return [node.range[0], node.range[1]];
}

function deref(node: unknown, doc: Document.Parsed): unknown {
  const { isAlias } = yamlLibrary();
  let current = node;
  for (let hops = 0; isAlias(current) && hops < MAX_ALIAS_HOPS; hops++) current = current.resolve(doc);
  return current;
}

function keyOf(key: unknown): string | undefined {
  const { isScalar, Scalar } = yamlLibrary();
  if (!isScalar(key)) return undefined;
  const raw = key.value;
  if (key.type === Scalar.PLAIN && key.tag === undefined && typeof raw === 'string') return keyName(resolvePlainScalar(raw));
  return keyName(raw);
}

function findPair(map: unknown, name: string, doc: Document.Parsed, hops = 0): Pair<unknown, unknown> | undefined {
  const { isMap, isScalar, isSeq, Scalar } = yamlLibrary();
  if (!isMap(map) || hops > MAX_ALIAS_HOPS) return undefined;
  const merges: unknown[] = [];
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]!;
    const key = keyOf(pair.key);
    if (key === name) return pair;
    if (key === '<<' && isScalar(pair.key) && pair.key.type === Scalar.PLAIN) merges.unshift(pair.value);
  }
  // Explicit keys win over merged ones; among merged maps the first listed wins.
  for (const merge of merges) {
    const target = deref(merge, doc);
    const sources = isSeq(target) ? target.items.map((item) => deref(item, doc)) : [target];
    for (const source of sources) {
      const pair = findPair(source, name, doc, hops + 1);
      if (pair) return pair;
    }
  }
  return undefined;
}

/** Where to point at a node as a whole without underlining all of it: its first key or item. */
function anchorSpan(node: unknown, doc: Document.Parsed): Span | undefined {
  const { isMap, isPair, isSeq } = yamlLibrary();
  const resolved = deref(node, doc);
  if (isMap(resolved) && resolved.items.length > 0) {
    const first = resolved.items[0]!;
    return spanOf(first.key as Node) ?? spanOf(resolved);
  }
  if (isSeq(resolved) && resolved.items.length > 0) return anchorSpan(resolved.items[0], doc) ?? spanOf(resolved);
  return spanOf(isPair(node) ? undefined : (node as Node));
}

function locateSpan(doc: Document.Parsed, path: JsonPath, target: 'key' | 'value'): Span | undefined {
  const { isMap, isSeq } = yamlLibrary();
  let node: unknown = doc.contents;
  let keySpan: Span | undefined;
  for (const segment of path) {
    const container = deref(node, doc);
    if (isMap(container)) {
      const pair = findPair(container, String(segment), doc);
      if (!pair) return keySpan ?? anchorSpan(container, doc);
      keySpan = spanOf(pair.key as Node);
      node = pair.value;
    } else if (isSeq(container) && typeof segment === 'number' && segment >= 0 && segment < container.items.length) {
      keySpan = undefined;
      node = container.items[segment];
    } else {
      return keySpan ?? anchorSpan(container, doc);
    }
  }
  const valueSpan = spanOf(node as Node | null);
  const emptyValue = !valueSpan || valueSpan[0] === valueSpan[1];
  if (target === 'key') return keySpan ?? (emptyValue ? anchorSpan(node, doc) : valueSpan);
  return emptyValue ? keySpan ?? anchorSpan(node, doc) : valueSpan;
}

/** Only white space or a comment from `from` to the end of the line. */
function restIsBlank(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '#') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}
