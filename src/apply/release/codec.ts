/**
 * Release records to Secrets and back. The payload is JSON, gzip-compressed, stored under the
 * data key `release`; when the compressed bytes exceed the chunk size (900 KiB, under the API
 * server's 1 MiB Secret limit with room for metadata) they are split over the main Secret and
 * part Secrets `...part-1`, `...part-2`, in order; the main Secret says how many there are.
 *
 * Decoding never throws: a missing part, bad base64, bad gzip, a record that inflates past
 * MAX_RECORD_BYTES or bad JSON comes back as a problem text naming the Secret, so one damaged
 * revision cannot break history or a rollback to another one.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { isPlainObject as isMap, type KubeObject } from '../../model/index.js';
import {
  ANNOTATION_DESCRIPTION,
  ANNOTATION_KD_VERSION,
  ANNOTATION_MESSAGE,
  ANNOTATION_OBJECTS,
  ANNOTATION_PARTS,
  ANNOTATION_STARTED,
  ANNOTATION_UPDATED,
  DATA_KEY,
  LABEL_NAME,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_PART,
  LABEL_REVISION,
  LABEL_STATUS,
  OWNER,
  RECORD_TYPE,
  partName,
  recordName,
} from './names.js';
import type { RecordPayload, Revision, RevisionState } from './types.js';

export const DEFAULT_CHUNK_BYTES = 900 * 1024;

/**
 * Largest decompressed record read back: far above any real release (kd writes what it applied,
 * a few MiB at most), so only a damaged or tampered record reaches it, and it cannot make kd
 * allocate hundreds of MiB.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Longest description kept in an annotation; the payload keeps the whole text. */
const MAX_ANNOTATION_TEXT = 1024;

export interface EncodeOptions {
  state: RevisionState;
  /** ISO time for `kd.io/updated`. */
  updated: string;
  message: string;
  chunkBytes?: number;
}

/** The Secrets of one revision: the main one first, then its parts. */
export function encodeRecord(payload: RecordPayload, options: EncodeOptions): KubeObject[] {
  const compressed = gzipSync(Buffer.from(JSON.stringify(payload), 'utf8'));
  const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const chunks: Buffer[] = [];
  for (let at = 0; at < compressed.length || chunks.length === 0; at += chunkBytes) chunks.push(compressed.subarray(at, at + chunkBytes));
  const labels = {
    [LABEL_OWNER]: OWNER,
    [LABEL_NAME]: payload.name,
    [LABEL_STATUS]: options.state,
    [LABEL_REVISION]: String(payload.revision),
  };
  const main: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: recordName(payload.name, payload.revision),
      namespace: payload.namespace,
      labels,
      annotations: {
        [ANNOTATION_UPDATED]: options.updated,
        [ANNOTATION_STARTED]: payload.startedAt,
        [ANNOTATION_OBJECTS]: String(payload.objects.length),
        [ANNOTATION_DESCRIPTION]: clip(payload.description),
        [ANNOTATION_MESSAGE]: clip(options.message),
        [ANNOTATION_PARTS]: String(chunks.length),
        [ANNOTATION_KD_VERSION]: payload.kdVersion,
      },
    },
    type: RECORD_TYPE,
    data: { [DATA_KEY]: chunks[0]!.toString('base64') },
  };
  const parts = chunks.slice(1).map(
    (chunk, i): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: partName(payload.name, payload.revision, i + 1),
        namespace: payload.namespace,
        labels: { [LABEL_OWNER]: OWNER, [LABEL_NAME]: payload.name, [LABEL_REVISION]: String(payload.revision), [LABEL_PART]: String(i + 1) },
      },
      type: RECORD_TYPE,
      data: { [DATA_KEY]: chunk.toString('base64') },
    }),
  );
  return [main, ...parts];
}

export type DecodeResult = { payload: RecordPayload } | { problem: string };

