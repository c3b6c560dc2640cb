/**
 * The HTTP plumbing every handler shares: reading and decoding request bodies (JSON, YAML,
 * protobuf, the patch types) within kube-apiserver's body limit, content negotiation (Table,
 * PartialObjectMetadata), selectors from the query, and writing answers and Status errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { yamlLibrary } from '../manifest/yaml-library.js';
import type { KubeObject } from '../model/object-ref.js';
import type { SimResource } from './api-catalog.js';
import { ApiError, badRequest, unsupportedMediaType } from './api-status.js';
import { PATCH_TYPES } from './rest-storage.js';
import { parseFieldSelector, parseLabelSelector, type FieldRequirement, type LabelSelector } from './selectors.js';
import { decodeKubeProtobuf, PROTOBUF_KINDS } from './protobuf-decode.js';

type Obj = Record<string, unknown>;

export const TABLE_CT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType = 'application/json'): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(buf);
}

export function sendError(res: ServerResponse, err: ApiError, headers: Record<string, string | string[]> = {}): void {
  // The rest of a too-large body is never read: close the connection rather than drain it.
  send(res, err.code, err.toStatus(), err.code === 413 ? { ...headers, Connection: 'close' } : headers);
}

export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function wantsPartialMetadata(accept: string): boolean {
  return /as=PartialObjectMetadata/.test(accept);
}

/** kube-apiserver's `--max-request-body-bytes` default (3 MiB); its 413 names this figure. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES) throw requestTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const b = c as Buffer;
    size += b.length;
    if (size > MAX_REQUEST_BODY_BYTES) throw requestTooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function requestTooLarge(): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);
}

/**
 * The body media types kube-apiserver 1.32 decodes (CBOR is behind an alpha gate there, off by
 * default). Anything else is 415, which is also what keeps a browser's `text/plain` or form POST
 * (a CSRF "simple request") from ever being parsed.
 */
const OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function mediaTypeOf(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads and decodes a request body. `object` bodies (create, update, delete options) take the
 * serializer types, with no header meaning JSON as in kube-apiserver's negotiation; `patch`
 * bodies must name one of the patch types. A delete with an empty body needs no type.
 */
export async function readRequest(req: IncomingMessage, as: 'object' | 'patch'): Promise<{ body: unknown; contentType: string }> {
  const declared = mediaTypeOf(req);
  const contentType = declared === '' && as === 'object' ? 'application/json' : declared;
  const accepted = as === 'patch' ? PATCH_TYPES : OBJECT_TYPES;
  if (!accepted.includes(contentType)) {
    const buf = req.method === 'DELETE' ? await readBody(req) : undefined;
    if (buf === undefined || buf.length > 0) throw unsupportedMediaType(accepted);
    return { body: undefined, contentType };
  }
  return { body: parseBody(await readBody(req), contentType), contentType };
}

function parseBody(buf: Buffer, contentType: string): unknown {
  if (contentType === 'application/vnd.kubernetes.protobuf') {
    if (buf.length === 0) return undefined;
    const decoded = decodeKubeProtobuf(buf);
    if (decoded === undefined)
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kd sim decodes protobuf bodies only for ${PROTOBUF_KINDS.join(', ')}, and only the fields kubectl's create commands set)`,
      );
    return decoded;
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') return undefined;
  if (contentType === 'application/apply-patch+yaml' || contentType === 'application/yaml') {
    // kubectl and kd send their apply patches as JSON, which is YAML: the native JSON parser is
    // an order of magnitude cheaper than composing a YAML document, and this is the sim's hottest
    // path (one per object applied). Only the YAML parser reports duplicate keys, so a body with
    // one (or a key that needs unescaping to compare) still takes the YAML path.
    const json = plainJsonObject(text);
    if (json !== undefined) return json;
    try {
      return yamlLibrary().parse(text) as unknown;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** `text` parsed as JSON when it is a JSON object without duplicate keys; undefined otherwise. */
export function plainJsonObject(text: string): Obj | undefined {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return hasDuplicateOrEscapedKey(text) ? undefined : (value as Obj);
}

/**
 * Scans text that JSON.parse accepted (so its syntax is known good) for an object with the same
 * key twice, which JSON.parse would silently collapse. A key with an escape counts as a hit: it
 * would need decoding to compare, and such keys are too rare to be worth it.
 */
function hasDuplicateOrEscapedKey(text: string): boolean {
  // One entry per open container: the keys seen (objects) or null (arrays).
  const keys: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      keys.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      keys.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = keys.at(-1) !== null;
    } else if (c === 0x3a /* : */) {
      expectKey = false;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      while (text.charCodeAt(end) !== 0x22) {
        if (text.charCodeAt(end) === 0x5c /* \ */) {
          escaped = true;
          end++;
        }
        end++;
      }
      if (expectKey) {
        if (escaped) return true;
        const set = keys.at(-1)!;
        const key = text.slice(i + 1, end);
        if (set.has(key)) return true;
        set.add(key);
      }
      i = end;
    }
  }
  return false;
}

export function selectorsOf(q: URLSearchParams, r: SimResource): { labels?: LabelSelector; fields?: FieldRequirement[] } {
  const out: { labels?: LabelSelector; fields?: FieldRequirement[] } = {};
  const ls = q.get('labelSelector');
  if (ls) {
    const p = parseLabelSelector(ls);
    if ('error' in p) throw badRequest(`unable to parse requirement: ${p.error}`);
    out.labels = p.selector;
  }
  const fs = q.get('fieldSelector');
  if (fs) {
    const p = parseFieldSelector(fs, r.group, r.plural);
    if ('error' in p) throw badRequest(p.error);
    out.fields = p.selector;
  }
  return out;
}

export function apiVersionOf(r: SimResource): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

export function partialMetadata(obj: KubeObject): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

