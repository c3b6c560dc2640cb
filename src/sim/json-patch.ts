/**
 * RFC 6902 JSON Patch (`application/json-patch+json`) and RFC 7386 JSON Merge Patch
 * (`application/merge-patch+json`), as the API server applies them. Errors come back as
 * messages (the server answers them with 422/400), never as exceptions to the caller.
 */
import { clone, deepEqual, isPlainObject } from './schema-nav.js';

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map(unescape);
}

type Container = Record<string, unknown> | unknown[];

function walk(doc: unknown, tokens: string[]): { parent: Container; key: string } | string {
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isPlainObject(cur)) cur = cur[t];
    else return `doc is missing path: "/${tokens.slice(0, i + 1).join('/')}"`;
    if (cur === undefined) return `doc is missing path: "/${tokens.slice(0, i + 1).join('/')}": missing value`;
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) return `doc is missing path: "/${tokens.join('/')}"`;
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isPlainObject(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

/** Applies a JSON Patch; returns the new document or an error message. */
export function applyJsonPatch(target: unknown, ops: unknown): { value: unknown } | { error: string } {
  if (!Array.isArray(ops)) return { error: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' };
  let doc = clone(target);
  for (const raw of ops) {
    if (!isPlainObject(raw)) return { error: 'invalid JSON patch operation' };
    const op = raw.op;
    const path = typeof raw.path === 'string' ? parsePointer(raw.path) : undefined;
    if (path === undefined) return { error: `Unable to parse path: ${String(raw.path)}` };
    if (op === 'test') {
      if (!deepEqual(getAt(doc, path), raw.value)) return { error: `testing value ${String(raw.path)} failed: test failed` };
      continue;
    }
    let value: unknown = raw.value;
    if (op === 'move' || op === 'copy') {
      const from = typeof raw.from === 'string' ? parsePointer(raw.from) : undefined;
      if (from === undefined) return { error: `Unable to parse from: ${String(raw.from)}` };
      value = clone(getAt(doc, from));
      if (value === undefined) return { error: `${op} operation does not apply: doc is missing from path: ${String(raw.from)}` };
      if (op === 'move') {
        const r = removeAt(doc, from);
        if (typeof r === 'string') return { error: r };
      }
    }
    if (path.length === 0) {
      if (op === 'remove') doc = null;
      else doc = clone(value);
      continue;
    }
    if (op === 'add' || op === 'move' || op === 'copy') {
      const w = walk(doc, path);
      if (typeof w === 'string') return { error: `add operation does not apply: ${w}` };
      if (Array.isArray(w.parent)) {
        const idx = w.key === '-' ? w.parent.length : Number(w.key);
        if (!Number.isInteger(idx) || idx < 0 || idx > w.parent.length) return { error: `add operation does not apply: index out of range: ${w.key}` };
        w.parent.splice(idx, 0, clone(value));
      } else w.parent[w.key] = clone(value);
    } else if (op === 'remove') {
      const r = removeAt(doc, path);
      if (typeof r === 'string') return { error: r };
    } else if (op === 'replace') {
      const w = walk(doc, path);
      if (typeof w === 'string') return { error: `replace operation does not apply: ${w}` };
      if (Array.isArray(w.parent)) {
        const idx = Number(w.key);
        if (!Number.isInteger(idx) || idx < 0 || idx >= w.parent.length) return { error: `replace operation does not apply: index out of range: ${w.key}` };
        w.parent[idx] = clone(value);
      } else {
        if (!(w.key in w.parent)) return { error: `replace operation does not apply: doc is missing key: ${String(raw.path)}: missing value` };
        w.parent[w.key] = clone(value);
      }
    } else return { error: `Unexpected kind: ${String(op)}` };
  }
  return { value: doc };
}

function removeAt(doc: unknown, path: string[]): string | undefined {
  const w = walk(doc, path);
  if (typeof w === 'string') return `remove operation does not apply: ${w}`;
  if (Array.isArray(w.parent)) {
    const idx = Number(w.key);
    if (!Number.isInteger(idx) || idx < 0 || idx >= w.parent.length) return `remove operation does not apply: index out of range: ${w.key}`;
    w.parent.splice(idx, 1);
  } else {
    if (!(w.key in w.parent)) return `remove operation does not apply: doc is missing path: "/${path.join('/')}": missing value`;
    delete w.parent[w.key];
  }
  return undefined;
}

/** RFC 7386: objects merge recursively, null deletes, everything else (lists too) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
