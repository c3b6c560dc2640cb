/** Label selectors (matchLabels and matchExpressions) and node selector terms, as the API defines them. */
import type { LabelSelector, PodSpec } from './objects.js';

/** An empty selector matches everything, as for Deployments; a missing one matches nothing. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) if (!requirementMatches(e, labels[e.key])) return false;
  return true;
}

export function requirementMatches(req: { operator: string; values?: string[] }, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (value === undefined || Number.isNaN(n) || Number.isNaN(bound)) return false;
      return req.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/** Whether a pod's nodeSelector and required node affinity admit a node. */
export function podFitsNode(spec: PodSpec, node: { name: string; labels: Record<string, string> }): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  // Terms are ORed; the requirements inside one term are ANDed.
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((e) => requirementMatches(e, node.labels[e.key])) &&
      (t.matchFields ?? []).every((e) => requirementMatches(e, e.key === 'metadata.name' ? node.name : undefined)),
  );
}
