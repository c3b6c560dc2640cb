/**
 * ControllerRevisions for StatefulSets and DaemonSets: `<name>-<hash>` holding the template,
 * numbered in order, as `kubectl rollout history` reads them. Creating one is best effort: the
 * workload's status carries the revision names whether or not the store accepts the object.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { isControlledBy, meta, ownerRefTo, type Obj, type PodTemplate } from './objects.js';
import { templateHash } from './names.js';

export function revisionName(owner: KubeObject, template: PodTemplate | undefined): string {
  return `${meta(owner).name ?? ''}-${templateHash(template ?? {})}`;
}

export function ensureControllerRevision(host: ControllerHost, owner: KubeObject, template: PodTemplate | undefined, labels: Record<string, string>): string {
  const name = revisionName(owner, template);
  const ns = meta(owner).namespace ?? 'default';
  if (host.get(R.controllerRevisions, ns, name)) return name;
  const existing = host.list(R.controllerRevisions, ns).filter((r) => isControlledBy(r, owner));
  const revision = Math.max(0, ...existing.map((r) => Number((r as Obj).revision ?? 0))) + 1;
  try {
    host.create(
      R.controllerRevisions,
      {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name, namespace: ns, labels: { ...labels, [hashLabel(owner)]: name.slice(name.lastIndexOf('-') + 1) }, ownerReferences: [ownerRefTo(owner)] },
        data: { spec: { template: { ...(template ?? {}), $patch: 'replace' } } },
        revision,
      },
      MANAGER.controllerManager,
    );
  } catch {
    // The revision name in status is what clients rely on; the object is a convenience.
  }
  return name;
}

/** The label holding the hash: the DaemonSet controller uses its pods' `controller-revision-hash`, the StatefulSet one `controller.kubernetes.io/hash`. */
function hashLabel(owner: KubeObject): string {
  return owner.kind === 'DaemonSet' ? 'controller-revision-hash' : 'controller.kubernetes.io/hash';
}
