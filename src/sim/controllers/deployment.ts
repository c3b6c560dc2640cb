/**
 * The Deployment controller, after kube-controller-manager's: one ReplicaSet per pod template
 * (`<name>-<pod-template-hash>`, revision annotation), rolling updates bounded by maxSurge and
 * maxUnavailable (old ReplicaSets' unhealthy pods cleaned first), Recreate, scaling, history
 * pruned to revisionHistoryLimit, and the status kubectl rollout reads: observedGeneration,
 * replica counts, Available and Progressing (NewReplicaSetCreated, FoundNewReplicaSet,
 * ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded).
 * The arithmetic is pure (exported for tests); `startDeploymentController` applies it.
 * Limits: no proportional scaling of several live ReplicaSets mid-rollout, no adoption of
 * orphaned ReplicaSets, no rollback annotation handling.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runWorkloadController, type RunOptions } from './work-queue.js';
import {
  byCreation,
  canonicalJson,
  clone,
  formatTime,
  getCondition,
  isControlledBy,
  isDeleting,
  jsonEqual,
  meta,
  nameOf,
  ownerRefTo,
  parseTime,
  setCondition,
  type Condition,
  type LabelSelector,
  type Obj,
  type PodTemplate,
} from './objects.js';
import { intOrPercent, isActive } from './pods.js';
import { templateHash } from './names.js';
import type { ReplicaSetSpec } from './replica-set.js';

export const DEPLOYMENT_COMPONENT = 'deployment-controller';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export type Deployment = Obj<DeploymentSpec>;
export type ReplicaSet = Obj<ReplicaSetSpec>;

const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.daemonset.template.generation',
]);

export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;
export const specReplicas = (rs: KubeObject): number => (rs as ReplicaSet).spec?.replicas ?? 0;
const statusCount = (rs: KubeObject, field: string): number => Number((rs as ReplicaSet).status?.[field] ?? 0);
export const revisionOf = (rs: KubeObject): number => Number(meta(rs).annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
const isRolling = (d: Deployment) => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** maxSurge and maxUnavailable resolved against the replica count (surge rounds up, unavailable down; never both 0). */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  if (!isRolling(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = desiredReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = intOrPercent(ru?.maxSurge, replicas, true, '25%');
  let maxUnavailable = intOrPercent(ru?.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** MaxUnavailable as the Available condition uses it: 0 for Recreate, capped at replicas. */
export function maxUnavailableForAvailability(d: Deployment): number {
  if (!isRolling(d) || desiredReplicas(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, desiredReplicas(d));
}

/** The template without the pod-template-hash label, for comparisons and hashing. */
export function templateWithoutHash(template: PodTemplate | undefined): PodTemplate {
  const t = clone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  if (t.metadata && (t.metadata as Record<string, unknown>).creationTimestamp === null) delete (t.metadata as Record<string, unknown>).creationTimestamp;
  return t;
}

export function sameTemplate(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's. */
export function findNewReplicaSet(d: Deployment, replicaSets: KubeObject[]): ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => sameTemplate((rs as ReplicaSet).spec?.template, d.spec?.template)) as ReplicaSet | undefined;
}

/** NewRSNewReplicas for a rolling update: how far the new ReplicaSet may grow now. */
export function newReplicaSetReplicas(d: Deployment, allReplicaSets: KubeObject[], newRS: KubeObject | undefined): number {
  const current = newRS ? specReplicas(newRS) : 0;
  if (!isRolling(d)) return desiredReplicas(d);
  const { maxSurge } = resolveFenceposts(d);
  const total = allReplicaSets.reduce((n, rs) => n + specReplicas(rs), 0);
  const maxTotal = desiredReplicas(d) + maxSurge;
  if (total >= maxTotal) return current;
  const scaleUp = Math.min(maxTotal - total, desiredReplicas(d) - current);
  return current + Math.max(0, scaleUp);
}

/**
 * reconcileOldReplicaSets: the new spec.replicas of each old ReplicaSet (by name) that keeps at
 * least replicas-maxUnavailable pods available, scaling unhealthy old pods away first.
 */
export function scaleDownOldReplicaSets(d: Deployment, oldRSs: KubeObject[], newRS: KubeObject | undefined): Map<string, number> {
  const result = new Map<string, number>();
  const replicasOf = (rs: KubeObject) => result.get(nameOf(rs)) ?? specReplicas(rs);
  const oldCount = oldRSs.reduce((n, rs) => n + specReplicas(rs), 0);
  if (oldCount === 0) return result;
  const all = newRS ? [...oldRSs, newRS] : oldRSs;
  const allCount = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const { maxUnavailable } = resolveFenceposts(d);
  const minAvailable = desiredReplicas(d) - maxUnavailable;
  const newUnavailable = newRS ? specReplicas(newRS) - statusCount(newRS, 'availableReplicas') : 0;
  const maxScaledDown = allCount - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return result;
  // 1. Unhealthy old pods go first: they add nothing to availability.
  let cleanup = maxScaledDown;
  let cleaned = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleanup <= 0) break;
    const replicas = specReplicas(rs);
    const available = statusCount(rs, 'availableReplicas');
    if (replicas === available || replicas === 0) continue;
    const down = Math.min(cleanup, replicas - available);
    result.set(nameOf(rs), replicas - down);
    cleanup -= down;
    cleaned += down;
  }
  // 2. Then available old pods, down to minAvailable across all ReplicaSets.
  const availableCount = all.reduce((n, rs) => n + statusCount(rs, 'availableReplicas'), 0);
  if (availableCount <= minAvailable) return result;
  let remaining = Math.min(availableCount - minAvailable, maxScaledDown - cleaned);
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (remaining <= 0) break;
    const replicas = replicasOf(rs);
    if (replicas === 0) continue;
    const down = Math.min(replicas, remaining);
    result.set(nameOf(rs), replicas - down);
    remaining -= down;
  }
  return result;
}

