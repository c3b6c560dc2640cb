/**
 * What every `-o json` document and `-o jsonl` line of kd shares: `apiVersion: kd.io/v1` and a
 * `kind` (ValidationResult, DriftReport, ApplyEvent, ReleaseHistory, ReleaseList), each described
 * by a JSON Schema in schemas/, and one shape for a reference to a Kubernetes object — the fields
 * of Kubernetes' own ObjectReference that name an object: `{apiVersion, kind, namespace?, name}`,
 * always under the key `object` (as validate always had it).
 */
import { formatApiVersion, type ObjectRef } from '../../src/index.js';

export const KD_API_VERSION = 'kd.io/v1';

export interface ObjectReferenceJson {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `name` falls back to generateName for objects named by the server (hooks, validate input). */
export function objectReference(ref: ObjectRef & { generateName?: string }): ObjectReferenceJson {
  return {
    apiVersion: formatApiVersion(ref),
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name || (ref.generateName ?? ''),
  };
}

/** The envelope's head: spread first so that apiVersion and kind lead the document. */
export function documentHead(kind: string): { apiVersion: string; kind: string } {
  return { apiVersion: KD_API_VERSION, kind };
}
