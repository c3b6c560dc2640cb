/**
 * CustomResourceDefinitions as the editor features need them: each served version's kind,
 * scope and schema (for completion and hover), read from a CRD manifest's plain data.
 * Validation registers CRDs with the core through the engine; this is only the editor's view.
 */
import type { GroupVersionKind, Manifest, SchemaObject } from '../../src/index.js';
import { isPlainObject as isRecord } from '../../src/index.js';

export interface CustomKindSchema {
  gvk: GroupVersionKind;
  namespaced: boolean;
  schema: SchemaObject;
}

export function isCrd(m: Manifest): boolean {
  return m.ref.group === 'apiextensions.k8s.io' && m.ref.kind === 'CustomResourceDefinition';
}

export function customKinds(crd: Manifest): CustomKindSchema[] {
  const spec = crd.object.spec;
  if (!isRecord(spec) || typeof spec.group !== 'string' || !isRecord(spec.names) || typeof spec.names.kind !== 'string') return [];
  const kind = spec.names.kind;
  const namespaced = spec.scope !== 'Cluster';
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const out: CustomKindSchema[] = [];
  for (const v of versions) {
    if (!isRecord(v) || typeof v.name !== 'string' || v.served === false) continue;
    const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as SchemaObject) : { type: 'object' };
    out.push({ gvk: { group: spec.group, version: v.name, kind }, namespaced, schema });
  }
  return out;
}
