/**
 * Label selectors (`metav1.LabelSelector`: matchLabels and matchExpressions) as Kubernetes
 * reads them (`metav1.LabelSelectorAsSelector`, then `Matches`): an absent (nil) selector
 * matches nothing, an empty one `{}` matches everything, and a malformed one (an unknown
 * operator, In/NotIn without values, Exists/DoesNotExist with values, a non-string label value)
 * is no selector at all: `labelSelectorMatcher` says so with `undefined`, and each caller decides
 * what that means for it (validation reports no mismatch, as apps validation does; kd's pod
 * collection matches nothing). Callers that must not treat `{}` as "everything" (kd never
 * guesses which pods belong to a workload) check `isEmptyLabelSelector` first.
 */
import { isPlainObject } from './json.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly LabelSelectorRequirement[];
}

/** Whether a set of labels (a `metadata.labels` value, anything else as none) is selected. */
export type LabelMatcher = (labels: unknown) => boolean;

const NOTHING: LabelMatcher = () => false;

/** The selector as a matcher; `undefined` when it is malformed (LabelSelectorAsSelector's error). */
export function labelSelectorMatcher(selector: unknown): LabelMatcher | undefined {
  if (selector === undefined || selector === null) return NOTHING;
  if (!isPlainObject(selector)) return undefined;
  const { matchLabels, matchExpressions } = selector;
  const pairs: Array<[string, string]> = [];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) return undefined;
    for (const [k, v] of Object.entries(matchLabels)) {
      if (typeof v !== 'string') return undefined;
      pairs.push([k, v]);
    }
  }
  const requirements: Array<{ key: string; operator: string; values: string[] }> = [];
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return undefined;
    for (const e of matchExpressions) {
      if (!isPlainObject(e) || typeof e.key !== 'string' || e.key === '' || typeof e.operator !== 'string') return undefined;
      const values = Array.isArray(e.values) ? e.values : e.values === undefined || e.values === null ? [] : undefined;
      if (values === undefined || !values.every((v): v is string => typeof v === 'string')) return undefined;
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      const noValues = e.operator === 'Exists' || e.operator === 'DoesNotExist';
      if ((!needsValues && !noValues) || (needsValues && values.length === 0) || (noValues && values.length > 0)) return undefined;
      requirements.push({ key: e.key, operator: e.operator, values });
    }
  }
  return (labels) => {
    const l = isPlainObject(labels) ? labels : {};
    const value = (key: string): string | undefined => (typeof l[key] === 'string' ? (l[key] as string) : undefined);
    for (const [k, v] of pairs) if (value(k) !== v) return false;
    return requirements.every((r) => requirementMatches(r, value(r.key)));
  };
}

/** Whether the selector is present but selects by nothing (`{}`, or empty lists and maps). */
export function isEmptyLabelSelector(selector: unknown): boolean {
  if (!isPlainObject(selector)) return false;
  const labels = isPlainObject(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels === 0 && expressions === 0;
}

/**
 * One requirement against a label's value (`undefined`: no such label). Also serves node
 * selector requirements, which add Gt and Lt (integer comparisons) to the four set operators.
 */
export function requirementMatches(req: { operator: string; values?: readonly string[] }, value: string | undefined): boolean {
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

/**
 * The selector in the string form the API server prints (`LabelSelectorAsSelector(...).String()`:
 * a Scale's `status.selector`, kubectl's wide SELECTOR column): matchLabels sorted by key, then
 * each expression; empty for a selector that selects by nothing.
 */
export function formatLabelSelector(selector: unknown): string {
  const s = isPlainObject(selector) ? selector : {};
  const parts: string[] = [];
  if (isPlainObject(s.matchLabels))
    for (const [k, v] of Object.entries(s.matchLabels).sort(([x], [y]) => (x < y ? -1 : 1))) parts.push(`${k}=${String(v)}`);
  const expressions = Array.isArray(s.matchExpressions) ? s.matchExpressions.filter(isPlainObject) : [];
  for (const e of expressions) {
    const vals = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.join(',');
}
