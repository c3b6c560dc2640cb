/**
 * Unified diffs of two objects as YAML, for `--diff`. Both sides are normalised the same way
 * first, as `kubectl diff` does: server bookkeeping (managedFields, resourceVersion, generation,
 * uid, creationTimestamp, selfLink, status) dropped, map keys sorted (so a file that orders keys
 * differently from the server shows no change), Secret values masked (src/drift/mask.ts), then
 * rendered as YAML by diff-yaml.ts (fast enough for objects of tens of thousands of lines), then
 * compared line by line (src/drift/line-diff.ts, pure, shared with drift's reports).
 */
import { describeRef, type KubeObject, type ObjectRef } from '../model/index.js';
import { toYaml } from './diff-yaml.js';
import { maskSecretPair } from './mask-secrets.js';
import { unifiedDiff } from '../drift/line-diff.js';

const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** The diff of one object; empty when there is no difference. `before` is the live side. */
export function objectDiff(ref: ObjectRef, before: KubeObject | undefined, after: KubeObject | undefined, names: { to?: string } = {}): string {
  const [b, a] = maskSecretPair(before && normalizeForDiff(before), after && normalizeForDiff(after));
  const label = describeRef(ref);
  return unifiedDiff(b === undefined ? '' : toYaml(b, { sortKeys: true }), a === undefined ? '' : toYaml(a, { sortKeys: true }), {
    from: before ? `live ${label}` : '/dev/null',
    to: after ? `${names.to ?? 'applied'} ${label}` : '/dev/null',
  });
}

/** Both sides of a diff go through this (keys are sorted when rendered): bookkeeping dropped. */
export function normalizeForDiff(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata = rest.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    const m: Record<string, unknown> = { ...(metadata as Record<string, unknown>) };
    for (const key of VOLATILE_METADATA) delete m[key];
    rest.metadata = m;
  }
  return rest;
}
