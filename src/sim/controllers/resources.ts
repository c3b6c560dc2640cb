/** The resources the simulated controllers read and write, and the field managers they write as. */
import type { ResourceKey } from '../controller-host.js';

const key = (group: string, version: string, resource: string): ResourceKey => ({ group, version, resource });

export const R = {
  pods: key('', 'v1', 'pods'),
  nodes: key('', 'v1', 'nodes'),
  services: key('', 'v1', 'services'),
  namespaces: key('', 'v1', 'namespaces'),
  pvcs: key('', 'v1', 'persistentvolumeclaims'),
  pvs: key('', 'v1', 'persistentvolumes'),
  configMaps: key('', 'v1', 'configmaps'),
  secrets: key('', 'v1', 'secrets'),
  deployments: key('apps', 'v1', 'deployments'),
  replicaSets: key('apps', 'v1', 'replicasets'),
  statefulSets: key('apps', 'v1', 'statefulsets'),
  daemonSets: key('apps', 'v1', 'daemonsets'),
  controllerRevisions: key('apps', 'v1', 'controllerrevisions'),
  jobs: key('batch', 'v1', 'jobs'),
  cronJobs: key('batch', 'v1', 'cronjobs'),
  endpointSlices: key('discovery.k8s.io', 'v1', 'endpointslices'),
} as const;

/** Field managers, as `managedFields` on a real cluster name them. */
export const MANAGER = {
  controllerManager: 'kube-controller-manager',
  kubelet: 'kubelet',
  scheduler: 'kube-scheduler',
} as const;

export const keyString = (k: ResourceKey): string => `${k.group}/${k.version}/${k.resource}`;
