/**
 * HorizontalPodAutoscaler, as pkg/apis/autoscaling/validation validates it: minReplicas at least 1
 * and at most maxReplicas, maxReplicas above 0, a scale target with kind and name, and (autoscaling/v2)
 * each metric of a known type populating exactly its own source, with a usable target.
 */
import { Errors, FieldPath, isRecord, records, str, type FieldError } from './field.js';
import { quantityText, quantityValue } from './strings.js';

export const RULE_HPA = 'builtin/hpa';

const SOURCES: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

function validateTarget(e: Errors, t: Record<string, unknown>, at: FieldPath): void {
  const type = str(t.type);
  if (t.type === '') e.required(at.child('type'), 'must specify a metric target type');
  else if (type !== '' && !['Utilization', 'Value', 'AverageValue'].includes(type)) e.invalid(at.child('type'), type, 'must be either Utilization, Value, or AverageValue');
  for (const f of ['value', 'averageValue']) {
    const n = quantityValue(t[f]);
    if (t[f] !== undefined && n !== undefined && n <= 0) e.invalid(at.child(f), { go: quantityText(t[f]) }, 'must be positive');
  }
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1) e.invalid(at.child('averageUtilization'), t.averageUtilization, 'must be greater than 0');
}

function validateMetric(e: Errors, m: Record<string, unknown>, at: FieldPath): void {
  const type = str(m.type);
  if (m.type === '') e.required(at.child('type'), 'must specify a metric source type');
  const expected = SOURCES[type];
  if (type !== '' && expected === undefined) e.notSupported(at.child('type'), type, Object.keys(SOURCES).sort());
  const present = Object.values(SOURCES).filter((f) => isRecord(m[f]));
  if (expected !== undefined && !isRecord(m[expected])) e.required(at.child(expected), 'must populate information for the given metric source');
  if (present.length > 1 || (present.length === 1 && present[0] !== expected && expected !== undefined))
    for (const f of present) if (f !== expected) e.forbidden(at.child(f), 'must populate the given metric source only');
  if (expected === 'resource' || expected === 'containerResource') {
    const src = m[expected];
    if (!isRecord(src)) return;
    const sp = at.child(expected);
    if (src.name === '') e.required(sp.child('name'), 'must specify a resource name');
    if (expected === 'containerResource' && src.container === '') e.required(sp.child('container'), 'must specify a container');
    if (!isRecord(src.target)) return;
    const t = src.target;
    const tp = sp.child('target');
    validateTarget(e, t, tp);
    if (t.averageUtilization === undefined && t.averageValue === undefined) e.required(tp.child('averageUtilization'), 'must set either a target raw value or a target utilization');
    if (t.averageUtilization !== undefined && t.averageValue !== undefined) e.forbidden(tp.child('averageValue'), 'may not set both a target raw value and a target utilization');
  } else if (expected !== undefined && isRecord(m[expected])) {
    const src = m[expected] as Record<string, unknown>;
    if (isRecord(src.target)) validateTarget(e, src.target, at.child(expected, 'target'));
  }
}

export function validateHpa(version: string, o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const e = new Errors(RULE_HPA);
  const at = FieldPath.root('spec');
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : undefined;
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : undefined;
  if (min !== undefined && min < 1) e.invalid(at.child('minReplicas'), min, 'must be greater than or equal to 1');
  if (max !== undefined && max < 1) e.invalid(at.child('maxReplicas'), max, 'must be greater than 0');
  if (min !== undefined && max !== undefined && max < min) e.invalid(at.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`');
  const ref = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
  const refErrors = e.list.length;
  if (ref) {
    if (ref.kind === '') e.required(at.child('scaleTargetRef', 'kind'));
    if (ref.name === '') e.required(at.child('scaleTargetRef', 'name'));
  }
  // Upstream checks metrics only once the scale target is sound.
  if (e.list.length === refErrors && version !== 'v1') records(spec.metrics).forEach((m, i) => validateMetric(e, m, at.child('metrics').index(i)));
  return e.list;
}
