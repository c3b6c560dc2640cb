/**
 * Test helper: manifests from YAML text without the loader, so plan tests depend only on the
 * plan module. Namespaced kinds without a namespace get `default`, as the loader would.
 */
import { parseAllDocuments } from 'yaml';
import { parseApiVersion, type KubeObject, type ObjectRef } from '../../src/model/index.js';
import type { PlanInputObject } from '../../src/plan/index.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'IngressClass', 'APIService', 'PriorityClass']);

export function readObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

export function refOf(object: KubeObject): ObjectRef {
  const { group, version } = parseApiVersion(String(object.apiVersion));
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const kind = String(object.kind);
  const ref: ObjectRef = { group, version, kind, name: typeof metadata['name'] === 'string' ? metadata['name'] : '' };
  if (!CLUSTER_SCOPED.has(kind)) {
    ref.namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
  }
  if (typeof metadata['generateName'] === 'string') ref.generateName = metadata['generateName'];
  return ref;
}

export function toPlanInput(objects: KubeObject[]): PlanInputObject[] {
  return objects.map((object) => ({ object, ref: refOf(object) }));
}
