/**
 * The API server's built-in validation: what kube-apiserver runs after decoding a built-in
 * object (pkg/apis/<group>/validation), for the kinds people write most. One module per API
 * group, as upstream; this one dispatches by group and kind and turns field errors into
 * diagnostics positioned at the field. `builtinFieldErrors` is the same check for kd sim, which
 * answers the errors as 422 causes. Metadata (names, labels, annotations) is ../metadata.ts's.
 * Pure, and tolerant: a value of the wrong type is the schema's to report, and is skipped here.
 */
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Manifest } from '../../model/manifest.js';
import { validateWorkload } from './apps.js';
import { validateHpa } from './autoscaling.js';
import { validateCronJob, validateJob } from './batch.js';
import { validateConfigMap, validatePod, validateSecret, validateService } from './core.js';
import { errorText, isRecord, type FieldError } from './field.js';
import { validateIngress, validateNetworkPolicy } from './networking.js';
import { validatePdb } from './policy.js';
import { validateBinding, validateRole } from './rbac.js';

export { CAUSE_REASON, errorText, type FieldError } from './field.js';

type Check = (version: string, o: Record<string, unknown>, kind: string) => FieldError[];

const checks: Record<string, Check> = {
  '/Pod': (_v, o) => validatePod(o),
  '/Service': (_v, o) => validateService(o),
  '/Secret': (_v, o) => validateSecret(o),
  '/ConfigMap': (_v, o) => validateConfigMap(o),
  'apps/Deployment': (_v, o, k) => validateWorkload(k, o),
  'apps/ReplicaSet': (_v, o, k) => validateWorkload(k, o),
  'apps/StatefulSet': (_v, o, k) => validateWorkload(k, o),
  'apps/DaemonSet': (_v, o, k) => validateWorkload(k, o),
  'batch/Job': (_v, o) => validateJob(o),
  'batch/CronJob': (_v, o) => validateCronJob(o),
  'networking.k8s.io/Ingress': (_v, o) => validateIngress(o),
  'networking.k8s.io/NetworkPolicy': (_v, o) => validateNetworkPolicy(o),
  'autoscaling/HorizontalPodAutoscaler': (v, o) => validateHpa(v, o),
  'policy/PodDisruptionBudget': (_v, o) => validatePdb(o),
  'rbac.authorization.k8s.io/Role': (_v, o, k) => validateRole(k, o),
  'rbac.authorization.k8s.io/ClusterRole': (_v, o, k) => validateRole(k, o),
  'rbac.authorization.k8s.io/RoleBinding': (_v, o, k) => validateBinding(k, o),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (_v, o, k) => validateBinding(k, o),
};

/** The kinds checked, as `group/Kind` (core kinds with an empty group). */
export const BUILTIN_VALIDATED_KINDS: readonly string[] = Object.keys(checks);

/** The built-in validation errors of one object of a built-in kind (none for other kinds). */
export function builtinFieldErrors(gvk: { group: string; version: string; kind: string }, object: unknown): FieldError[] {
  const check = checks[`${gvk.group}/${gvk.kind}`];
  if (!check || !isRecord(object)) return [];
  return check(gvk.version, object, gvk.kind);
}

/** The built-in validation of one manifest, as diagnostics in the API server's words. */
export function checkBuiltin(manifest: Manifest): Diagnostic[] {
  const errors = builtinFieldErrors(manifest.ref, manifest.object);
  return errors.map((e) => ({
    severity: 'error',
    rule: e.rule,
    message: errorText(e),
    file: manifest.file,
    range: manifest.locate(e.path.json, e.target ?? 'value'),
    object: manifest.ref,
    path: e.path.json,
    documentIndex: manifest.documentIndex,
  }));
}
