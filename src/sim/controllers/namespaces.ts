/**
 * The namespace controller's last step: once a Terminating namespace holds none of the
 * namespaced objects the simulator's controllers know (the API server deletes the contents),
 * its `kubernetes` finalizer is removed so the namespace goes away. Waiting is re-checked
 * every second of simulated time and on every change in the namespace.
 */
import type { ControllerHost } from '../controller-host.js';
import { R, MANAGER } from './resources.js';
import { runController, type RunOptions } from './work-queue.js';
import { isDeleting, meta, type Obj } from './objects.js';

export const NAMESPACE_FINALIZER = 'kubernetes';

const CONTENTS = [R.pods, R.deployments, R.replicaSets, R.statefulSets, R.daemonSets, R.jobs, R.services, R.endpointSlices, R.pvcs, R.configMaps, R.secrets, R.controllerRevisions];

export function startNamespaceController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) =>
    runController(
      host,
      {
        name: 'namespace',
        watches: [
          { key: R.namespaces, map: (o) => [meta(o).name ?? ''] },
          { key: R.pods, map: (o, type) => (type === 'DELETED' && meta(o).namespace ? [meta(o).namespace as string] : []) },
        ],
        reconcile: (name) => {
          const ns = host.get(R.namespaces, undefined, name) as Obj<{ finalizers?: string[] }> | undefined;
          if (!ns || !isDeleting(ns)) return;
          const finalizers = ns.spec?.finalizers ?? [];
          if (!finalizers.includes(NAMESPACE_FINALIZER)) return;
          const remaining = CONTENTS.some((key) => host.list(key, name).length > 0);
          if (remaining) return 1000;
          const rest = finalizers.filter((f) => f !== NAMESPACE_FINALIZER);
          if (host.finalizeNamespace) host.finalizeNamespace(name, rest);
          else host.update(R.namespaces, { ...ns, spec: { ...ns.spec, finalizers: rest } }, MANAGER.controllerManager);
          return undefined;
        },
      },
      options,
    );
}
