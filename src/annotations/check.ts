/**
 * Checks one manifest's kd annotations and their aliases, as diagnostics with source ranges:
 * values kd cannot use (`annotation/invalid-value`, on the value), unknown `kd.io/` keys
 * (`annotation/unknown-key`, a warning with a "did you mean", on the key), and annotations that
 * contradict each other or the kind (`annotation/conflict`, warnings).
 *
 * Only the `kd.io/` prefix is owned by kd: other tools' unknown keys (`argocd.argoproj.io/...`)
 * and look-alike prefixes (`sim.kd.io/`) are none of kd's business here.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { JsonPath } from '../model/source.js';
import { KD_ANNOTATIONS, KD_ANNOTATION_PREFIX, lookupAnnotation } from './catalog.js';
import { annotationsOf, familyOf, isHook, readKdAnnotations, type AnnotationProblem } from './read.js';
import { suggestValue } from './suggest.js';

/**
 * Kinds that must not be hooks: kd deletes and recreates hooks (before-hook-creation is the
 * default), and deleting one of these takes everything that depends on it along.
 */
const UNFIT_FOR_HOOKS: ReadonlyArray<{ group: string; kind: string; why: string }> = [
  { group: '', kind: 'Namespace', why: 'deleting a Namespace deletes everything in it' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', why: 'deleting a CustomResourceDefinition deletes all its custom resources' },
  { group: 'apiregistration.k8s.io', kind: 'APIService', why: 'deleting an APIService takes its API offline' },
];

export function checkAnnotations(manifest: Manifest): Diagnostic[] {
  const annotations = annotationsOf(manifest.object);
  // Nothing to check on an object without annotations (most of them): skip building the catalog's name lists.
  if (Object.keys(annotations).length === 0) return [];
  const diagnostics: Diagnostic[] = [];
  const report = (problem: AnnotationProblem, target: 'key' | 'value') => {
    const path: JsonPath = ['metadata', 'annotations', problem.key];
    const d: Diagnostic = {
      severity: problem.severity,
      rule: problem.rule,
      message: problem.message,
      file: manifest.file,
      range: manifest.locate(path, target),
      object: manifest.ref,
      path,
      documentIndex: manifest.documentIndex,
    };
    if (problem.suggestions !== undefined && problem.suggestions.length > 0) d.suggestions = problem.suggestions;
    diagnostics.push(d);
  };

  // 1. Unknown kd.io/ keys.
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(KD_ANNOTATION_PREFIX) || lookupAnnotation(key) !== undefined) continue;
    const kdNames = KD_ANNOTATIONS.map((a) => a.key.slice(KD_ANNOTATION_PREFIX.length));
    const guess = suggestValue(key.slice(KD_ANNOTATION_PREFIX.length), kdNames);
    if (guess !== undefined) {
      const suggestion = KD_ANNOTATION_PREFIX + guess;
      report({ key, severity: 'warning', rule: 'annotation/unknown-key', message: `unknown annotation "${key}"; did you mean "${suggestion}"?`, suggestions: [suggestion] }, 'key');
    } else {
      const known = KD_ANNOTATIONS.map((a) => a.key).join(', ');
      report({ key, severity: 'warning', rule: 'annotation/unknown-key', message: `unknown annotation "${key}"; kd's annotations are ${known}` }, 'key');
    }
  }

  // 2. Values, and kd keys disagreeing with their aliases.
  const { value, problems } = readKdAnnotations(manifest.object);
  for (const problem of problems) report(problem, 'value');

  // 3. Hook annotations that make no sense for the object.
  const hookKeys = presentKeys(annotations, 'kd.io/hook');
  if (isHook(value)) {
    const unfit = UNFIT_FOR_HOOKS.find((u) => u.group === manifest.ref.group && u.kind === manifest.ref.kind);
    const key = value.source.hooks ?? hookKeys[0];
    if (unfit !== undefined && key !== undefined) {
      report(
        {
          key,
          severity: 'warning',
          rule: 'annotation/conflict',
          message: `a ${unfit.kind} should not be a hook: kd deletes and recreates hooks (see kd.io/hook-delete-policy), and ${unfit.why}`,
        },
        'key',
      );
    }
  } else if (hookKeys.length === 0) {
    for (const family of ['kd.io/hook-weight', 'kd.io/hook-delete-policy', 'kd.io/hook-failure-policy']) {
      for (const key of presentKeys(annotations, family)) {
        report(
          { key, severity: 'warning', rule: 'annotation/conflict', message: `${key} has no effect: the object is not a hook (it has no kd.io/hook)` },
          'key',
        );
      }
    }
  }
  // 4. Custom health checks missing what they need, or settings without a check.
  const checkKeys = presentKeys(annotations, 'kd.io/health-check');
  const settingKeys = ['kd.io/health-check-path', 'kd.io/health-check-port', 'kd.io/health-check-expect', 'kd.io/health-check-command', 'kd.io/health-check-container'].flatMap((k) => presentKeys(annotations, k));
  const conflict = (key: string, message: string) => report({ key, severity: 'warning', rule: 'annotation/conflict', message }, 'key');
  if (value.healthCheck !== undefined) {
    const key = value.source.healthCheck ?? checkKeys[0]!;
    const checkable = CHECKABLE_KINDS.has(`${manifest.ref.group}/${manifest.ref.kind}`);
    if (!checkable) conflict(key, `${key} has no effect on a ${manifest.ref.kind}: kd checks Deployments, StatefulSets, DaemonSets, ReplicaSets, Pods and Services`);
    else if (value.healthCheck === 'command' && value.healthCheckCommand.length === 0)
      conflict(key, `${key} is command but no command is set: add kd.io/health-check-command (e.g. "/bin/check-ready.sh")`);
    else if (value.healthCheck === 'command' && manifest.ref.kind === 'Service') conflict(key, `${key}: a Service can only have an http check (a command runs in pods)`);
  } else if (settingKeys.length > 0 && checkKeys.length === 0) {
    for (const key of settingKeys) conflict(key, `${key} has no effect: the object has no kd.io/health-check`);
  }
  return diagnostics;
}

/** Kinds a custom health check can be on (src/health/custom-check.ts checks the same ones). */
const CHECKABLE_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', '/Pod', '/Service']);

/** The keys of one kd annotation family (kd's key and its aliases) that the object sets. */
function presentKeys(annotations: Record<string, unknown>, kdKey: string): string[] {
  const spec = lookupAnnotation(kdKey)?.annotation;
  if (spec === undefined) return [];
  const keys: string[] = [];
  for (const k of familyOf(spec)) if (k.key in annotations) keys.push(k.key);
  return keys;
}
