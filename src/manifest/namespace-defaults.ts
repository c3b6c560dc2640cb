/**
 * Namespace defaulting, as kubectl does it on apply: namespaced objects without a namespace get
 * the default one (`-n`, else the kubeconfig context's, else `default`); cluster-scoped objects
 * have none, even if their metadata names one (kubectl ignores it there). A kind the registry
 * does not know counts as namespaced, the common case for custom resources.
 */
import type { Manifest, NamespaceDefaults } from '../model/manifest.js';
import type { ObjectRef } from '../model/object-ref.js';

/** New manifests with `ref.namespace` set or cleared; the inputs are not changed. */
export function applyNamespaceDefaults(manifests: readonly Manifest[], options: NamespaceDefaults = {}): Manifest[] {
  const fallback = options.defaultNamespace || 'default';
  return manifests.map((manifest) => {
    const { ref } = manifest;
    const namespaced = options.isNamespaced?.({ group: ref.group, version: ref.version, kind: ref.kind }) ?? true;
    const namespace = namespaced ? ref.namespace || fallback : undefined;
    if (namespace === ref.namespace) return manifest;
    const next: ObjectRef = { ...ref };
    if (namespace === undefined) delete next.namespace;
    else next.namespace = namespace;
    return { ...manifest, ref: next };
  });
}
