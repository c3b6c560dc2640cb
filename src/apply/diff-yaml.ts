/**
 * YAML text of a JSON value for diffs: block style, two-space indentation, sequences indented
 * under their key (the layout `kubectl diff` and the `yaml` package print), in one pass over the
 * value. It exists for speed: a 40,000-line object renders in a few tens of milliseconds, where a
 * general YAML library builds a document tree first and takes most of a second. It only writes
 * (never parses) and is conservative: a string is plain only when it cannot be read back as
 * anything else, multi-line strings are literal blocks, everything else is a JSON string (valid
 * YAML), so `yaml.parse(toYaml(v))` equals `v` (checked by a property test).
 */
import { isPlainObject as isMap } from '../model/json.js';

export interface ToYamlOptions {
  /** Map keys in code-unit order (kubectl diff's order), so a file ordered otherwise diffs the same. */
  sortKeys?: boolean;
}

export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  const out: string[] = [];
  const sort = options.sortKeys ?? false;
  if (isMap(value) && Object.keys(value).length > 0) mapLines(value, 0, out, sort);
  else if (Array.isArray(value) && value.length > 0) seqLines(value, 0, out, sort);
  else out.push(inline(value, 0));
  return out.join('\n') + '\n';
}

function mapLines(map: Record<string, unknown>, indent: number, out: string[], sort: boolean): void {
  const pad = ' '.repeat(indent);
  for (const k of sort ? sortedKeys(map) : Object.keys(map)) {
    const v = map[k];
    if (v === undefined) continue;
    const key = `${pad}${scalarString(k)}:`;
    if (isMap(v) && Object.keys(v).length > 0) {
      out.push(key);
      mapLines(v, indent + 2, out, sort);
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(key);
      seqLines(v, indent + 2, out, sort);
    } else out.push(`${key} ${inline(v, indent + 2)}`);
  }
}

function seqLines(list: readonly unknown[], indent: number, out: string[], sort: boolean): void {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (isMap(item) && Object.keys(item).length > 0) {
      // The map's first line carries the dash: `- name: web`, the rest aligned under it.
      const at = out.length;
      mapLines(item, indent + 2, out, sort);
      if (out.length === at) out.push(`${pad}- {}`);
      else out[at] = `${pad}- ${out[at]!.slice(indent + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      out.push(`${pad}-`);
      seqLines(item, indent + 2, out, sort);
    } else out.push(`${pad}- ${inline(item ?? null, indent + 2)}`);
  }
}

/** A value on the rest of a line (scalars, empty collections); a literal block for multi-line strings. */
function inline(value: unknown, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'string') return literalBlock(value, indent) ?? scalarString(value);
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return JSON.stringify(String(value));
}

/** `|` / `|-` block of a multi-line string, or undefined when a block cannot hold it exactly. */
function literalBlock(text: string, indent: number): string | undefined {
  if (!text.includes('\n')) return undefined;
  // Control characters, a leading space (needs an indentation indicator) or several trailing
  // newlines (needs keep-chomping) are left to a quoted string.
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text) || text.startsWith(' ') || text.endsWith('\n\n')) return undefined;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body === '' || body.split('\n').some((line) => /^\s+$/.test(line))) return undefined;
  const pad = ' '.repeat(indent);
  return `|${text.endsWith('\n') ? '' : '-'}\n${body
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n')}`;
}

/** Keys sorted, without sorting when they already are (the usual case: a sorted map read back). */
function sortedKeys(map: Record<string, unknown>): string[] {
  const keys = Object.keys(map);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
  return keys;
}

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~|<<|=)$/i;
/** Names, paths, images, versions: plain whatever else holds (the fast path for most strings). */
const SIMPLE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

/** A plain scalar when nothing could read it as another type or as YAML syntax; else a JSON string. */
function scalarString(text: string): string {
  if (SIMPLE.test(text)) return RESERVED.test(text) ? JSON.stringify(text) : text;
  const plain =
    text !== '' &&
    !RESERVED.test(text) &&
    // A flag (`--port`, `-v`) is plain too; a lone `-`, a number or a document marker is not.
    /^(?:[A-Za-z_/]|-[A-Za-z]|--[A-Za-z])[^\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]*$/.test(text) &&
    !/\s$/.test(text) &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':') &&
    !/[{}[\],"'`]/.test(text);
  return plain ? text : JSON.stringify(text);
}
