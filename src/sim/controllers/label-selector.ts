/**
 * Node selector terms, as the API defines them. Label selectors themselves are matched by the
 * model's one implementation (src/model/label-selector.ts), whose requirement rule (with Gt and
 * Lt) these terms share.
 */
import { requirementMatches } from '../../model/label-selector.js';
import type { PodSpec } from './objects.js';

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
