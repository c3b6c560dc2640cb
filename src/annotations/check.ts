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
import { annotationsOf, isHook, readKdAnnotations, type AnnotationProblem } from './read.js';
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
  const kdNames = KD_ANNOTATIONS.map((a) => a.key.slice(KD_ANNOTATION_PREFIX.length));
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(KD_ANNOTATION_PREFIX) || lookupAnnotation(key) !== undefined) continue;
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
  return diagnostics;
}

/** The keys of one kd annotation family (kd's key and its aliases) that the object sets. */
function presentKeys(annotations: Record<string, unknown>, kdKey: string): string[] {
  const spec = lookupAnnotation(kdKey)?.annotation;
  if (spec === undefined) return [];
  return [spec.key, ...spec.aliases.map((a) => a.key)].filter((k) => k in annotations);
}