export interface DeploymentStatusCounts {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
}

export function countStatus(d: Deployment, allRSs: KubeObject[], newRS: KubeObject | undefined): DeploymentStatusCounts {
  const available = allRSs.reduce((n, rs) => n + statusCount(rs, 'availableReplicas'), 0);
  const total = allRSs.reduce((n, rs) => n + specReplicas(rs), 0);
  return {
    observedGeneration: meta(d).generation ?? 1,
    replicas: allRSs.reduce((n, rs) => n + statusCount(rs, 'replicas'), 0),
    updatedReplicas: newRS ? statusCount(newRS, 'replicas') : 0,
    readyReplicas: allRSs.reduce((n, rs) => n + statusCount(rs, 'readyReplicas'), 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
}

const condition = (type: string, status: Condition['status'], reason: string, message: string, now: number): Condition => ({
  type,
  status,
  lastUpdateTime: formatTime(now),
  lastTransitionTime: formatTime(now),
  reason,
  message,
});

/** calculateStatus: counts plus the Available condition (omitempty integers dropped, as in JSON). */
export function calculateStatus(d: Deployment, allRSs: KubeObject[], newRS: KubeObject | undefined, now: number): Record<string, unknown> {
  const counts = countStatus(d, allRSs, newRS);
  const status: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(counts)) if (v !== 0) status[k] = v;
  const collisionCount = d.status?.collisionCount;
  if (collisionCount !== undefined) status.collisionCount = collisionCount;
  let conditions = [...((d.status?.conditions as Condition[] | undefined) ?? [])];
  conditions =
    counts.availableReplicas >= desiredReplicas(d) - maxUnavailableForAvailability(d)
      ? setCondition(conditions, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now))
      : setCondition(conditions, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  status.conditions = conditions;
  return status;
}

const num = (s: Record<string, unknown> | undefined, k: string): number => Number(s?.[k] ?? 0);

export function deploymentComplete(d: Deployment, status: Record<string, unknown>): boolean {
  const want = desiredReplicas(d);
  return num(status, 'updatedReplicas') === want && num(status, 'replicas') === want && num(status, 'availableReplicas') === want && num(status, 'observedGeneration') >= (meta(d).generation ?? 1);
}

function deploymentProgressing(d: Deployment, status: Record<string, unknown>): boolean {
  const old = d.status ?? {};
  const oldOld = num(old, 'replicas') - num(old, 'updatedReplicas');
  const newOld = num(status, 'replicas') - num(status, 'updatedReplicas');
  return num(status, 'updatedReplicas') > num(old, 'updatedReplicas') || newOld < oldOld || num(status, 'readyReplicas') > num(old, 'readyReplicas') || num(status, 'availableReplicas') > num(old, 'availableReplicas');
}

const deadlineMs = (d: Deployment): number | undefined => {
  const s = d.spec?.progressDeadlineSeconds ?? 600;
  return s === 2147483647 ? undefined : s * 1000;
};

/**
 * syncRolloutStatus: the new status with the Progressing condition advanced, and when to look
 * again for a progress deadline.
 */
export function rolloutStatus(d: Deployment, allRSs: KubeObject[], newRS: KubeObject | undefined, now: number): { status: Record<string, unknown>; recheckInMs?: number } {
  const status = calculateStatus(d, allRSs, newRS, now);
  let conditions = status.conditions as Condition[];
  const deadline = deadlineMs(d);
  if (deadline === undefined) conditions = conditions.filter((c) => c.type !== 'Progressing');
  const current = getCondition(d.status?.conditions as Condition[] | undefined, 'Progressing');
  const rsName = newRS ? nameOf(newRS) : '';
  const complete = num(status, 'replicas') === num(status, 'updatedReplicas') && current?.reason === 'NewReplicaSetAvailable';
  if (deadline !== undefined && !complete) {
    if (deploymentComplete(d, status)) {
      const msg = newRS ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${nameOf(d)}" has successfully progressed.`;
      conditions = setCondition(conditions, condition('Progressing', 'True', 'NewReplicaSetAvailable', msg, now));
    } else if (deploymentProgressing(d, status)) {
      const next = condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, now);
      if (current?.status === 'True' && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
      conditions = [...conditions.filter((c) => c.type !== 'Progressing'), next];
    } else {
      const cond = getCondition(conditions, 'Progressing');
      const from = parseTime(cond?.lastUpdateTime);
      const timedOut = cond !== undefined && cond.reason !== 'NewReplicaSetAvailable' && (cond.reason === 'ProgressDeadlineExceeded' || (from !== undefined && from + deadline < now));
      if (timedOut) conditions = setCondition(conditions, condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, now));
    }
  }
  status.conditions = conditions;
  // requeueStuckDeployment: look again when the deadline would pass.
  const cond = getCondition(conditions, 'Progressing');
  const from = parseTime(cond?.lastUpdateTime);
  if (deadline !== undefined && cond && cond.reason !== 'NewReplicaSetAvailable' && cond.reason !== 'ProgressDeadlineExceeded' && from !== undefined && !deploymentComplete(d, status)) {
    return { status, recheckInMs: Math.max(0, from + deadline - now) + 1000 };
  }
  return { status };
}

