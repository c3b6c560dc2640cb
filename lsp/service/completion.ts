/**
 * Completion at a cursor: apiVersion/kind pairs (built-in kinds and the workspace's CRDs),
 * kd's annotation keys and their Argo CD/Helm aliases under `metadata.annotations` with the
 * values they allow (hook phases, delete policies, resource policy, health, and the wave numbers
 * the workspace already uses), and field names and enum values from the schema at the cursor.
 * Synchronous and allocation-light: it reads only the lines of the document under the cursor.
 */
import { formatApiVersion, type SourceRange } from '../../src/index.js';
import type { AnnotationDoc } from './engine.js';
import type { CursorView, FeatureContext } from './language-service.js';
import { nodeAt, propertiesOf, resolveNode, typeLabel, type KindEntry, type SchemaNode } from './schema-index.js';
import type { CompletionEntry, TextEdit } from './types.js';
import { cursorContext, lineShape, type CursorContext } from './yaml-context.js';

/** Values YAML would read as something other than a string: they must be quoted in annotations. */
const NEEDS_QUOTES = /^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+|0x[\da-f]+|0o[0-7]+|\.inf|\.nan)|true|false|yes|no|on|off|y|n|null|~|)$/i;

function quoteIfNeeded(value: string): string {
  return NEEDS_QUOTES.test(value) || /[:#'"{}[\],&*!|>%@`]/.test(value) ? JSON.stringify(value) : value;
}

export function isAnnotationsPath(parent: readonly (string | number)[]): boolean {
  const n = parent.length;
  if (n < 2 || parent[n - 2] !== 'metadata' || parent[n - 1] !== 'annotations') return false;
  // The object's own annotations (or a List item's), not a pod template's.
  return n === 2 || (n === 4 && parent[0] === 'items' && typeof parent[1] === 'number');
}

export function complete(view: CursorView, ctx: FeatureContext): CompletionEntry[] {
  const c = cursorContext(view.lines, view.lineIndex, view.column);
  const range: SourceRange = { start: view.position(view.lineIndex, c.partialStart), end: view.position(view.lineIndex, c.partialEnd) };
  const fullLine = lineShape(view.lines[view.lineIndex] ?? '');
  const keyHasColon = fullLine.key !== undefined && fullLine.keyStart === c.partialStart;

  if (c.parent.length === 0 && c.at === 'value' && c.key === 'apiVersion') return apiVersionEntries(view, ctx, range);
  if (c.parent.length === 0 && c.at === 'value' && c.key === 'kind') return kindEntries(view, ctx, range);
  if (c.parent.length === 0 && c.at === 'key' && view.gvk === undefined) return starterEntries(ctx, c, range, keyHasColon);

  if (isAnnotationsPath(c.parent)) {
    if (c.at === 'key') return annotationKeyEntries(ctx, c, range, keyHasColon);
    const doc = ctx.annotations.find((a) => a.key === c.key);
    return doc ? annotationValueEntries(view, doc, ctx, c, range) : [];
  }

  if (view.gvk === undefined) return [];
  const root = ctx.schemas.root(view.gvk);
  if (!root) return [];
  if (c.at === 'key') {
    const node = nodeAt(root, c.parent);
    if (!node) return [];
    return fieldEntries(node, c, range, keyHasColon);
  }
  const node = nodeAt(root, [...c.parent, c.key!]);
  return node ? valueEntries(node, range) : [];
}

function fieldEntries(node: SchemaNode, c: CursorContext, range: SourceRange, keyHasColon: boolean): CompletionEntry[] {
  const present = new Set(c.siblings);
  const indent = ' '.repeat(c.partialStart);
  return propertiesOf(node)
    .filter((p) => !present.has(p.name))
    .map((p) => {
      const type = typeLabel(p.node);
      let insertText = p.name;
      if (!keyHasColon) {
        if (type.startsWith('[]') && !/^\[\](string|integer|number|boolean)$/.test(type)) insertText = `${p.name}:\n${indent}  - `;
        else if (type === 'Object' || (!type.startsWith('[]') && /^[A-Z]/.test(type) && type !== 'IntOrString')) insertText = `${p.name}:\n${indent}  `;
        else insertText = `${p.name}: `;
      }
      const entry: CompletionEntry = {
        label: p.name,
        kind: 'field',
        detail: p.required ? `${type} (required)` : type,
        insertText,
        range,
        sortText: `${p.required ? '0' : '1'}${p.name}`,
        filterText: p.name,
      };
      const description = p.node.schema.description;
      if (description !== undefined) entry.documentation = description;
      return entry;
    });
}

function valueEntries(node: SchemaNode, range: SourceRange): CompletionEntry[] {
  const s = resolveNode(node).schema;
  const values = s.enum ?? (s.type === 'boolean' ? [true, false] : []);
  return values
    .filter((v) => v !== null)
    .map((v, i) => ({
      label: String(v),
      kind: 'enum' as const,
      detail: typeLabel(node),
      insertText: typeof v === 'string' ? quoteIfNeeded(v) : String(v),
      range,
      sortText: String(i).padStart(4, '0'),
    }));
}

function annotationKeyEntries(ctx: FeatureContext, c: CursorContext, range: SourceRange, keyHasColon: boolean): CompletionEntry[] {
  const present = new Set(c.siblings);
  return ctx.annotations
    .filter((a) => !present.has(a.key))
    .map((a, i) => {
      const detail = a.aliasOf === undefined ? a.summary : `${a.tool} alias of ${a.aliasOf}`;
      return {
        label: a.key,
        kind: 'annotation' as const,
        detail,
        documentation: a.aliasOf === undefined ? a.documentation : `${a.documentation}\n\nRead by kd as \`${a.aliasOf}\`.`,
        insertText: keyHasColon ? a.key : `${a.key}: `,
        range,
        sortText: `${a.aliasOf === undefined ? '0' : '1'}${String(i).padStart(3, '0')}`,
        filterText: a.key,
      };
    });
}

function annotationValueEntries(view: CursorView, doc: AnnotationDoc, ctx: FeatureContext, c: CursorContext, range: SourceRange): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const add = (value: string, detail: string, sort: number, quote: boolean) =>
    out.push({ label: value, kind: 'value', detail, insertText: quote ? JSON.stringify(value) : quoteIfNeeded(value), range, sortText: String(sort).padStart(4, '0') });
  if (doc.valueKind === 'enum-list' && c.partial.includes(',')) {
    // After a comma: complete the next item of the list, leaving the ones before alone.
    const raw = c.partial.replace(/^["']/, '');
    const before = raw.slice(0, raw.lastIndexOf(',') + 1);
    const used = new Set(before.split(',').map((v) => v.trim()));
    const line = view.lines[view.lineIndex] ?? '';
    let itemStart = c.partialStart + c.partial.lastIndexOf(',') + 1;
    while (line[itemStart] === ' ') itemStart++;
    const itemRange: SourceRange = { start: view.position(view.lineIndex, itemStart), end: range.end };
    doc.values.forEach((v, i) => {
      if (!used.has(v.value)) out.push({ label: v.value, kind: 'value', detail: v.summary, insertText: v.value, range: itemRange, sortText: String(i).padStart(4, '0') });
    });
    return out;
  }
  doc.values.forEach((v, i) => add(v.value, v.summary, i, false));
  if (doc.field === 'syncWave') {
    const used = ctx.waves();
    used.forEach((w, i) => add(w, 'wave used in the workspace', i, true));
    doc.examples.filter((e) => !used.includes(e)).forEach((e, i) => add(e, 'example', 100 + i, true));
  } else if (doc.values.length === 0) {
    doc.examples.forEach((e, i) => add(e, 'example', i, doc.valueKind === 'integer'));
  }
  return out;
}

function apiVersionEntries(view: CursorView, ctx: FeatureContext, range: SourceRange): CompletionEntry[] {
  const kind = view.gvk?.kind ?? /^kind[ \t]*:[ \t]*["']?([A-Za-z0-9]+)/m.exec(view.segment.result.text)?.[1];
  const byVersion = new Map<string, KindEntry[]>();
  for (const k of ctx.schemas.kinds()) {
    const av = formatApiVersion(k);
    const list = byVersion.get(av) ?? [];
    list.push(k);
    byVersion.set(av, list);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([av, kinds]) => {
      const fits = kind !== undefined && kinds.some((k) => k.kind === kind);
      return {
        label: av,
        kind: 'apiVersion' as const,
        detail: fits ? `has ${kind}` : `${kinds.length} kind${kinds.length === 1 ? '' : 's'}`,
        insertText: av,
        range,
        sortText: `${fits ? '0' : '1'}${av}`,
      };
    });
}

function kindEntries(view: CursorView, ctx: FeatureContext, range: SourceRange): CompletionEntry[] {
  const avMatch = /^(apiVersion[ \t]*:[ \t]*)(["']?)([^"'\s#]*)/m.exec(view.segment.result.text);
  const current = avMatch?.[3];
  const avLine = avMatch ? view.lines.findIndex((l) => l.startsWith('apiVersion')) : -1;
  return ctx.schemas
    .kinds()
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map((k) => {
      const av = formatApiVersion(k);
      const same = av === current;
      const entry: CompletionEntry = {
        label: k.kind,
        kind: 'kind',
        detail: `${av}${k.origin === 'crd' ? ' (CRD in the workspace)' : ''}`,
        insertText: k.kind,
        range,
        sortText: `${same ? '0' : '1'}${k.kind}/${av}`,
      };
      if (k.description !== undefined) entry.documentation = k.description;
      // Picking a kind from another group-version sets the apiVersion to match.
      if (!same) {
        const edits: TextEdit[] = [];
        if (avMatch && avLine >= 0) {
          const start = avMatch[1]!.length;
          const line = view.lines[avLine]!;
          const end = start + (lineShape(line).value.length || 0);
          edits.push({ range: { start: view.position(avLine, start), end: view.position(avLine, Math.max(start, end)) }, newText: av });
        } else {
          const at = view.position(view.lineIndex, 0);
          edits.push({ range: { start: at, end: at }, newText: `apiVersion: ${av}\n` });
        }
        entry.additionalEdits = edits;
      }
      return entry;
    });
}

function starterEntries(ctx: FeatureContext, c: CursorContext, range: SourceRange, keyHasColon: boolean): CompletionEntry[] {
  const present = new Set(c.siblings);
  const out: CompletionEntry[] = [];
  for (const [i, key] of ['apiVersion', 'kind', 'metadata'].entries()) {
    if (present.has(key)) continue;
    out.push({ label: key, kind: 'field', detail: key === 'metadata' ? 'ObjectMeta (required)' : 'string (required)', insertText: keyHasColon ? key : key === 'metadata' ? 'metadata:\n  ' : `${key}: `, range, sortText: `0${i}` });
  }
  if (present.has('apiVersion') || present.has('kind') || keyHasColon) return out;
  // A whole header at once: apiVersion, kind and metadata.name.
  for (const k of ctx.schemas.kinds().sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    const av = formatApiVersion(k);
    const entry: CompletionEntry = {
      label: `${k.kind} (${av})`,
      kind: 'kind',
      detail: k.origin === 'crd' ? 'CRD in the workspace' : 'apiVersion and kind',
      insertText: `apiVersion: ${av}\nkind: ${k.kind}\nmetadata:\n  name: `,
      range,
      sortText: `1${k.kind}/${av}`,
      filterText: k.kind,
    };
    if (k.description !== undefined) entry.documentation = k.description;
    out.push(entry);
  }
  return out;
}
