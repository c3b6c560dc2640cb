/**
 * Deployment, ReplicaSet, StatefulSet and DaemonSet, as pkg/apis/apps/validation validates them:
 * the selector (required, non-empty, matching the pod template's labels), the template's
 * restartPolicy (only Always), rollout strategies (maxSurge/maxUnavailable, partitions) and the
 * non-negative counters (replicas, revisionHistoryLimit, minReadySeconds, progress deadline).
 * The pod spec inside the template is pod.ts's.
 */
import { Errors, FieldPath, goStringMap, intOrString, isRecord, str, type FieldError } from './field.js';
import { validatePodSpec } from './pod.js';
import { labelSelectorMatcher } from '../../model/index.js';
import { appendAll, NONE } from '../../model/lists.js';

export const RULE_SELECTOR = 'builtin/selector';
export const RULE_RESTART_POLICY = 'builtin/restart-policy';
export const RULE_ROLLOUT = 'builtin/rollout';

const SELECTOR_NOUN: Record<string, string> = { Deployment: 'deployment', ReplicaSet: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset' };

/** Go's `%#v` of a LabelSelector, as the empty-selector error prints it. */
function goLabelSelector(sel: Record<string, unknown>): string {
  const ml = sel.matchLabels === undefined || sel.matchLabels === null ? 'map[string]string(nil)' : goStringMap(sel.matchLabels);
  const me = Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0 ? '[]v1.LabelSelectorRequirement{...}' : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

function selectorSize(sel: Record<string, unknown>): number {
  return (isRecord(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0) + (Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0);
}

export function nonNegative(e: Errors, parent: Record<string, unknown>, at: FieldPath, fields: readonly string[]): void {
  for (const f of fields) {
    const v = parent[f];
    if (typeof v === 'number' && v < 0) e.invalid(at.child(f), v, 'must be greater than or equal to 0');
  }
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/**
 * The restartPolicy a template ends up with: unset defaults to Always. Reported where it is
 * written, else at the template's spec. A value that is no policy at all is schema/enum's.
 */
export function checkRestartPolicy(podSpec: Record<string, unknown>, at: FieldPath, allowed: readonly string[]): readonly FieldError[] {
  const policy = typeof podSpec.restartPolicy === 'string' && podSpec.restartPolicy !== '' ? podSpec.restartPolicy : 'Always';
  // The usual answer, without an error list: an allowed policy.
  if (allowed.includes(policy) || !RESTART_POLICIES.includes(policy)) return NONE;
  const e = new Errors(RULE_RESTART_POLICY);
  const p = at.child('restartPolicy');
  e.notSupported(podSpec.restartPolicy === undefined ? p.at(at.json) : p, policy, allowed);
  return e.list;
}

/**
 * Whether a selector that converts (LabelSelectorAsSelector) does not match the labels, as
 * `labelSelectorMatcher(selector)?.(labels) === false`; a selector of matchLabels only (nearly
 * every workload's) is answered without building a matcher.
 */
function selectorMismatch(selector: Record<string, unknown>, labels: unknown): boolean {
  const matchLabels = selector.matchLabels;
  if ((selector.matchExpressions !== undefined && selector.matchExpressions !== null) || !isRecord(matchLabels)) return labelSelectorMatcher(selector)?.(labels) === false;
  // A value that is not a string: the selector does not convert, so nothing can mismatch.
  for (const key in matchLabels) if (typeof matchLabels[key] !== 'string') return false;
  const l = isRecord(labels) ? labels : {};
  for (const key in matchLabels) if (l[key] !== matchLabels[key]) return true;
  return false;
}

const SPEC_COUNTERS = ['replicas', 'minReadySeconds', 'revisionHistoryLimit'];
const DEPLOYMENT_COUNTERS = ['progressDeadlineSeconds'];
const ALWAYS = ['Always'];

export function validateWorkload(kind: string, o: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return out;
  const at = FieldPath.root('spec');
  const template = isRecord(spec.template) ? spec.template : undefined;
  const labels = template && isRecord(template.metadata) ? template.metadata.labels : undefined;
  // A missing selector is schema/required.
  if (isRecord(spec.selector)) {
    const sel = new Errors(RULE_SELECTOR);
    if (selectorSize(spec.selector) === 0) sel.invalid(at.child('selector'), { go: goLabelSelector(spec.selector) }, `empty selector is invalid for ${SELECTOR_NOUN[kind]}`);
    // As apps validation: only a selector that converts (LabelSelectorAsSelector) can mismatch.
    else if (template && selectorMismatch(spec.selector, labels))
      sel.invalid(at.child('template', 'metadata', 'labels'), { go: goStringMap(labels) }, '`selector` does not match template `labels`');
    appendAll(out, sel.list);
  }

  if (template) {
    const podAt = at.child('template', 'spec');
    const podSpec = isRecord(template.spec) ? template.spec : {};
    appendAll(out, validatePodSpec(podSpec, podAt));
    appendAll(out, checkRestartPolicy(podSpec, podAt, ALWAYS));
  }

  const r = new Errors(RULE_ROLLOUT);
  nonNegative(r, spec, at, SPEC_COUNTERS);
  if (kind === 'Deployment') {
    nonNegative(r, spec, at, DEPLOYMENT_COUNTERS);
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    const deadline = typeof spec.progressDeadlineSeconds === 'number' ? spec.progressDeadlineSeconds : 600;
    // The default deadline (600) counts too: it is reported at minReadySeconds when not written.
    if (deadline <= minReady) {
      const deadlineAt = at.child('progressDeadlineSeconds');
      r.invalid(typeof spec.progressDeadlineSeconds === 'number' ? deadlineAt : deadlineAt.at(at.child('minReadySeconds').json), deadline, 'must be greater than minReadySeconds');
    }
    // The usual strategy (none written: RollingUpdate with 25%/25%) has nothing to report.
    if (spec.strategy !== undefined) deploymentStrategy(r, spec.strategy, at.child('strategy'));
  }
  if (kind === 'DaemonSet') daemonSetStrategy(r, spec.updateStrategy, at.child('updateStrategy'));
  if (kind === 'StatefulSet' && isRecord(spec.updateStrategy) && isRecord(spec.updateStrategy.rollingUpdate)) {
    const ru = spec.updateStrategy.rollingUpdate;
    const rp = at.child('updateStrategy', 'rollingUpdate');
    nonNegative(r, ru, rp, ['partition']);
  }
  appendAll(out, r.list);
  return out;
}

/** An IntOrString's value: a number, or a percentage; undefined for a malformed percent. */
function intOrPercent(v: unknown): { value: number; percent: boolean } | undefined {
  if (typeof v === 'number') return { value: v, percent: false };
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    return m ? { value: Number(m[1]), percent: true } : undefined;
  }
  return undefined;
}

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
function checkIntOrPercent(e: Errors, v: unknown, at: FieldPath): void {
  if (typeof v === 'string') {
    if (intOrPercent(v) === undefined) e.invalid(at, intOrString(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
  } else if (typeof v === 'number' && v < 0) e.invalid(at, v, 'must be greater than or equal to 0');
  const p = intOrPercent(v);
  if (p && p.percent && p.value > 100) e.invalid(at, intOrString(v as string), 'must not be greater than 100%');
}

function isZero(v: unknown): boolean {
  return intOrPercent(v)?.value === 0;
}

function deploymentStrategy(e: Errors, strategy: unknown, at: FieldPath): void {
  const s = isRecord(strategy) ? strategy : {};
  const type = str(s.type) || 'RollingUpdate';
  if (type === 'Recreate') {
    if (s.rollingUpdate !== undefined && s.rollingUpdate !== null) e.forbidden(at.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'");
    return;
  }
  if (type !== 'RollingUpdate') return;
  const ru = isRecord(s.rollingUpdate) ? s.rollingUpdate : {};
  const ruAt = at.child('rollingUpdate');
  const maxUnavailable = ru.maxUnavailable ?? '25%';
  const maxSurge = ru.maxSurge ?? '25%';
  if (ru.maxUnavailable !== undefined) checkIntOrPercent(e, ru.maxUnavailable, ruAt.child('maxUnavailable'));
  if (ru.maxSurge !== undefined) checkIntOrPercent(e, ru.maxSurge, ruAt.child('maxSurge'));
  if (isZero(maxUnavailable) && isZero(maxSurge)) e.invalid(ruAt.child('maxUnavailable'), intOrString(maxUnavailable as number | string), 'may not be 0 when `maxSurge` is 0');
}

function daemonSetStrategy(e: Errors, strategy: unknown, at: FieldPath): void {
  const s = isRecord(strategy) ? strategy : {};
  const type = str(s.type) || 'RollingUpdate';
  if (type !== 'RollingUpdate') return;
  const ru = isRecord(s.rollingUpdate) ? s.rollingUpdate : {};
  const ruAt = at.child('rollingUpdate');
  const maxUnavailable = ru.maxUnavailable ?? 1;
  const maxSurge = ru.maxSurge ?? 0;
  if (ru.maxUnavailable !== undefined) checkIntOrPercent(e, ru.maxUnavailable, ruAt.child('maxUnavailable'));
  if (ru.maxSurge !== undefined) checkIntOrPercent(e, ru.maxSurge, ruAt.child('maxSurge'));
  const hasUnavailable = !isZero(maxUnavailable);
  const hasSurge = !isZero(maxSurge);
  if (hasUnavailable && hasSurge) e.invalid(ruAt.child('maxSurge'), intOrString(maxSurge as number | string), 'may not be set when maxUnavailable is non-zero');
  else if (!hasUnavailable && !hasSurge) e.required(ruAt.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0');
}