/**
 * The payload of a revision from its main Secret and its parts (any order; extra Secrets are
 * ignored). The main Secret's `kd.io/parts` says how many chunks to expect.
 */
export function decodeRecord(main: KubeObject, parts: readonly KubeObject[], maxBytes = MAX_RECORD_BYTES): DecodeResult {
  const name = metaString(main, 'name');
  const count = Number(annotationsOf(main)[ANNOTATION_PARTS] ?? '1');
  if (!Number.isInteger(count) || count < 1) return { problem: `${name}: kd.io/parts is not a positive number` };
  const byIndex = new Map<number, KubeObject>();
  for (const p of parts) byIndex.set(Number(labelsOf(p)[LABEL_PART]), p);
  const buffers: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const secret = i === 0 ? main : byIndex.get(i);
    if (secret === undefined) return { problem: `${name}: part ${i} of ${count - 1} is missing` };
    const data = (secret['data'] ?? {}) as Record<string, unknown>;
    const text = data[DATA_KEY];
    if (typeof text !== 'string') return { problem: `${metaString(secret, 'name')}: no "${DATA_KEY}" data` };
    buffers.push(Buffer.from(text, 'base64'));
  }
  let json: string;
  try {
    json = gunzipSync(Buffer.concat(buffers), { maxOutputLength: maxBytes }).toString('utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      return { problem: `${name}: the record decompresses to more than ${Math.round(maxBytes / 2 ** 20)} MiB (the limit); it was not written by kd` };
    return { problem: `${name}: the record is not valid gzip data (${(e as Error).message})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { problem: `${name}: the record is not valid JSON (${(e as Error).message})` };
  }
  if (!isMap(value) || !Array.isArray(value['objects']) || typeof value['revision'] !== 'number')
    return { problem: `${name}: the record does not have the kd.io/release.v1 shape` };
  return { payload: value as unknown as RecordPayload };
}

/** History's view of a revision, from the main Secret's labels and annotations. */
export function readRevision(secret: KubeObject): Revision | undefined {
  const labels = labelsOf(secret);
  const annotations = annotationsOf(secret);
  const revision = Number(labels[LABEL_REVISION]);
  // The stored label keeps its public name, `status`; in memory it is the revision's state.
  const status = labels[LABEL_STATUS];
  if (!Number.isInteger(revision) || revision < 1 || labels[LABEL_PART] !== undefined) return undefined;
  if (status !== 'pending' && status !== 'deployed' && status !== 'failed' && status !== 'superseded' && status !== 'deleted') return undefined;
  return {
    name: labels[LABEL_NAME] ?? '',
    namespace: labels[LABEL_NAMESPACE] ?? metaString(secret, 'namespace'),
    revision,
    state: status,
    updated: annotations[ANNOTATION_UPDATED] ?? '',
    objectCount: Number(annotations[ANNOTATION_OBJECTS] ?? '0') || 0,
    description: annotations[ANNOTATION_DESCRIPTION] ?? '',
    message: annotations[ANNOTATION_MESSAGE] ?? '',
    kdVersion: annotations[ANNOTATION_KD_VERSION] ?? '',
    parts: Number(annotations[ANNOTATION_PARTS] ?? '1') || 1,
  };
}

export function labelsOf(object: KubeObject): Record<string, string> {
  return stringMap(metaOf(object)['labels']);
}

export function annotationsOf(object: KubeObject): Record<string, string> {
  return stringMap(metaOf(object)['annotations']);
}

function clip(text: string): string {
  return text.length <= MAX_ANNOTATION_TEXT ? text : `${text.slice(0, MAX_ANNOTATION_TEXT - 1)}…`;
}

function metaOf(object: KubeObject): Record<string, unknown> {
  return isMap(object.metadata) ? object.metadata : {};
}

function metaString(object: KubeObject, key: string): string {
  const v = metaOf(object)[key];
  return typeof v === 'string' ? v : '';
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
