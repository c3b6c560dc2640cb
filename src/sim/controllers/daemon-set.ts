/**
 * The DaemonSet controller: one pod per eligible node (nodeSelector, required node affinity and
 * NoSchedule taints against tolerations), pinned to it with node affinity on `metadata.name`
 * as the real controller does so the scheduler binds it; pods on nodes that no longer qualify
 * are removed; RollingUpdate replaces outdated pods at most maxUnavailable at a time. Status:
 * desired/current/misscheduled/ready/available/unavailable/updated counts, observedGeneration.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runWorkloadController, objectKey, type RunOptions } from './work-queue.js';
import { isControlledBy, jsonEqual, labelsOf, meta, nameOf, uidOf, type LabelSelector, type Obj, type PodSpec, type PodTemplate } from './objects.js';
import { availableAt, intOrPercent, isActive, isPodAvailable, isPodReady, podFromTemplate, type Pod } from './pods.js';
import { podFitsNode } from './label-selector.js';
import { ensureControllerRevision } from './revisions.js';
import { generateName } from './names.js';

export const DAEMONSET_COMPONENT = 'daemonset-controller';

export interface DaemonSetSpec {
  selector?: LabelSelector;
  template?: PodTemplate;
  minReadySeconds?: number;
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
}
type DaemonSet = Obj<DaemonSetSpec>;

/** The tolerations the DaemonSet controller adds to every daemon pod. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function targetNode(p: KubeObject): string | undefined {
  const spec = (p as Pod).spec;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.values?.[0]) return f.values[0];
  return spec?.nodeName;
}

function nodeQualifies(spec: PodSpec, node: KubeObject): boolean {
  if (!podFitsNode(spec, { name: nameOf(node), labels: labelsOf(node) })) return false;
  const taints = (((node as Obj).spec ?? {}) as { taints?: Array<{ key?: string; value?: string; effect?: string }> }).taints ?? [];
  const tolerations: NonNullable<PodSpec['tolerations']> = [...(spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
  return taints.every(
    (t) =>
      t.effect === 'PreferNoSchedule' ||
      tolerations.some((o) => (!o.effect || o.effect === t.effect) && (o.operator === 'Exists' ? !o.key || o.key === t.key : o.key === t.key && (o.value ?? '') === (t.value ?? ''))),
  );
}

export function startDaemonSetController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) => {
    const allDaemonSets = () => host.list(R.daemonSets).map(objectKey);
    return runWorkloadController<DaemonSet>(
      host,
      {
        name: 'daemonset',
        workload: R.daemonSets,
        kind: 'DaemonSet',
        children: R.pods,
        alsoWatch: [
          { key: R.nodes, map: () => allDaemonSets() },
        ],
        reconcile: (ds, ns, name) => {
          const now = host.clock.now();
          const spec = ds.spec ?? {};
          const templateSpec = (spec.template?.spec ?? {}) as PodSpec;
          const hash = ensureControllerRevision(host, ds, spec.template, spec.template?.metadata?.labels ?? {});
          const revision = hash.slice(hash.lastIndexOf('-') + 1);
          const nodes = host.list(R.nodes).sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
          const eligible = new Set(nodes.filter((n) => nodeQualifies(templateSpec, n)).map(nameOf));
          const owned = host.list(R.pods, ns).filter((p) => isControlledBy(p, ds) && isActive(p));
          const byNode = new Map<string, KubeObject[]>();
          for (const p of owned) {
            const n = targetNode(p) ?? '';
            byNode.set(n, [...(byNode.get(n) ?? []), p]);
          }
          const deletePod = (p: KubeObject) => {
            host.delete(R.pods, ns, nameOf(p), 'Background');
            host.recordEvent(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(p)}`, DAEMONSET_COMPONENT);
          };
          // 1. One pod per eligible node; none elsewhere.
          for (const node of eligible) {
            const pods = byNode.get(node) ?? [];
            if (pods.length === 0) {
              const podName = generateName(`${name}-`, `${uidOf(ds)}/${node}/${now}`, (n) => host.get(R.pods, ns, n) !== undefined);
              const affinity = {
                nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } },
              };
              const pod = podFromTemplate(spec.template, ds, {
                name: podName,
                generateName: `${name}-`,
                namespace: ns,
                labels: { 'controller-revision-hash': revision, 'pod-template-generation': String(meta(ds).generation ?? 1) },
                spec: { affinity, tolerations: [...(templateSpec.tolerations ?? []), ...DAEMON_TOLERATIONS] },
              });
              host.create(R.pods, pod, MANAGER.controllerManager);
              host.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, DAEMONSET_COMPONENT);
            } else for (const extra of pods.slice(1)) deletePod(extra);
          }
          for (const [node, pods] of byNode) if (!eligible.has(node)) for (const p of pods) deletePod(p);
          // 2. Rolling update: replace outdated pods, keeping at most maxUnavailable down.
          if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
            const maxUnavailable = Math.max(1, intOrPercent(spec.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.size, true, 1));
            const current = [...eligible].map((n) => (byNode.get(n) ?? [])[0]).filter((p): p is KubeObject => p !== undefined);
            let unavailable = eligible.size - current.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length;
            const outdated = current.filter((p) => labelsOf(p)['controller-revision-hash'] !== revision);
            // Unavailable outdated pods first: replacing them costs no availability.
            outdated.sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
            for (const p of outdated) {
              if (!isPodAvailable(p, spec.minReadySeconds ?? 0, now)) deletePod(p);
              else if (unavailable < maxUnavailable) {
                deletePod(p);
                unavailable++;
              }
            }
          }
          // 3. Status.
          const pods = host.list(R.pods, ns).filter((p) => isControlledBy(p, ds) && isActive(p));
          const onEligible = pods.filter((p) => eligible.has(targetNode(p) ?? ''));
          const scheduledNodes = new Set(pods.filter((p) => (p as Pod).spec?.nodeName).map((p) => targetNode(p) ?? ''));
          const available = onEligible.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length;
          const status: Record<string, unknown> = {
            ...(ds.status ?? {}),
            currentNumberScheduled: [...scheduledNodes].filter((n) => eligible.has(n)).length,
            numberMisscheduled: [...scheduledNodes].filter((n) => !eligible.has(n)).length,
            desiredNumberScheduled: eligible.size,
            numberReady: onEligible.filter(isPodReady).length,
            observedGeneration: meta(ds).generation ?? 1,
            updatedNumberScheduled: onEligible.filter((p) => labelsOf(p)['controller-revision-hash'] === revision && (p as Pod).spec?.nodeName).length,
            numberAvailable: available,
            numberUnavailable: eligible.size - available,
          };
          for (const f of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (status[f] === 0) delete status[f];
          if (!jsonEqual(status, ds.status)) host.updateStatus(R.daemonSets, { ...ds, status }, MANAGER.controllerManager);
          const later = onEligible.map((p) => availableAt(p, spec.minReadySeconds ?? 0)).filter((t): t is number => t !== undefined && t > now);
          return later.length > 0 ? Math.min(...later) - now : undefined;
        },
      },
      options,
    );
  };
}
