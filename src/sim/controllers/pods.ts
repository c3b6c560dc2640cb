/**
 * What the workload controllers share about pods: building a pod from a template (owner
 * reference, inherited `sim.kd.io/*` annotations), readiness and availability as the
 * controllers count them, and the order in which a ReplicaSet picks pods to delete.
 */
import type { KubeObject } from '../../model/object-ref.js';
import { clone, isDeleting, meta, ownerRefTo, parseTime, type Condition, type Obj, type PodSpec, type PodTemplate } from './objects.js';
import { simAnnotations } from './failure-injection.js';

export type Pod = Obj<PodSpec>;

export function podFromTemplate(
  template: PodTemplate | undefined,
  owner: KubeObject,
  options: { name: string; generateName?: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; spec?: Partial<PodSpec> },
): KubeObject {
  const labels = { ...(template?.metadata?.labels ?? {}), ...(options.labels ?? {}) };
  const annotations = { ...simAnnotations(owner), ...(template?.metadata?.annotations ?? {}), ...(options.annotations ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      ...(options.generateName ? { generateName: options.generateName } : {}),
      namespace: options.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [ownerRefTo(owner)],
    },
    spec: { ...clone(template?.spec ?? {}), ...(options.spec ?? {}) },
  };
}

export const podPhase = (p: KubeObject): string => String((p as Pod).status?.phase ?? 'Pending');
export const isTerminal = (p: KubeObject): boolean => podPhase(p) === 'Succeeded' || podPhase(p) === 'Failed';
/** Counted by ReplicaSets and Deployments: not finished and not being deleted. */
export const isActive = (p: KubeObject): boolean => !isTerminal(p) && !isDeleting(p);

function readyCondition(p: KubeObject): Condition | undefined {
  return ((p as Pod).status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Ready');
}

export const isPodReady = (p: KubeObject): boolean => readyCondition(p)?.status === 'True';

/** Ready for at least minReadySeconds at `now`. */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(readyCondition(p)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/** When a ready pod will become available, if it is not yet. */
export function availableAt(p: KubeObject, minReadySeconds: number): number | undefined {
  if (!isPodReady(p) || minReadySeconds <= 0) return undefined;
  const since = parseTime(readyCondition(p)?.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The ReplicaSet controller's deletion preference (ActivePods ordering): unscheduled before
 * scheduled, pending before running, not ready before ready, more restarts first, newer first.
 */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const na = (a as Pod).spec?.nodeName ? 1 : 0;
  const nb = (b as Pod).spec?.nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  const pa = phaseRank[podPhase(a)] ?? 0;
  const pb = phaseRank[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const restarts = (p: KubeObject) =>
    (((p as Pod).status?.containerStatuses ?? []) as Array<{ restartCount?: number }>).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ca = meta(a).creationTimestamp ?? '';
  const cb = meta(b).creationTimestamp ?? '';
  if (ca !== cb) return ca > cb ? -1 : 1;
  return (meta(a).name ?? '') > (meta(b).name ?? '') ? -1 : 1;
}

/** Resolves an IntOrString (`2` or `"25%"`) against a total, rounding as the API helpers do. */
export function intOrPercent(value: unknown, total: number, roundUp: boolean, fallback: number | string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (m) {
    const x = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}
