/**
 * Dependencies that must exist before their dependents, whatever waves the files say:
 * a Namespace before the objects in it, a CustomResourceDefinition before its custom resources.
 * When a dependent runs earlier than its dependency (an earlier wave, or a pre-apply hook), the
 * dependency moves to the dependent's wave (or before the pre-apply hooks), as Argo CD does.
 * Only Namespaces and CRDs move: they have no dependencies of their own, so one pass suffices.
 */
import type { KubeObject, ObjectRef } from '../model/index.js';

/** The key a dependency provides (`ns:shop`, `crd:example.com/Widget`), if it is one. */
export function providedKey(ref: ObjectRef, object: KubeObject): string | undefined {
  if (ref.group === '' && ref.kind === 'Namespace' && ref.name) return `ns:${ref.name}`;
  if (ref.group === 'apiextensions.k8s.io' && ref.kind === 'CustomResourceDefinition') {
    const spec = object['spec'];
    if (typeof spec !== 'object' || spec === null) return undefined;
    const group = (spec as Record<string, unknown>)['group'];
    const names = (spec as Record<string, unknown>)['names'];
    const kind = typeof names === 'object' && names !== null ? (names as Record<string, unknown>)['kind'] : undefined;
    if (typeof group === 'string' && typeof kind === 'string') return `crd:${group}/${kind}`;
  }
  return undefined;
}

/** The dependency keys an object needs: its namespace, and the CRD of its kind. */
export function neededKeys(ref: ObjectRef): string[] {
  const keys: string[] = [];
  if (ref.namespace) keys.push(`ns:${ref.namespace}`);
  if (ref.group !== '') keys.push(`crd:${ref.group}/${ref.kind}`);
  return keys;
}
