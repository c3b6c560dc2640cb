/**
 * The StatefulSet controller: pods `<name>-<ordinal>` with stable hostnames, created in order
 * (each waits for the previous to be Running and Ready under OrderedReady; all at once under
 * Parallel), removed from the highest ordinal, PVCs from volumeClaimTemplates, and rolling
 * updates from the highest ordinal down to the partition, one pod at a time. Status: replicas,
 * readyReplicas, availableReplicas, currentReplicas, updatedReplicas, currentRevision,
 * updateRevision, observedGeneration, collisionCount.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runWorkloadController, type RunOptions } from './work-queue.js';
import { clone, isControlledBy, isDeleting, jsonEqual, meta, nameOf, type LabelSelector, type Obj, type PodTemplate } from './objects.js';
import { availableAt, isPodAvailable, isPodReady, isTerminal, podFromTemplate, podPhase } from './pods.js';
import { ensureControllerRevision } from './revisions.js';

export const STATEFULSET_COMPONENT = 'statefulset-controller';
export const REVISION_LABEL = 'controller-revision-hash';

export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  minReadySeconds?: number;
  ordinals?: { start?: number };
  volumeClaimTemplates?: Array<{ metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> }>;
}
type StatefulSet = Obj<StatefulSetSpec>;

const runningAndReady = (p: KubeObject) => podPhase(p) === 'Running' && isPodReady(p) && !isDeleting(p);

export function startStatefulSetController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) =>
    runWorkloadController<StatefulSet>(
      host,
      {
        name: 'statefulset',
        workload: R.statefulSets,
        kind: 'StatefulSet',
        children: R.pods,
        reconcile: (sts, ns, name) => {
          const spec = sts.spec ?? {};
          const now = host.clock.now();
          const replicas = spec.replicas ?? 1;
          const start = spec.ordinals?.start ?? 0;
          const parallel = spec.podManagementPolicy === 'Parallel';
          const updateRevision = ensureControllerRevision(host, sts, spec.template, spec.template?.metadata?.labels ?? {});
          const currentRevision = (sts.status?.currentRevision as string | undefined) ?? updateRevision;
          const owned = host.list(R.pods, ns).filter((p) => isControlledBy(p, sts));
          const byName = new Map(owned.map((p) => [nameOf(p), p]));
          const ordinalOf = (p: KubeObject) => Number(nameOf(p).slice(name.length + 1));
          const revisionOfPod = (p: KubeObject) => meta(p).labels?.[REVISION_LABEL];

          const createPod = (ordinal: number) => {
            const podName = `${name}-${ordinal}`;
            for (const t of spec.volumeClaimTemplates ?? []) {
              const claimName = `${t.metadata?.name ?? 'data'}-${podName}`;
              if (!host.get(R.pvcs, ns, claimName)) {
                host.create(
                  R.pvcs,
                  {
                    apiVersion: 'v1',
                    kind: 'PersistentVolumeClaim',
                    metadata: { name: claimName, namespace: ns, labels: { ...(spec.selector?.matchLabels ?? {}), ...(t.metadata?.labels ?? {}) }, ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}) },
                    spec: clone(t.spec ?? {}),
                  },
                  MANAGER.controllerManager,
                );
                host.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claimName} Pod ${podName} in StatefulSet ${name} success`, STATEFULSET_COMPONENT);
              }
            }
            const volumes = [...((spec.template?.spec?.volumes ?? []) as Array<{ name: string }>)];
            for (const t of spec.volumeClaimTemplates ?? []) {
              const vname = t.metadata?.name ?? 'data';
              const claim = { name: vname, persistentVolumeClaim: { claimName: `${vname}-${podName}` } };
              const i = volumes.findIndex((v) => v.name === vname);
              if (i >= 0) volumes[i] = claim;
              else volumes.push(claim);
            }
            const pod = podFromTemplate(spec.template, sts, {
              name: podName,
              namespace: ns,
              labels: { [REVISION_LABEL]: updateRevision, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(ordinal) },
              spec: { hostname: podName, ...(spec.serviceName ? { subdomain: spec.serviceName } : {}), ...(volumes.length > 0 ? { volumes } : {}) },
            });
            host.create(R.pods, pod, MANAGER.controllerManager);
            host.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`, STATEFULSET_COMPONENT);
          };
          const deletePod = (p: KubeObject) => {
            host.delete(R.pods, ns, nameOf(p), 'Background');
            host.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${nameOf(p)} in StatefulSet ${name} successful`, STATEFULSET_COMPONENT);
          };

          // 1. Replace finished pods, create missing ones in ordinal order.
          let blocked = false;
          for (let i = start; i < start + replicas && !blocked; i++) {
            const pod = byName.get(`${name}-${i}`);
            if (pod && isTerminal(pod) && !isDeleting(pod)) {
              deletePod(pod);
              blocked = !parallel;
              continue;
            }
            if (!pod) {
              createPod(i);
              blocked = !parallel;
              continue;
            }
            if (!parallel && !runningAndReady(pod)) blocked = true;
          }
          // 2. Condemned pods (beyond replicas), highest ordinal first.
          const condemned = owned.filter((p) => ordinalOf(p) >= start + replicas || ordinalOf(p) < start).sort((a, b) => ordinalOf(b) - ordinalOf(a));
          if (!blocked) {
            for (const p of condemned) {
              if (isDeleting(p)) { if (!parallel) break; else continue; }
              deletePod(p);
              if (!parallel) { blocked = true; break; }
            }
          }
          // 3. Rolling update: the highest outdated ordinal at or above the partition.
          const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
          const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
          const live = [...host.list(R.pods, ns).filter((p) => isControlledBy(p, sts))];
          if (!blocked && strategy === 'RollingUpdate' && condemned.length === 0) {
            const inRange = live.filter((p) => ordinalOf(p) >= start && ordinalOf(p) < start + replicas);
            const allHealthy = inRange.length === replicas && inRange.every(runningAndReady);
            if (allHealthy) {
              const outdated = inRange.filter((p) => ordinalOf(p) - start >= partition && revisionOfPod(p) !== updateRevision).sort((a, b) => ordinalOf(b) - ordinalOf(a));
              const first = outdated[0];
              if (first) deletePod(first);
            }
          }
          // 4. Status.
          const pods = host.list(R.pods, ns).filter((p) => isControlledBy(p, sts) && !isDeleting(p));
          const minReady = spec.minReadySeconds ?? 0;
          const updated = pods.filter((p) => revisionOfPod(p) === updateRevision).length;
          const ready = pods.filter(isPodReady).length;
          const rolledOut = updated === replicas && pods.length === replicas && ready === replicas;
          const current = rolledOut ? updateRevision : currentRevision;
          const status: Record<string, unknown> = {
            ...(sts.status ?? {}),
            observedGeneration: meta(sts).generation ?? 1,
            replicas: pods.length,
            readyReplicas: ready,
            currentReplicas: pods.filter((p) => revisionOfPod(p) === current).length,
            updatedReplicas: updated,
            currentRevision: current,
            updateRevision,
            collisionCount: 0,
            availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
          };
          for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[f] === 0) delete status[f];
          if (!jsonEqual(status, sts.status)) host.updateStatus(R.statefulSets, { ...sts, status }, MANAGER.controllerManager);
          const later = pods.map((p) => availableAt(p, minReady)).filter((t): t is number => t !== undefined && t > now);
          return later.length > 0 ? Math.min(...later) - now : undefined;
        },
      },
      options,
    );
}
