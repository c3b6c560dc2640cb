/**
 * Which check applies to which kind, keyed by group and kind (the version is a representation:
 * apps/v1 and a future apps/v2 Deployment are judged alike). Kinds not listed fall back to the
 * generic condition rules. `requireObservedGeneration` marks kinds whose controllers always
 * write status.observedGeneration, so its absence means "not observed yet".
 */
import { alwaysCurrent } from './kinds/always-current.js';
import { apiServiceHealth } from './kinds/api-service.js';
import { customResourceDefinitionHealth } from './kinds/custom-resource-definition.js';
import { daemonSetHealth } from './kinds/daemon-set.js';
import { deploymentHealth } from './kinds/deployment.js';
import { horizontalPodAutoscalerHealth } from './kinds/horizontal-pod-autoscaler.js';
import { ingressHealth } from './kinds/ingress.js';
import { jobHealth } from './kinds/job.js';
import { namespaceHealth } from './kinds/namespace.js';
import { persistentVolumeClaimHealth } from './kinds/persistent-volume-claim.js';
import { persistentVolumeHealth } from './kinds/persistent-volume.js';
import { podDisruptionBudgetHealth } from './kinds/pod-disruption-budget.js';
import { podHealth } from './kinds/pod.js';
import { replicaSetHealth } from './kinds/replica-set.js';
import { serviceHealth } from './kinds/service.js';
import { statefulSetHealth } from './kinds/stateful-set.js';
import type { HealthCheck } from './types.js';

export interface KindHealthRule {
  check: HealthCheck;
  requireObservedGeneration: boolean;
  /** Workloads whose pods the caller should pass, so their failures fail fast. */
  hasPods: boolean;
}

const rule = (check: HealthCheck, options: { requireObservedGeneration?: boolean; hasPods?: boolean } = {}): KindHealthRule => ({
  check,
  requireObservedGeneration: options.requireObservedGeneration ?? false,
  hasPods: options.hasPods ?? false,
});

const workload = (check: HealthCheck): KindHealthRule => rule(check, { requireObservedGeneration: true, hasPods: true });

const rules = new Map<string, KindHealthRule>([
  ['apps/Deployment', workload(deploymentHealth)],
  ['apps/StatefulSet', workload(statefulSetHealth)],
  ['apps/DaemonSet', workload(daemonSetHealth)],
  ['apps/ReplicaSet', workload(replicaSetHealth)],
  ['/ReplicationController', workload(replicaSetHealth)],
  ['batch/Job', rule(jobHealth, { hasPods: true })],
  ['batch/CronJob', rule(alwaysCurrent)],
  ['/Pod', rule(podHealth)],
  ['/PersistentVolumeClaim', rule(persistentVolumeClaimHealth)],
  ['/PersistentVolume', rule(persistentVolumeHealth)],
  ['/Service', rule(serviceHealth)],
  ['/Namespace', rule(namespaceHealth)],
  ['apiextensions.k8s.io/CustomResourceDefinition', rule(customResourceDefinitionHealth)],
  ['apiregistration.k8s.io/APIService', rule(apiServiceHealth)],
  ['autoscaling/HorizontalPodAutoscaler', rule(horizontalPodAutoscalerHealth)],
  ['policy/PodDisruptionBudget', rule(podDisruptionBudgetHealth)],
  ['networking.k8s.io/Ingress', rule(ingressHealth)],
  ['extensions/Ingress', rule(ingressHealth)],
  ...['ConfigMap', 'Secret', 'ServiceAccount', 'ResourceQuota', 'LimitRange', 'Endpoints'].map((k) => [`/${k}`, rule(alwaysCurrent)] as const),
  ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((k) => [`rbac.authorization.k8s.io/${k}`, rule(alwaysCurrent)] as const),
  ['networking.k8s.io/NetworkPolicy', rule(alwaysCurrent)],
  ['networking.k8s.io/IngressClass', rule(alwaysCurrent)],
  ['storage.k8s.io/StorageClass', rule(alwaysCurrent)],
  ['scheduling.k8s.io/PriorityClass', rule(alwaysCurrent)],
]);

/** The kind's rule, or undefined for kinds judged by the generic condition rules. */
export function healthRuleFor(groupKind: { group: string; kind: string }): KindHealthRule | undefined {
  return rules.get(`${groupKind.group}/${groupKind.kind}`);
}

/** Whether the caller should collect pods for this kind (Deployment, StatefulSet, Job, ...). */
export function kindHasPods(groupKind: { group: string; kind: string }): boolean {
  return healthRuleFor(groupKind)?.hasPods ?? false;
}
