/**
 * Loose shapes of the Kubernetes objects the controllers touch, and small helpers over them.
 * Objects come from the store already validated, so fields are typed as optional and read with
 * defaults; nothing here throws on a missing field.
 */
import type { KubeObject } from '../../model/object-ref.js';
import { deepEqual as jsonEqual } from '../../model/json.js';
import { formatMetav1Time as formatTime } from '../../model/time.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
  observedGeneration?: number;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  env?: Array<{ name: string; valueFrom?: { configMapKeyRef?: { name?: string; key?: string; optional?: boolean }; secretKeyRef?: { name?: string; key?: string; optional?: boolean } } }>;
  envFrom?: Array<{ configMapRef?: { name?: string; optional?: boolean }; secretRef?: { name?: string; optional?: boolean } }>;
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  restartPolicy?: string;
  containers?: Container[];
  initContainers?: Container[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: Array<{
          matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
          matchFields?: Array<{ key: string; operator: string; values?: string[] }>;
        }>;
      };
    };
  };
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
  volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name?: string; optional?: boolean }; secret?: { secretName?: string; optional?: boolean } }>;
  hostname?: string;
  subdomain?: string;
  [key: string]: unknown;
}

export type Obj<Spec = Record<string, unknown>, Status = Record<string, unknown>> = KubeObject & {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Spec;
  status?: Status;
};

export const meta = (o: KubeObject): ObjectMeta => ((o as Obj).metadata ?? {}) as ObjectMeta;
export const nameOf = (o: KubeObject): string => meta(o).name ?? '';
export const namespaceOf = (o: KubeObject): string | undefined => meta(o).namespace;
export const uidOf = (o: KubeObject): string => meta(o).uid ?? '';
export const isDeleting = (o: KubeObject): boolean => meta(o).deletionTimestamp !== undefined && meta(o).deletionTimestamp !== null;
export const annotationsOf = (o: KubeObject): Record<string, string> => meta(o).annotations ?? {};
export const labelsOf = (o: KubeObject): Record<string, string> => meta(o).labels ?? {};

/** The controlling owner reference, if any. */
export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return meta(o).ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(o);
  return ref !== undefined && ref.uid === uidOf(owner) && uidOf(owner) !== '';
}

/** The owner reference a controller puts on what it creates (`controller: true`, blocking deletion). */
export function ownerRefTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: String((owner as Obj).apiVersion ?? ''),
    kind: String((owner as Obj).kind ?? ''),
    name: nameOf(owner),
    uid: uidOf(owner),
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** RFC 3339 with second precision, as `metav1.Time` serialises. */
export { formatTime };

export function parseTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const clone = <T>(value: T): T => structuredClone(value);

/** Structural equality of JSON values, key order ignored (the model's one implementation). */
export { jsonEqual };

/** JSON with sorted keys: a stable input for hashing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** Creation order, then name: the order controllers walk their objects in. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = meta(a).creationTimestamp ?? '';
  const tb = meta(b).creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = nameOf(a);
  const nb = nameOf(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * Sets a condition the way the Kubernetes helpers (SetDeploymentCondition and kin) do: an
 * unchanged status and reason leaves the condition alone; an unchanged status keeps its
 * lastTransitionTime; a changed one is moved to the end of the list.
 */
export function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return conditions;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export const getCondition = (conditions: Condition[] | undefined, type: string): Condition | undefined =>
  conditions?.find((c) => c.type === type);
