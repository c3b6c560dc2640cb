/**
 * The install order of kinds within a wave — Helm's list, which Argo CD also uses — and its
 * reverse for deletion. The order holds for Kubernetes' own API groups only: a custom resource
 * that happens to be called `Service` is a custom resource, and goes last with the others.
 */
import type { ObjectRef } from '../model/index.js';

export const INSTALL_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const rankByKind = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));

/** Kubernetes' own groups: the core group, unqualified names (apps, batch, ...) and `*.k8s.io`. */
export function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** Position in the install order; every other kind shares the last rank. */
export function kindRank(ref: Pick<ObjectRef, 'group' | 'kind'>): number {
  const rank = isBuiltInGroup(ref.group) ? rankByKind.get(ref.kind) : undefined;
  return rank ?? INSTALL_ORDER.length;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Name as shown and sorted: generateName objects by their prefix. */
export function sortName(ref: ObjectRef): string {
  return ref.name || ref.generateName || '';
}

/** Kind (install order), then kind name for the custom resources sharing the last rank, then name, then namespace. */
export function compareInstallOrder(a: ObjectRef, b: ObjectRef): number {
  return kindRank(a) - kindRank(b) || compareWithinRank(a, b);
}

/** Deletion: kinds in reverse install order (custom resources first, Namespaces last), then name. */
export function compareDeleteOrder(a: ObjectRef, b: ObjectRef): number {
  return kindRank(b) - kindRank(a) || compareWithinRank(a, b);
}

/** Inside one rank both orders agree (kind, group, name, namespace): only the ranks are reversed for deletion. */
function compareWithinRank(a: ObjectRef, b: ObjectRef): number {
  return (
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.group, b.group) ||
    compareStrings(sortName(a), sortName(b)) ||
    compareStrings(a.namespace ?? '', b.namespace ?? '')
  );
}
