/**
 * Service controllers: the cloud provider's load balancer (type LoadBalancer gets
 * `status.loadBalancer.ingress[0].ip` from 172.18.255.0/24; other types get it cleared), and
 * the EndpointSlice controller (one IPv4 slice `<service>-<suffix>` per selector Service, with
 * every pod that has an IP: ready/serving/terminating conditions, nodeName, targetRef, ports
 * with named targetPorts resolved against the pod's containers).
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runController, objectKey, splitKey, type RunOptions } from './work-queue.js';
import { formatTime, isControlledBy, isDeleting, jsonEqual, labelsOf, meta, nameOf, ownerRefTo, uidOf, type Obj } from './objects.js';
import { isPodReady, isTerminal, type Pod } from './pods.js';
import { generateName } from './names.js';

export const SERVICE_COMPONENT = 'service-controller';
export const ENDPOINTSLICE_MANAGER = 'endpointslice-controller.k8s.io';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}
interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}
type Service = Obj<ServiceSpec>;

export function startLoadBalancerController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) => {
    const assigned = new Map<string, string>();
    const used = new Set<string>();
    return runController(
      host,
      {
        name: 'service-lb',
        watches: [{ key: R.services, map: (o) => [objectKey(o)] }],
        reconcile: (k) => {
          const { namespace, name } = splitKey(k);
          const svc = host.get(R.services, namespace, name) as Service | undefined;
          if (!svc || isDeleting(svc)) {
            const ip = assigned.get(k);
            if (ip) used.delete(ip);
            assigned.delete(k);
            return;
          }
          const lb = (svc.status?.loadBalancer ?? {}) as { ingress?: Array<{ ip?: string }> };
          if (svc.spec?.type !== 'LoadBalancer') {
            if ((lb.ingress ?? []).length > 0) host.updateStatus(R.services, { ...svc, status: { ...svc.status, loadBalancer: {} } }, MANAGER.controllerManager);
            return;
          }
          const existing = lb.ingress?.[0]?.ip;
          if (existing) {
            used.add(existing);
            assigned.set(k, existing);
            return;
          }
          host.recordEvent(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', SERVICE_COMPONENT);
          for (const s of host.list(R.services)) {
            const ip = (((s as Obj).status?.loadBalancer ?? {}) as { ingress?: Array<{ ip?: string }> }).ingress?.[0]?.ip;
            if (ip) used.add(ip);
          }
          let n = 1;
          while (used.has(`172.18.255.${n}`) && n < 254) n++;
          const ip = `172.18.255.${n}`;
          used.add(ip);
          assigned.set(k, ip);
          host.updateStatus(R.services, { ...svc, status: { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }, MANAGER.controllerManager);
          host.recordEvent(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', SERVICE_COMPONENT);
        },
      },
      options,
    );
  };
}

/** Pure: the endpoints and ports of a Service's slice, from the pods it selects. */
export function sliceContent(svc: Service, pods: KubeObject[]): { endpoints: unknown[]; ports: unknown[] } {
  const selector = svc.spec?.selector ?? {};
  const selected = pods
    .filter((p) => Object.entries(selector).every(([k, v]) => labelsOf(p)[k] === v))
    .filter((p) => typeof (p as Pod).status?.podIP === 'string' && !isTerminal(p))
    .sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
  const endpoints = selected.map((p) => {
    const terminating = isDeleting(p);
    const ready = isPodReady(p) && !terminating;
    return {
      addresses: [(p as Pod).status?.podIP as string],
      conditions: { ready: ready || (svc.spec?.publishNotReadyAddresses === true && !terminating), serving: isPodReady(p), terminating },
      ...((p as Pod).spec?.nodeName ? { nodeName: (p as Pod).spec?.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: meta(p).namespace, name: nameOf(p), uid: uidOf(p) },
    };
  });
  const ports = (svc.spec?.ports ?? []).map((sp) => {
    let port: number | undefined = typeof sp.targetPort === 'number' ? sp.targetPort : sp.targetPort === undefined ? sp.port : undefined;
    if (port === undefined) {
      const target = String(sp.targetPort);
      if (/^\d+$/.test(target)) port = Number(target);
      else
        for (const p of selected)
          for (const c of (p as Pod).spec?.containers ?? [])
            for (const cp of c.ports ?? []) if (port === undefined && cp.name === target) port = cp.containerPort;
    }
    return { name: sp.name ?? '', ...(port !== undefined ? { port } : {}), protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
  });
  return { endpoints, ports };
}

export function startEndpointSliceController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) => {
    const servicesFor = (pod: KubeObject): string[] =>
      host
        .list(R.services, meta(pod).namespace)
        .filter((s) => {
          const sel = (s as Service).spec?.selector;
          return sel && Object.keys(sel).length > 0;
        })
        .map(objectKey);
    return runController(
      host,
      {
        name: 'endpointslice',
        watches: [
          { key: R.services, map: (o) => [objectKey(o)] },
          { key: R.pods, map: (o) => servicesFor(o) },
        ],
        reconcile: (k) => {
          const { namespace, name } = splitKey(k);
          const ns = namespace ?? 'default';
          const svc = host.get(R.services, ns, name) as Service | undefined;
          const slices = host.list(R.endpointSlices, ns, { 'kubernetes.io/service-name': name });
          const owned = svc ? slices.filter((s) => isControlledBy(s, svc)) : [];
          if (!svc || isDeleting(svc) || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) {
            for (const s of owned) host.delete(R.endpointSlices, ns, nameOf(s));
            return;
          }
          const { endpoints, ports } = sliceContent(svc, host.list(R.pods, ns));
          const labels = { 'endpointslice.kubernetes.io/managed-by': ENDPOINTSLICE_MANAGER, 'kubernetes.io/service-name': name, ...(labelsOf(svc)) };
          const [first, ...extra] = owned;
          for (const s of extra) host.delete(R.endpointSlices, ns, nameOf(s));
          if (!first) {
            const sliceName = generateName(`${name}-`, `${uidOf(svc)}`, (n) => host.get(R.endpointSlices, ns, n) !== undefined);
            host.create(
              R.endpointSlices,
              {
                apiVersion: 'discovery.k8s.io/v1',
                kind: 'EndpointSlice',
                metadata: { name: sliceName, generateName: `${name}-`, namespace: ns, labels, ownerReferences: [ownerRefTo(svc)], annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': formatTime(host.clock.now()) } },
                addressType: 'IPv4',
                endpoints,
                ports,
              },
              MANAGER.controllerManager,
            );
            return;
          }
          const current = first as Obj & { endpoints?: unknown; ports?: unknown };
          if (jsonEqual(current.endpoints ?? [], endpoints) && jsonEqual(current.ports ?? [], ports) && jsonEqual({ ...labelsOf(first), ...labels }, labelsOf(first))) return;
          host.update(R.endpointSlices, { ...current, metadata: { ...meta(first), labels: { ...labelsOf(first), ...labels } }, endpoints, ports }, MANAGER.controllerManager);
        },
      },
      options,
    );
  };
}
