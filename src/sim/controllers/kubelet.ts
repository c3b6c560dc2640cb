/**
 * The simulated kubelets of every node: for each bound pod, evaluates the pure container-runtime
 * timeline (pod-timeline.ts) at the instants it changes, writes the pod status when it differs
 * from what is stored, and records the kubelet's Events once each. Pod IPs come from the node's
 * podCIDR. A pod being deleted without finalizers is removed, as the kubelet confirms deletion.
 * Runtime state (bind time, events recorded, IP) lives here, as in a real container runtime;
 * after a restart it is rebuilt from the stored status without repeating events.
 */
import type { ControllerHost } from '../controller-host.js';
import { R, MANAGER } from './resources.js';
import { runController, objectKey, splitKey, type RunOptions } from './work-queue.js';
import { isDeleting, jsonEqual, meta, parseTime, uidOf, type Obj, type PodSpec } from './objects.js';
import { podTimeline } from './pod-timeline.js';
import { internalIP } from './nodes.js';

export const KUBELET_COMPONENT = 'kubelet';

interface RuntimeState {
  boundAt: number;
  emitted: number;
  podIP: string;
  node: string;
}

export interface KubeletOptions extends RunOptions {
  podReadyDelayMs: number;
}

export function startKubelet(options: KubeletOptions) {
  return (host: ControllerHost): (() => void) => {
    const runtime = new Map<string, RuntimeState>();
    const keyToUid = new Map<string, string>();
    const usedIPs = new Map<string, Set<string>>();
    const deletionsRequested = new Set<string>();

    const ipsOn = (node: string): Set<string> => {
      let set = usedIPs.get(node);
      if (!set) {
        set = new Set();
        for (const p of host.list(R.pods)) {
          const o = p as Obj<PodSpec>;
          const ip = o.status?.podIP;
          if (o.spec?.nodeName === node && typeof ip === 'string') set.add(ip);
        }
        usedIPs.set(node, set);
      }
      return set;
    };
    const allocateIP = (nodeName: string, cidr: string | undefined): string => {
      const m = /^(\d+)\.(\d+)\.(\d+)\.\d+\/24$/.exec(cidr ?? '');
      const prefix = m ? `${m[1]}.${m[2]}.${m[3]}` : '10.244.0';
      const used = ipsOn(nodeName);
      for (let i = 2; i < 255; i++) {
        const ip = `${prefix}.${i}`;
        if (!used.has(ip)) {
          used.add(ip);
          return ip;
        }
      }
      return `${prefix}.254`;
    };
    const forget = (k: string) => {
      const uid = keyToUid.get(k);
      if (uid === undefined) return;
      const state = runtime.get(uid);
      if (state) usedIPs.get(state.node)?.delete(state.podIP);
      runtime.delete(uid);
      deletionsRequested.delete(uid);
      keyToUid.delete(k);
    };

    return runController(
      host,
      {
        name: 'kubelet',
        watches: [{ key: R.pods, map: (o) => [objectKey(o)] }],
        reconcile: (k) => {
          const { namespace, name } = splitKey(k);
          const pod = host.get(R.pods, namespace, name) as Obj<PodSpec> | undefined;
          if (!pod || (keyToUid.has(k) && keyToUid.get(k) !== uidOf(pod))) forget(k);
          if (!pod) return;
          const nodeName = pod.spec?.nodeName;
          if (!nodeName) return;
          const node = host.get(R.nodes, undefined, nodeName) as Obj<{ podCIDR?: string }> | undefined;
          if (!node) return;
          const uid = uidOf(pod);
          if (isDeleting(pod)) {
            if ((meta(pod).finalizers ?? []).length === 0 && !deletionsRequested.has(uid)) {
              deletionsRequested.add(uid);
              host.delete(R.pods, namespace, name);
            }
            return;
          }
          const now = host.clock.now();
          let state = runtime.get(uid);
          const readyDelayMs = options.podReadyDelayMs;
          if (!state) {
            const storedIP = typeof pod.status?.podIP === 'string' ? pod.status.podIP : undefined;
            const boundAt = parseTime(pod.status?.startTime as string | undefined) ?? now;
            const podIP = storedIP ?? allocateIP(nodeName, node.spec?.podCIDR);
            if (storedIP) ipsOn(nodeName).add(storedIP);
            state = { boundAt, emitted: 0, podIP, node: nodeName };
            // A pod that already ran before a restart: its past events were recorded then.
            if (pod.status?.startTime) {
              state.emitted = podTimeline({ pod, boundAt, now, readyDelayMs, hostIP: internalIP(node), podIP }).events.length;
            }
            runtime.set(uid, state);
            keyToUid.set(k, uid);
          }
          const timeline = podTimeline({ pod, boundAt: state.boundAt, now, readyDelayMs, hostIP: internalIP(node), podIP: state.podIP });
          for (const e of timeline.events.slice(state.emitted)) host.recordEvent(pod, e.type, e.reason, e.message, KUBELET_COMPONENT);
          state.emitted = Math.max(state.emitted, timeline.events.length);
          if (!jsonEqual(timeline.status, pod.status)) host.updateStatus(R.pods, { ...pod, status: timeline.status }, MANAGER.kubelet);
          return timeline.nextChangeAt === undefined ? undefined : timeline.nextChangeAt - now;
        },
      },
      options,
    );
  };
}
