/**
 * The simulated kube-scheduler: binds each unbound pod to the fitting node with the fewest pods
 * (ties by name, so placement is reproducible), or marks it PodScheduled=False/Unschedulable
 * with the scheduler's message when no node fits. `sim.kd.io/fail: unschedulable` makes a pod
 * unschedulable as if it asked for more CPU than any node has.
 * Fit checks: node Ready and schedulable, nodeSelector, required node affinity, NoSchedule and
 * NoExecute taints against tolerations. Resources are not accounted.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runController, objectKey, splitKey, type RunOptions } from './work-queue.js';
import { clone, formatTime, isDeleting, jsonEqual, labelsOf, nameOf, namespaceOf, uidOf, type Obj, type PodSpec } from './objects.js';
import { podFitsNode } from './label-selector.js';
import { isNodeReady } from './nodes.js';
import { behaviourOf } from './failure-injection.js';

export const SCHEDULER_COMPONENT = 'default-scheduler';

type Taint = { key?: string; value?: string; effect?: string };

function tolerates(spec: PodSpec, taint: Taint): boolean {
  return (spec.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export type ScheduleDecision = { node: string } | { unschedulable: string };

/** Pure placement: which node a pod goes to, or the scheduler's message for why none fits. */
export function schedule(pod: Obj<PodSpec>, nodes: KubeObject[], podsPerNode: Map<string, number>): ScheduleDecision {
  const n = nodes.length;
  if (n === 0) return { unschedulable: 'no nodes available to schedule pods' };
  if (behaviourOf(pod).fail === 'unschedulable') {
    return {
      unschedulable: `0/${n} nodes are available: ${n} Insufficient cpu. preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`,
    };
  }
  const spec = pod.spec ?? {};
  const reasons = new Map<string, number>();
  const fits: string[] = [];
  for (const node of [...nodes].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
    const nspec = ((node as Obj).spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };
    let reason: string | undefined;
    if (!isNodeReady(node)) reason = `node(s) had untolerated taint {node.kubernetes.io/not-ready: }`;
    else if (nspec.unschedulable && !tolerates(spec, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) reason = 'node(s) were unschedulable';
    else if (!podFitsNode(spec, { name: nameOf(node), labels: labelsOf(node) })) reason = "node(s) didn't match Pod's node affinity/selector";
    else {
      const taint = (nspec.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec, t));
      if (taint) reason = `node(s) had untolerated taint {${taint.key ?? ''}: ${taint.value ?? ''}}`;
    }
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    else fits.push(nameOf(node));
  }
  if (fits.length === 0) {
    const parts = [...reasons.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([r, c]) => `${c} ${r}`);
    return {
      unschedulable: `0/${n} nodes are available: ${parts.join(', ')}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    };
  }
  let best = fits[0] as string;
  for (const f of fits) if ((podsPerNode.get(f) ?? 0) < (podsPerNode.get(best) ?? 0)) best = f;
  return { node: best };
}

const isUnbound = (o: KubeObject) => !((o as Obj<PodSpec>).spec?.nodeName);

export function startScheduler(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) => {
    const reported = new Map<string, string>();
    const unboundKeys = () => host.list(R.pods).filter(isUnbound).map(objectKey);
    return runController(
      host,
      {
        name: 'scheduler',
        watches: [
          { key: R.pods, map: (o, type) => (type !== 'DELETED' && isUnbound(o) ? [objectKey(o)] : []) },
          { key: R.nodes, map: (_o, type) => (type === 'DELETED' ? [] : unboundKeys()) },
        ],
        reconcile: (k) => {
          const { namespace, name } = splitKey(k);
          const pod = host.get(R.pods, namespace, name) as Obj<PodSpec> | undefined;
          if (!pod || isDeleting(pod) || !isUnbound(pod)) return;
          const schedulerName = pod.spec?.schedulerName;
          if (schedulerName !== undefined && schedulerName !== SCHEDULER_COMPONENT) return;
          const podsPerNode = new Map<string, number>();
          for (const p of host.list(R.pods)) {
            const node = (p as Obj<PodSpec>).spec?.nodeName;
            const phase = (p as Obj).status?.phase;
            if (node && phase !== 'Succeeded' && phase !== 'Failed') podsPerNode.set(node, (podsPerNode.get(node) ?? 0) + 1);
          }
          const decision = schedule(pod, host.list(R.nodes), podsPerNode);
          const now = formatTime(host.clock.now());
          if ('unschedulable' in decision) {
            const status = clone((pod.status ?? {}) as Record<string, unknown>);
            const conditions = ((status.conditions ?? []) as Array<Record<string, unknown>>).filter((c) => c.type !== 'PodScheduled');
            const prior = ((pod.status?.conditions ?? []) as Array<Record<string, unknown>>).find((c) => c.type === 'PodScheduled');
            conditions.push({
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: prior?.status === 'False' ? prior.lastTransitionTime : now,
              reason: 'Unschedulable',
              message: decision.unschedulable,
            });
            const next = { ...status, phase: 'Pending', conditions };
            if (!jsonEqual(next, pod.status)) host.updateStatus(R.pods, { ...pod, status: next }, MANAGER.scheduler);
            if (reported.get(uidOf(pod)) !== decision.unschedulable) {
              reported.set(uidOf(pod), decision.unschedulable);
              host.recordEvent(pod, 'Warning', 'FailedScheduling', decision.unschedulable, SCHEDULER_COMPONENT);
            }
            return;
          }
          reported.delete(uidOf(pod));
          const bound = host.bindPod
            ? host.bindPod(namespace ?? 'default', name, decision.node)
            : host.update(R.pods, { ...pod, spec: { ...pod.spec, nodeName: decision.node } }, MANAGER.scheduler);
          const status = clone(((bound as Obj).status ?? {}) as Record<string, unknown>);
          const conditions = ((status.conditions ?? []) as Array<Record<string, unknown>>).filter((c) => c.type !== 'PodScheduled');
          const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
          const existing = ((status.conditions ?? []) as Array<Record<string, unknown>>).find((c) => c.type === 'PodScheduled');
          if (existing?.status !== 'True') host.updateStatus(R.pods, { ...bound, status: { ...status, conditions: [...conditions, scheduled] } }, MANAGER.scheduler);
          host.recordEvent(bound, 'Normal', 'Scheduled', `Successfully assigned ${namespaceOf(pod) ?? 'default'}/${name} to ${decision.node}`, SCHEDULER_COMPONENT);
        },
      },
      options,
    );
  };
}
