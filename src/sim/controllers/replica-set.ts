/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods controlled by each ReplicaSet,
 * creating them from the template and deleting the least valuable ones first, and reports
 * replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (minReadySeconds honoured)
 * and observedGeneration. Pods are not adopted or released by selector; ownership is the
 * controller reference only.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runWorkloadController, type RunOptions } from './work-queue.js';
import { isControlledBy, jsonEqual, meta, nameOf, type LabelSelector, type Obj, type PodTemplate } from './objects.js';
import { availableAt, deletionOrder, isActive, isPodAvailable, isPodReady, podFromTemplate } from './pods.js';
import { generateName } from './names.js';

export const REPLICASET_COMPONENT = 'replicaset-controller';

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

export interface ReplicaSetPlan {
  create: number;
  delete: KubeObject[];
  status: Record<string, unknown>;
  /** When a ready pod becomes available (minReadySeconds), to look again then. */
  recheckAt?: number;
}

/** Pure: what a ReplicaSet controller does given the ReplicaSet, its pods and the time. */
export function planReplicaSet(rs: Obj<ReplicaSetSpec>, ownedPods: KubeObject[], now: number): ReplicaSetPlan {
  const want = rs.spec?.replicas ?? 1;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const active = ownedPods.filter(isActive);
  const diff = want - active.length;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const fullyLabeled = active.filter((p) => Object.entries(templateLabels).every(([k, v]) => meta(p).labels?.[k] === v));
  const ready = active.filter(isPodReady).length;
  const available = active.filter((p) => isPodAvailable(p, minReady, now)).length;
  const recheck = active.map((p) => availableAt(p, minReady)).filter((t): t is number => t !== undefined && t > now);
  const status: Record<string, unknown> = { ...(rs.status ?? {}) };
  const setCount = (k: string, v: number) => {
    if (v > 0 || k === 'replicas') status[k] = v;
    else delete status[k];
  };
  setCount('replicas', active.length);
  setCount('fullyLabeledReplicas', fullyLabeled.length);
  setCount('readyReplicas', ready);
  setCount('availableReplicas', available);
  status.observedGeneration = meta(rs).generation ?? 1;
  return {
    create: Math.max(0, diff),
    delete: diff < 0 ? [...active].sort(deletionOrder).slice(0, -diff) : [],
    status,
    ...(recheck.length > 0 ? { recheckAt: Math.min(...recheck) } : {}),
  };
}

export function startReplicaSetController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) =>
    runWorkloadController<Obj<ReplicaSetSpec>>(
      host,
      {
        name: 'replicaset',
        workload: R.replicaSets,
        kind: 'ReplicaSet',
        children: R.pods,
        reconcile: (rs, ns, name) => {
          const owned = host.list(R.pods, ns).filter((p) => isControlledBy(p, rs));
          const now = host.clock.now();
          const plan = planReplicaSet(rs, owned, now);
          for (let i = 0; i < plan.create; i++) {
            const podName = generateName(`${name}-`, `${meta(rs).uid ?? name}/${now}/${i}`, (n) => host.get(R.pods, ns, n) !== undefined);
            const pod = host.create(R.pods, podFromTemplate(rs.spec?.template, rs, { name: podName, generateName: `${name}-`, namespace: ns }), MANAGER.controllerManager);
            host.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(pod)}`, REPLICASET_COMPONENT);
          }
          for (const pod of plan.delete) {
            host.delete(R.pods, ns, nameOf(pod), 'Background');
            host.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`, REPLICASET_COMPONENT);
          }
          const fresh = host.get(R.replicaSets, ns, name) ?? rs;
          if (!jsonEqual(plan.status, (fresh as Obj).status)) host.updateStatus(R.replicaSets, { ...fresh, status: plan.status }, MANAGER.controllerManager);
          return plan.recheckAt === undefined ? undefined : plan.recheckAt - now;
        },
      },
      options,
    );
}
