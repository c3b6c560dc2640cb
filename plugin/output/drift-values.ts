/**
 * How drift findings read in one line, shared by the text, SARIF and JUnit renderers so that a
 * finding says the same thing everywhere: `spec.replicas: 2 → 5 (kubectl Update/scale at <time>)`.
 * Values come already masked from the core (Secret values are `*** #hash`).
 */
import { describeRef, toFieldPath, type DriftFinding, type FieldOwner, type ObjectDrift } from '../../src/index.js';

const MAX_VALUE = 60;

export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function showOwner(owner: FieldOwner | undefined): string {
  if (!owner) return '';
  return ` (by ${owner.manager} ${owner.operation}${owner.subresource ? `/${owner.subresource}` : ''}${owner.time ? ` at ${owner.time}` : ''})`;
}

/** The finding's detail, without its class. */
export function describeFinding(f: DriftFinding): string {
  const path = f.path === undefined ? '' : toFieldPath(f.path);
  switch (f.class) {
    case 'missing':
      return 'applied by kd, not in the cluster';
    case 'new':
      return 'in the files, never applied';
    case 'orphan':
      return 'in the release\'s set, no longer in the files (apply --prune deletes it)';
    case 'kept':
      return 'in the release\'s set, no longer in the files; resource-policy: keep (prune leaves it)';
    case 'pending':
      return `${path}: ${showValue(f.applied)} → ${showValue(f.desired)} in the files`;
    case 'drifted':
      return `${path}: ${showValue(f.applied)} → ${showValue(f.live)} in the cluster${showOwner(f.owner)}`;
    case 'conflict':
      return `${path}: applied ${showValue(f.applied)}, files ${showValue(f.desired)}, cluster ${showValue(f.live)}${showOwner(f.owner)}`;
    case 'foreign':
      return `${path}: ${showValue(f.live)}${showOwner(f.owner)}`;
  }
}

export function findingSentence(o: ObjectDrift, f: DriftFinding): string {
  return `${describeRef(o.ref)} ${f.class}: ${describeFinding(f)}`;
}
