/**
 * What a kind may add to the generic write path, in the shape of kube-apiserver's per-kind
 * `strategy.go`: defaults, name rules, validation on create and update, fields carried over from
 * the stored object, and the default propagation policy on delete. rest-storage.ts runs the
 * generic steps and calls these hooks; each kind's module (pod.ts, service.ts, ...) fills in only
 * the hooks it needs. Nothing here touches the store or the clock: what needs state (Service IPs
 * and node ports) comes through the `Allocator` the caller owns.
 */
import type { StatusCause } from '../../model/status.js';
import { goStringMap } from '../../validate/builtin/field.js';
import { isPlainObject } from '../schema-nav.js';

export type Obj = Record<string, unknown>;

/** Cluster IPs and node ports, owned by the storage (allocator.ts). */
export interface Allocator {
  clusterIP(): string;
  nodePort(): number;
}

export interface DefaultsContext {
  alloc: Allocator;
  /** The object's uid (Jobs' selectors use it); '' when not known. */
  uid: string;
}

export interface Strategy {
  /** Fills absent fields as the upstream `SetDefaults_*` functions and admission do; never overrides what the user set. */
  defaults?(o: Obj, ctx: DefaultsContext): void;
  /** Name rule other than the default RFC 1123 subdomain; undefined when the name is valid. */
  validateName?(name: string): StatusCause[];
  /** Kind-specific validation of the defaulted object on create and update. */
  validate?(o: Obj): StatusCause[];
  /** Immutable-field rules on update, with the upstream messages. */
  validateUpdate?(oldObj: Obj, newObj: Obj): StatusCause[];
  /** Fields the server keeps from the stored object when an update leaves them empty. */
  prepareForUpdate?(oldObj: Obj, newObj: Obj): void;
  /** The status a new object starts with, when the kind's own status is not empty. */
  initialStatus?(o: Obj): Obj;
  /** The propagation policy of a delete that names none (upstream DefaultGarbageCollectionPolicy). */
  defaultPropagation?: 'Orphan' | 'Background' | 'Foreground';
}

export function child(parent: Obj, key: string): Obj {
  if (!isPlainObject(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

export function specOf(o: Obj): Obj {
  return child(o, 'spec');
}

/** Go's `%#v` of a LabelSelector, as immutable-selector messages print it. */
export function goLabelSelector(sel: unknown): string {
  const s = isPlainObject(sel) ? sel : {};
  const ml = s.matchLabels === undefined ? 'map[string]string(nil)' : goStringMap(s.matchLabels);
  const me = Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0 ? '[]v1.LabelSelectorRequirement{...}' : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

export function specsOf(oldObj: Obj, newObj: Obj): { os: Obj; ns: Obj } {
  return { os: isPlainObject(oldObj.spec) ? oldObj.spec : {}, ns: isPlainObject(newObj.spec) ? newObj.spec : {} };
}
