/**
 * Which pods belong to a workload: its `spec.selector` (matchLabels and matchExpressions, the
 * LabelSelector of apps/v1 and batch/v1) against the pods' labels. An absent or empty selector
 * matches nothing here: kd only collects pods to explain failures, and guessing would blame the
 * wrong pods.
 */
import type { KubeObject } from '../model/index.js';
import { metadataOf } from './object-refs.js';

export type PodMatcher = (pod: KubeObject) => boolean;

export function podMatcher(workload: KubeObject | undefined): PodMatcher {
  const spec = workload?.['spec'];
  const selector = isMap(spec) ? spec['selector'] : undefined;
  if (!isMap(selector)) return () => false;
  const matchLabels = isMap(selector['matchLabels']) ? (selector['matchLabels'] as Record<string, unknown>) : {};
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'].filter(isMap) : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return () => false;
  return (pod) => {
    const labels = metadataOf(pod)['labels'];
    const l: Record<string, unknown> = isMap(labels) ? labels : {};
    for (const [k, v] of Object.entries(matchLabels)) if (l[k] !== v) return false;
    for (const e of expressions) {
      const key = String(e['key'] ?? '');
      const values = Array.isArray(e['values']) ? e['values'].map(String) : [];
      const has = typeof l[key] === 'string';
      switch (e['operator']) {
        case 'In':
          if (!has || !values.includes(l[key] as string)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(l[key] as string)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