/** Old ReplicaSets beyond revisionHistoryLimit that may be deleted, oldest revision first. */
export function prunableReplicaSets(d: Deployment, oldRSs: KubeObject[]): KubeObject[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const alive = oldRSs.filter((rs) => !isDeleting(rs)).sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  return alive
    .slice(0, diff)
    .filter((rs) => statusCount(rs, 'replicas') === 0 && specReplicas(rs) === 0 && (meta(rs).generation ?? 1) <= statusCount(rs, 'observedGeneration'));
}

export function startDeploymentController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) => {
    const scale = (d: Deployment, rs: ReplicaSet, replicas: number): ReplicaSet => {
      const from = specReplicas(rs);
      const { maxSurge } = resolveFenceposts(d);
      const annotations = { ...(meta(rs).annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desiredReplicas(d)), [MAX_REPLICAS_ANNOTATION]: String(desiredReplicas(d) + maxSurge) };
      if (from === replicas && jsonEqual(annotations, meta(rs).annotations)) return rs;
      const updated = host.update(R.replicaSets, { ...rs, metadata: { ...meta(rs), annotations }, spec: { ...rs.spec, replicas } }, MANAGER.controllerManager) as ReplicaSet;
      if (from !== replicas) {
        host.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${replicas}`, DEPLOYMENT_COMPONENT);
      }
      return updated;
    };

    const writeStatus = (d: Deployment, status: Record<string, unknown>) => {
      if (!jsonEqual(status, d.status)) host.updateStatus(R.deployments, { ...d, status }, MANAGER.controllerManager);
    };

    const setRevision = (d: Deployment, revision: number): Deployment => {
      if (meta(d).annotations?.[REVISION_ANNOTATION] === String(revision)) return d;
      const annotations = { ...(meta(d).annotations ?? {}), [REVISION_ANNOTATION]: String(revision) };
      return host.update(R.deployments, { ...d, metadata: { ...meta(d), annotations } }, MANAGER.controllerManager) as Deployment;
    };

    /** getAllReplicaSetsAndSyncRevision: finds or (when asked) creates the new ReplicaSet. */
    const syncNewReplicaSet = (d0: Deployment, all: ReplicaSet[], create: boolean): { d: Deployment; newRS: ReplicaSet | undefined; old: ReplicaSet[] } => {
      let d = d0;
      const now = host.clock.now();
      const existing = findNewReplicaSet(d, all);
      const old = all.filter((rs) => rs !== existing);
      const newRevision = Math.max(0, ...old.map(revisionOf)) + 1;
      const ns = meta(d).namespace ?? 'default';
      if (existing) {
        let rs = existing;
        if (revisionOf(rs) < newRevision) {
          const annotations = { ...(meta(rs).annotations ?? {}), [REVISION_ANNOTATION]: String(newRevision) };
          rs = host.update(R.replicaSets, { ...rs, metadata: { ...meta(rs), annotations } }, MANAGER.controllerManager) as ReplicaSet;
        }
        d = setRevision(d, revisionOf(rs));
        if (deadlineMs(d) !== undefined && !getCondition(d.status?.conditions as Condition[] | undefined, 'Progressing')) {
          const conditions = setCondition((d.status?.conditions as Condition[] | undefined) ?? [], condition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${nameOf(rs)}"`, now));
          d = host.updateStatus(R.deployments, { ...d, status: { ...(d.status ?? {}), conditions } }, MANAGER.controllerManager) as Deployment;
        }
        return { d, newRS: rs, old };
      }
      if (!create) return { d, newRS: undefined, old };
      // Create `<name>-<hash>`, bumping collisionCount if that name holds another template.
      let collisionCount = Number(d.status?.collisionCount ?? 0);
      for (;;) {
        const hash = templateHash(templateWithoutHash(d.spec?.template), collisionCount);
        const rsName = `${nameOf(d)}-${hash}`;
        const clash = host.get(R.replicaSets, ns, rsName);
        if (clash) {
          if (isControlledBy(clash, d) && sameTemplate((clash as ReplicaSet).spec?.template, d.spec?.template)) return { d, newRS: clash as ReplicaSet, old };
          collisionCount++;
          d = host.updateStatus(R.deployments, { ...d, status: { ...(d.status ?? {}), collisionCount } }, MANAGER.controllerManager) as Deployment;
          continue;
        }
        const template = clone(d.spec?.template ?? {});
        template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
        const selector = clone(d.spec?.selector ?? {});
        selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
        const annotations: Record<string, string> = {};
        for (const [k, v] of Object.entries(meta(d).annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) annotations[k] = v;
        const { maxSurge } = resolveFenceposts(d);
        annotations[DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas(d));
        annotations[MAX_REPLICAS_ANNOTATION] = String(desiredReplicas(d) + maxSurge);
        annotations[REVISION_ANNOTATION] = String(newRevision);
        const draft: ReplicaSet = {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: rsName, namespace: ns, labels: template.metadata.labels, annotations, ownerReferences: [ownerRefTo(d)] },
          spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
        };
        const replicas = newReplicaSetReplicas(d, [...old, draft], draft);
        draft.spec = { ...draft.spec, replicas };
        const created = host.create(R.replicaSets, draft, MANAGER.controllerManager) as ReplicaSet;
        if (replicas > 0) host.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, DEPLOYMENT_COMPONENT);
        d = setRevision(d, newRevision);
        if (deadlineMs(d) !== undefined) {
          const conditions = setCondition((d.status?.conditions as Condition[] | undefined) ?? [], condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, now));
          d = host.updateStatus(R.deployments, { ...d, status: { ...(d.status ?? {}), conditions } }, MANAGER.controllerManager) as Deployment;
        }
        return { d, newRS: created, old };
      }
    };

    const syncStatusOnly = (d: Deployment, all: KubeObject[], newRS: KubeObject | undefined) => writeStatus(d, calculateStatus(d, all, newRS, host.clock.now()));

    const finish = (d: Deployment, newRS: ReplicaSet | undefined, old: ReplicaSet[]): number | undefined => {
      if (deploymentComplete(d, d.status ?? {})) {
        for (const rs of prunableReplicaSets(d, old)) host.delete(R.replicaSets, meta(rs).namespace, nameOf(rs), 'Background');
      }
      const all = newRS ? [...old, newRS] : old;
      const { status, recheckInMs } = rolloutStatus(d, all, newRS, host.clock.now());
      writeStatus(d, status);
      return recheckInMs;
    };

    return runWorkloadController<Deployment>(
      host,
      {
        name: 'deployment',
        workload: R.deployments,
        kind: 'Deployment',
        children: R.replicaSets,
        reconcile: (d, ns) => {
          const owned = () => host.list(R.replicaSets, ns).filter((rs) => isControlledBy(rs, d as Deployment)) as ReplicaSet[];
          let all = owned();

          if (d.spec?.paused) {
            const synced = syncNewReplicaSet(d, all, false);
            const status = calculateStatus(synced.d, all, synced.newRS, host.clock.now());
            if (deadlineMs(synced.d) !== undefined) {
              status.conditions = setCondition(status.conditions as Condition[], condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', host.clock.now()));
            }
            writeStatus(synced.d, status);
            return;
          }
          // A resumed deployment starts its progress clock anew.
          const progressing = getCondition(d.status?.conditions as Condition[] | undefined, 'Progressing');
          if (progressing?.reason === 'DeploymentPaused') {
            const conditions = setCondition(((d.status?.conditions as Condition[]) ?? []), condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', host.clock.now()));
            d = host.updateStatus(R.deployments, { ...d, status: { ...(d.status ?? {}), conditions } }, MANAGER.controllerManager) as Deployment;
          }

          if (!isRolling(d)) {
            // Recreate: old ReplicaSets to zero, wait for their pods to go, then the new one.
            const first = syncNewReplicaSet(d, all, false);
            d = first.d;
            let scaled = false;
            for (const rs of first.old) if (specReplicas(rs) > 0) { scale(d, rs, 0); scaled = true; }
            if (scaled) { syncStatusOnly(d, owned(), first.newRS); return; }
            const oldUids = new Set(first.old.map((rs) => meta(rs).uid));
            const oldPodsRunning = host.list(R.pods, ns).some((p) => isActive(p) && oldUids.has(meta(p).ownerReferences?.find((r) => r.controller)?.uid));
            if (oldPodsRunning) { syncStatusOnly(d, owned(), first.newRS); return; }
            const second = syncNewReplicaSet(d, owned(), true);
            d = second.d;
            if (second.newRS && specReplicas(second.newRS) !== desiredReplicas(d)) { scale(d, second.newRS, desiredReplicas(d)); syncStatusOnly(d, owned(), second.newRS); return; }
            return finish(d, second.newRS, second.old);
          }

          const synced = syncNewReplicaSet(d, all, true);
          d = synced.d;
          all = owned();
          const newRS = all.find((rs) => nameOf(rs) === nameOf(synced.newRS ?? {})) ;
          const old = all.filter((rs) => rs !== newRS);
          // 1. Grow (or shrink) the new ReplicaSet within maxSurge.
          if (newRS) {
            const target = specReplicas(newRS) > desiredReplicas(d) ? desiredReplicas(d) : newReplicaSetReplicas(d, all, newRS);
            if (target !== specReplicas(newRS)) {
              scale(d, newRS, target);
              syncStatusOnly(d, owned(), newRS);
              return;
            }
          }
          // 2. Shrink old ReplicaSets within maxUnavailable.
          const downs = scaleDownOldReplicaSets(d, old, newRS);
          let scaledDown = false;
          for (const rs of old) {
            const target = downs.get(nameOf(rs));
            if (target !== undefined && target !== specReplicas(rs)) { scale(d, rs, target); scaledDown = true; }
          }
          if (scaledDown) { syncStatusOnly(d, owned(), newRS); return; }
          return finish(d, newRS, old);
        },
      },
      options,
    );
  };
}
