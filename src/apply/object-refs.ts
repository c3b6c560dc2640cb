/** Identities of objects read back from the cluster or a release record (no manifest around them). */
import { objectKey, parseApiVersion, type KubeObject, type ObjectRef } from '../model/index.js';

export function refOf(object: KubeObject): ObjectRef | undefined {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined;
  const metadata = metadataOf(object);
  const { group, version } = parseApiVersion(object.apiVersion);
  const ref: ObjectRef = { group, version, kind: object.kind, name: typeof metadata['name'] === 'string' ? metadata['name'] : '' };
  if (typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '') ref.namespace = metadata['namespace'];
  if (typeof metadata['generateName'] === 'string') ref.generateName = metadata['generateName'];
  return ref;
}

export function metadataOf(object: KubeObject | undefined): Record<string, unknown> {
  const metadata = object?.metadata;
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
}

export function nameOf(object: KubeObject | undefined): string {
  const name = metadataOf(object)['name'];
  return typeof name === 'string' ? name : '';
}

/** Objects by `objectKey`, skipping what has no identity. */
export function byKey(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) {
    const ref = refOf(o);
    if (ref && ref.name) out.set(objectKey(ref), o);
  }
  return out;
}

/** `apps/v1/Deployment/shop`: one watched collection. */
export function collectionKey(ref: { group: string; version: string; kind: string; namespace?: string }): string {
  return `${ref.group}/${ref.version}/${ref.kind}/${ref.namespace ?? ''}`;
}

/** A copy with labels merged in (the object's own labels win: they are the user's). */
export function withLabels(object: KubeObject, labels: Record<string, string>, namespace: string | undefined): KubeObject {
  if (Object.keys(labels).length === 0 && namespace === undefined) return object;
  const metadata = { ...metadataOf(object) };
  if (Object.keys(labels).length > 0) {
    const own = metadata['labels'];
    metadata['labels'] = { ...labels, ...(typeof own === 'object' && own !== null ? (own as Record<string, unknown>) : {}) };
  }
  if (namespace !== undefined) metadata['namespace'] = namespace;
  return { ...object, metadata };
}
