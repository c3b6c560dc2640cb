/**
 * The scale subresource (autoscaling/v1 Scale): the view of an object's replicas, status replicas
 * and selector through the paths its kind (or its CRD's `subresources.scale`) declares, each patch
 * type applied with its own semantics to that view, and the view's replicas written back. The
 * storage (rest-storage.ts) reads and writes the object; this module knows only the mapping.
 */
import { formatLabelSelector } from '../model/label-selector.js';
import type { KubeObject } from '../model/object-ref.js';
import { ApiError, badRequest, unsupportedMediaType } from './api-status.js';
import { applyJsonPatch, applyMergePatch } from './json-patch.js';
import { meta } from './object-store.js';
import { isPlainObject, type SchemaCursor } from './schema-nav.js';
import { applyStrategicMergePatch, PatchError } from './strategic-merge-patch.js';

type Obj = Record<string, unknown>;

/** Where a kind keeps what Scale shows, as path segments. */
export interface ScalePaths {
  spec: string[];
  status: string[];
  selector?: string[];
}

/**
 * A patch of the Scale view. JSON patch and merge patch as on any object; strategic merge patch
 * with the Scale schema (so its directives work); an apply patch merges into the view (kd sim
 * does not track field ownership of Scale).
 */
export function patchScale(scale: Obj, contentType: string, body: unknown, schema: SchemaCursor | undefined, patchTypes: string[]): unknown {
  if (contentType === 'application/json-patch+json') {
    const p = applyJsonPatch(scale, body);
    if ('error' in p) throw new ApiError(422, 'Invalid', p.error);
    return p.value;
  }
  if (contentType === 'application/merge-patch+json') {
    if (!isPlainObject(body)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    return applyMergePatch(scale, body);
  }
  if (contentType === 'application/apply-patch+yaml') {
    if (!isPlainObject(body)) throw badRequest('error decoding YAML: the apply patch must be an object');
    return applyMergePatch(scale, body);
  }
  if (contentType === 'application/strategic-merge-patch+json') {
    try {
      return applyStrategicMergePatch(scale, body, schema);
    } catch (e) {
      if (e instanceof PatchError) throw badRequest(e.message);
      throw e;
    }
  }
  throw unsupportedMediaType(patchTypes);
}

/** The replicas a written Scale asks for, validated as ValidateScale does. */
export function requestedReplicas(next: unknown, name: string): { replicas: number; resourceVersion?: string } {
  const n = isPlainObject(next) ? next : {};
  const replicas = isPlainObject(n.spec) ? n.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`, {
      name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
    });
  const nm = isPlainObject(n.metadata) ? n.metadata : {};
  return typeof nm.resourceVersion === 'string' && nm.resourceVersion !== '' ? { replicas, resourceVersion: nm.resourceVersion } : { replicas };
}

function getPath(o: unknown, p: string[]): unknown {
  let cur = o;
  for (const k of p) cur = isPlainObject(cur) ? cur[k] : undefined;
  return cur;
}

export function setPath(o: Obj, p: string[], v: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[p[p.length - 1]!] = v;
}

export function toScale(obj: KubeObject, paths: ScalePaths): Obj {
  const m = meta(obj);
  const metadata: Obj = { name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  const status: Obj = { replicas: getPath(obj, paths.status) ?? 0 };
  const sel = paths.selector ? getPath(obj, paths.selector) : undefined;
  if (typeof sel === 'string') status.selector = sel;
  else if (isPlainObject(sel)) status.selector = formatLabelSelector(sel);
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata, spec: { replicas: getPath(obj, paths.spec) ?? 0 }, status };
}
