/**
 * Secret values never leave kd in clear: before an object is shown (diffs, events, errors) its
 * secret values are masked by drift's masking (src/drift/mask.ts, the one implementation): a
 * Secret's `data` and `stringData`, kubectl's last-applied annotation on it, and Secret JSON in
 * any annotation become `*** #<hash>`. The hash is salted once per process, so in one diff a
 * changed value shows as a changed line (different hashes) and an unchanged one does not,
 * without its content, and the hash means nothing outside this run.
 */
import { randomBytes } from 'node:crypto';
import { maskSecretObject } from '../drift/mask.js';
import type { KubeObject } from '../model/index.js';

const PROCESS_SALT = randomBytes(16).toString('hex');

export function isSecret(object: KubeObject | undefined): boolean {
  return object !== undefined && object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined);
}

/** A copy with every secret value masked; objects without any are returned as they are. */
export function maskSecret(object: KubeObject, salt = PROCESS_SALT): KubeObject {
  return maskSecretObject(object, salt);
}

/** Both versions masked with one salt, so values that differ still differ. Either side may be absent (create, delete). */
export function maskSecretPair(before: KubeObject | undefined, after: KubeObject | undefined, salt = PROCESS_SALT): [KubeObject | undefined, KubeObject | undefined] {
  // A side that is no Secret object (a rename of kind aside) is masked as the other side is.
  const secret = isSecret(before) || isSecret(after);
  return [before && maskSecretObject(before, salt, secret), after && maskSecretObject(after, salt, secret)];
}
