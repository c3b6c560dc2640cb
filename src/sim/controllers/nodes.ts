/**
 * The simulated Nodes: `node-1` ... `node-N`, created at start when missing and kept Ready,
 * with the labels, addresses, capacity and nodeInfo a kubelet registers. Node i owns the pod
 * CIDR 10.244.i.0/24 and the address 172.18.0.(i+1), which the kubelet and scheduler read back.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { formatTime, jsonEqual, type Obj } from './objects.js';
import { SIM_KUBERNETES_VERSION } from '../version.js';

export const SIM_NODE_LABEL = 'sim.kd.io/node';

export function nodeName(index: number): string {
  return `node-${index}`;
}

export function nodeObject(index: number): KubeObject {
  const name = nodeName(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        [SIM_NODE_LABEL]: 'true',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
  };
}

export function nodeStatus(index: number, now: number): Record<string, unknown> {
  const t = formatTime(now);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  const resources = { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: nodeAddress(index) },
      { type: 'Hostname', address: nodeName(index) },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      architecture: 'amd64',
      bootID: '',
      containerRuntimeVersion: 'containerd://2.1.0',
      kernelVersion: '6.8.0',
      kubeProxyVersion: '',
      kubeletVersion: SIM_KUBERNETES_VERSION,
      machineID: '',
      operatingSystem: 'linux',
      osImage: 'kd sim',
      systemUUID: '',
    },
  };
}

export const nodeAddress = (index: number): string => `172.18.0.${index + 1}`;

/** The InternalIP of any node object (simulated or not). */
export function internalIP(node: KubeObject): string {
  const addresses = ((node as Obj).status?.addresses ?? []) as Array<{ type?: string; address?: string }>;
  return addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
}

export function isNodeReady(node: KubeObject): boolean {
  const conditions = ((node as Obj).status?.conditions ?? []) as Array<{ type?: string; status?: string }>;
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Creates the missing simulated nodes and gives every simulated node a Ready status. */
export function ensureNodes(host: ControllerHost, count: number): void {
  for (let i = 1; i <= count; i++) {
    let node = host.get(R.nodes, undefined, nodeName(i));
    if (!node) node = host.create(R.nodes, nodeObject(i), MANAGER.kubelet);
    if (!isNodeReady(node) || !jsonEqual(((node as Obj).status?.addresses as unknown) ?? [], nodeStatus(i, 0).addresses)) {
      host.updateStatus(R.nodes, { ...node, status: nodeStatus(i, host.clock.now()) }, MANAGER.kubelet);
    }
  }
}

export function startNodes(count: number) {
  return (host: ControllerHost): (() => void) => {
    ensureNodes(host, count);
    return () => {};
  };
}
