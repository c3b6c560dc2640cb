/**
 * The per-kind strategies by group and kind. Custom resources have none: they are served by the
 * generic path with their CRD's schema only.
 */
import { configMapStrategy, secretStrategy } from './config.js';
import { crdStrategy } from './crd.js';
import { cronJobStrategy, jobStrategy } from './job.js';
import { namespaceStrategy } from './namespace.js';
import { podStrategy } from './pod.js';
import { serviceStrategy } from './service.js';
import type { Strategy } from './strategy.js';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './volumes.js';
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './workloads.js';

export type { Allocator, Strategy } from './strategy.js';

const STRATEGIES: ReadonlyMap<string, Strategy> = new Map([
  ['/Pod', podStrategy],
  ['/Service', serviceStrategy],
  ['/Namespace', namespaceStrategy],
  ['/Secret', secretStrategy],
  ['/ConfigMap', configMapStrategy],
  ['/PersistentVolumeClaim', persistentVolumeClaimStrategy],
  ['/PersistentVolume', persistentVolumeStrategy],
  ['/ReplicationController', replicationControllerStrategy],
  ['apps/Deployment', deploymentStrategy],
  ['apps/ReplicaSet', replicaSetStrategy],
  ['apps/StatefulSet', statefulSetStrategy],
  ['apps/DaemonSet', daemonSetStrategy],
  ['batch/Job', jobStrategy],
  ['batch/CronJob', cronJobStrategy],
  ['apiextensions.k8s.io/CustomResourceDefinition', crdStrategy],
]);

const NONE: Strategy = {};

export function strategyFor(resource: { group: string; kind: string; custom?: boolean }): Strategy {
  if (resource.custom) return NONE;
  return STRATEGIES.get(`${resource.group}/${resource.kind}`) ?? NONE;
}
