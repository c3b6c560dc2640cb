/**
 * YAML and JSON text to manifests plus diagnostics. Never throws and never hangs on user input:
 * broken documents are dropped with a positioned diagnostic and the rest of the file still loads.
 *
 * Steps, per file (files are independent, so a caller may spread them over threads):
 *  1. reject files over the size limit;
 *  2. split the text into documents by line scan (split-documents.ts);
 *  3. parse each document fast, without positions (parse-document.ts);
 *  4. flatten `*List` kinds, read each object's identity (identity.ts);
 *  5. give each manifest a `locate` that parses its document with positions on first use
 *     (source-map.ts), cached per file; objects rendered by kustomize locate into their origin.
 * Empty documents (only comments, or `---` alone) are skipped silently.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { LoadOptions, LoadResult, Manifest, RenderedOrigin, SourceText } from '../model/manifest.js';
import type { ObjectRef } from '../model/object-ref.js';
import { FILE_START, type JsonPath, type SourceRange } from '../model/source.js';
import { describeType, isMapping, listItems, readIdentity } from './identity.js';
import { parseDocument, type DocumentLimits } from './parse-document.js';
import { FileSourceMap } from './source-map.js';
import { splitDocuments, type DocumentSlice } from './split-documents.js';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_MAX_ALIAS_EXPANSION = 100_000;
const DEFAULT_LIMITS: DocumentLimits = { maxDepth: DEFAULT_MAX_DEPTH, maxAliasExpansion: DEFAULT_MAX_ALIAS_EXPANSION };

/** UTF-8 length of a string, counted only up to `limit + 1` (enough to compare with a limit). */
export function utf8Length(text: string, start = 0, end = text.length, limit = Infinity): number {
  let bytes = 0;
  for (let i = start; i < end && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function exceeds(text: string, start: number, end: number, limit: number): boolean {
  const units = end - start;
  if (units * 3 <= limit) return false;
  if (units > limit) return true;
  return utf8Length(text, start, end, limit) > limit;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The sources' manifests and diagnostics, appended to `into` when given (a caller loading file by file). */
export function loadManifests(sources: readonly SourceText[], options: LoadOptions = {}, into: LoadResult = { manifests: [], diagnostics: [] }): LoadResult {
  for (let i = 0; i < sources.length; i++) loadSource(sources[i]!, options, into.manifests, into.diagnostics);
  return into;
}

/** Positions for a rendered document's origin, or undefined when the origin is not known exactly. */
interface OriginLocation {
  file: string;
  documentIndex: number;
  map: FileSourceMap;
  slice: DocumentSlice;
}

function loadSource(source: SourceText, options: LoadOptions, manifests: Manifest[], diagnostics: Diagnostic[]): void {
  const file = source.path;
  const text = source.text;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxDocumentBytes = options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const limits: DocumentLimits =
    options.maxDepth === undefined && options.maxAliasExpansion === undefined
      ? DEFAULT_LIMITS
      : { maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, maxAliasExpansion: options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION };
  const rendered = source.rendered;
  // Rendered text is not the user's: problems in it are reported against the kustomization.
  const reportFile = rendered?.kustomization ?? file;
  if (exceeds(text, 0, text.length, maxFileBytes)) {
    diagnostics.push({
      severity: 'error',
      rule: 'input/too-large',
      message: `the file is larger than the limit of ${formatBytes(maxFileBytes)}; it was not read`,
      file: reportFile,
      range: FILE_START,
    });
    return;
  }
  const map = new FileSourceMap(text);
  // Rendered text only (kustomize): the files its documents came from.
  const originMaps = rendered ? new Map<string, { map: FileSourceMap; slices: DocumentSlice[] }>() : undefined;
  const originOf = (origin: RenderedOrigin | undefined): OriginLocation | undefined => {
    if (originMaps === undefined || origin?.text === undefined || origin.documentIndex === undefined) return undefined;
    let entry = originMaps.get(origin.path);
    if (!entry) {
      entry = { map: new FileSourceMap(origin.text), slices: splitDocuments(origin.text) };
      originMaps.set(origin.path, entry);
    }
    const slice = entry.slices.find((s) => s.index === origin.documentIndex);
    return slice && { file: origin.path, documentIndex: origin.documentIndex, map: entry.map, slice };
  };
  const rangeAt = (offset: number): SourceRange => (rendered ? FILE_START : map.positions.tokenRange(offset));

  const slices = splitDocuments(text);
  for (let s = 0; s < slices.length; s++) {
    const slice = slices[s]!;
    if (slice.empty) continue;
    if (exceeds(text, slice.start, slice.end, maxDocumentBytes)) {
      diagnostics.push({
        severity: 'error',
        rule: 'input/too-large',
        message: `document ${slice.index + 1} is larger than the limit of ${formatBytes(maxDocumentBytes)}; it was skipped`,
        file: reportFile,
        range: rangeAt(slice.start),
        documentIndex: slice.index,
      });
      continue;
    }
    const parsed = parseDocument(text.slice(slice.start, slice.end), limits);
    if (!parsed.ok) {
      diagnostics.push({
        severity: 'error',
        rule: parsed.problem.rule,
        message: parsed.problem.message,
        file: reportFile,
        range: rangeAt(slice.start + parsed.problem.offset),
        documentIndex: slice.index,
      });
      continue;
    }
    const origin = rendered?.origins[slice.index];
    const located = rendered ? originOf(origin) : undefined;
    const values = parsed.values;
    for (let v = 0; v < values.length; v++) {
      const value = values[v];
      if (value === null || value === undefined) continue;
      const context: ObjectContext = {
        file: located?.file ?? reportFile,
        documentIndex: located?.documentIndex ?? slice.index,
        locateAt: located
          ? (path, target) => located.map.locate(located.slice, path, target)
          : rendered
            ? () => FILE_START
            : (path, target) => map.locate(slice, path, target),
        rootLine: located || rendered ? undefined : () => map.rootLine(slice),
        origin: rendered && origin ? { path: origin.path, kustomization: rendered.kustomization } : undefined,
      };
      addObject(value, [], undefined, context, manifests, diagnostics);
    }
  }
}

interface ObjectContext {
  file: string;
  documentIndex: number;
  /** Locates a path from the document root. */
  locateAt: (path: JsonPath, target?: 'key' | 'value') => SourceRange;
  /** The root's line by a cheap scan, when the object is the document's root in the user's text. */
  rootLine: (() => number) | undefined;
  origin: Manifest['origin'];
}

function problem(context: ObjectContext, prefix: JsonPath, rule: string, message: string, path: JsonPath, object?: ObjectRef): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    rule,
    message,
    file: context.file,
    range: context.locateAt([...prefix, ...path]),
    documentIndex: context.documentIndex,
  };
  if (path.length > 0) d.path = path;
  if (object) d.object = object;
  return d;
}

function addObject(
  value: unknown,
  prefix: JsonPath,
  listIndex: number | undefined,
  context: ObjectContext,
  manifests: Manifest[],
  diagnostics: Diagnostic[],
): void {
  if (!isMapping(value)) {
    diagnostics.push(problem(context, prefix, 'manifest/not-an-object', `a Kubernetes object must be a mapping, not ${describeType(value)}`, []));
    return;
  }
  const items = listItems(value);
  if (items) {
    items.forEach((item, i) => addObject(item, [...prefix, 'items', i], listIndex ?? i, context, manifests, diagnostics));
    return;
  }
  const identity = readIdentity(value);
  for (let i = 0; i < identity.problems.length; i++) {
    const p = identity.problems[i]!;
    diagnostics.push(problem(context, prefix, 'manifest/missing-field', p.message, p.path, identity.ref));
  }
  if (!identity.ref) return;
  const locateAt = context.locateAt;
  const manifest: Manifest = {
    object: value,
    ref: identity.ref,
    file: context.file,
    documentIndex: context.documentIndex,
    locate: prefix.length === 0 ? locateAt : (path, target) => locateAt([...prefix, ...path], target),
  };
  if (listIndex !== undefined) manifest.listIndex = listIndex;
  else if (prefix.length === 0 && context.rootLine) manifest.startLine = context.rootLine;
  if (context.origin) manifest.origin = context.origin;
  manifests.push(manifest);
}
