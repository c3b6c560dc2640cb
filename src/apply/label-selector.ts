/**
 * Which pods belong to a workload: its `spec.selector` (the LabelSelector of apps/v1 and
 * batch/v1, matched by the model's one implementation) against the pods' labels. Unlike
 * Kubernetes, an absent, empty or malformed selector matches nothing here: kd only collects
 * pods to explain failures, and guessing would blame the wrong pods.
 */
import { isEmptyLabelSelector, isPlainObject, labelSelectorMatcher, type KubeObject } from '../model/index.js';
import { metadataOf } from './object-refs.js';

export type PodMatcher = (pod: KubeObject) => boolean;

export function podMatcher(workload: KubeObject | undefined): PodMatcher {
  const spec = workload?.['spec'];
  const selector = isPlainObject(spec) ? spec['selector'] : undefined;
  if (!isPlainObject(selector) || isEmptyLabelSelector(selector)) return () => false;
  const matches = labelSelectorMatcher(selector);
  if (matches === undefined) return () => false;
  return (pod) => matches(metadataOf(pod)['labels']);
}
