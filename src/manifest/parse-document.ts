/**
 * The fast path: one YAML document's text to plain values, by simple-yaml.ts when the document
 * is plain block YAML, else with js-yaml's event parser, which is several times faster than
 * building a position-carrying tree. It decides validity for the whole
 * loader; positions are found later, and only on demand (source-map.ts).
 *
 * Limits, each a diagnostic rather than a hang or a crash: nesting depth (checked by the parser),
 * alias expansion (values built through aliases share subtrees, so a few bytes can stand for
 * billions of nodes: documents with aliases have their expanded size and depth measured, and are
 * copied into plain trees when within limits, so later stages never see shared or cyclic data),
 * and merge-key expansion (js-yaml's own counter).
 */
import { parseSimpleDocument } from './simple-yaml.js';
import { kubernetesSchema } from './yaml-schema.js';
import { jsYamlLibrary } from './yaml-library.js';

export interface DocumentLimits {
  maxDepth: number;
  maxAliasExpansion: number;
}

export interface ParseProblem {
  rule: 'yaml/syntax' | 'yaml/duplicate-key' | 'yaml/too-deep' | 'yaml/alias-limit';
  message: string;
  /** Offset in the parsed text. */
  offset: number;
}

export type ParsedDocument = { ok: true; values: unknown[] } | { ok: false; problem: ParseProblem };

const MAX_MERGE_KEYS = 10_000;

function classify(error: unknown, limits: DocumentLimits): ParseProblem {
  if (error instanceof jsYamlLibrary().YAMLException) {
    const reason = error.reason || error.message;
    const offset = error.mark?.position ?? 0;
    if (/duplicated mapping key/.test(reason)) return { rule: 'yaml/duplicate-key', message: `${reason}: a mapping has this key twice`, offset };
    if (/maxDepth/.test(reason))
      return { rule: 'yaml/too-deep', message: `the document is nested deeper than ${limits.maxDepth} levels`, offset };
    if (/maxTotalMergeKeys|maxAliases/.test(reason))
      return { rule: 'yaml/alias-limit', message: `the document expands too many merge keys (limit ${MAX_MERGE_KEYS})`, offset };
    return { rule: 'yaml/syntax', message: reason, offset };
  }
  if (error instanceof RangeError) return { rule: 'yaml/too-deep', message: 'the document is nested too deeply to read', offset: 0 };
  return { rule: 'yaml/syntax', message: error instanceof Error ? error.message : String(error), offset: 0 };
}

export function parseDocument(text: string, limits: DocumentLimits): ParsedDocument {
  // Plain block YAML (nearly every manifest) takes the fast path; anything else, js-yaml.
  const simple = parseSimpleDocument(text, limits.maxDepth);
  if (simple) return { ok: true, values: [simple.value] };
  let values: unknown[];
  let aliasOffset = -1;
  const { constructFromEvents, EVENT_ID, parseEvents } = jsYamlLibrary();
  try {
    const events = parseEvents(text, { maxDepth: limits.maxDepth });
    for (const event of events) {
      if (event.type === EVENT_ID.ALIAS) {
        aliasOffset = event.anchorStart;
        break;
      }
    }
    values = constructFromEvents(events, { source: text, schema: kubernetesSchema(), maxTotalMergeKeys: MAX_MERGE_KEYS });
  } catch (error) {
    return { ok: false, problem: classify(error, limits) };
  }
  if (aliasOffset >= 0) {
    for (let i = 0; i < values.length; i++) {
      const measured = measure(values[i], limits);
      if (typeof measured === 'string') return { ok: false, problem: { rule: 'yaml/alias-limit', message: measured, offset: Math.max(0, aliasOffset - 1) } };
      values[i] = copyTree(values[i]);
    }
  }
  return { ok: true, values };
}

/** Expanded node count and depth of a value whose subtrees may be shared; a message when over a limit. */
function measure(root: unknown, limits: DocumentLimits): string | undefined {
  const sizes = new Map<object, { size: number; depth: number }>();
  const inProgress = new Set<object>();
  let cyclic = false;
  const visit = (value: unknown): { size: number; depth: number } => {
    if (value === null || typeof value !== 'object') return { size: 1, depth: 0 };
    const known = sizes.get(value);
    if (known) return known;
    if (inProgress.has(value)) {
      cyclic = true;
      return { size: Infinity, depth: Infinity };
    }
    inProgress.add(value);
    let size = 1;
    let depth = 0;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
      const m = visit(child);
      size += m.size;
      if (m.depth + 1 > depth) depth = m.depth + 1;
      if (size > limits.maxAliasExpansion || depth > limits.maxDepth) break;
    }
    inProgress.delete(value);
    const result = { size, depth };
    sizes.set(value, result);
    return result;
  };
  let result: { size: number; depth: number };
  try {
    result = visit(root);
  } catch {
    return `the document's aliases expand too deeply to read`;
  }
  if (cyclic) return 'the document has an alias that refers to itself';
  if (result.size > limits.maxAliasExpansion)
    return `the document's aliases expand to more than ${limits.maxAliasExpansion} nodes (an "alias bomb")`;
  if (result.depth > limits.maxDepth) return `the document's aliases expand deeper than ${limits.maxDepth} levels`;
  return undefined;
}

function copyTree(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyTree);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyTree(v), enumerable: true, writable: true, configurable: true });
    else out[k] = copyTree(v);
  }
  return out;
}
