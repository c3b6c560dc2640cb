/**
 * The access and token reviews (authorization.k8s.io, authentication.k8s.io): create-only kinds
 * whose answer is computed, never stored. kd sim has no authorization, so every caller is the
 * cluster admin.
 */
import type { KubeObject } from '../../model/object-ref.js';
import type { Obj } from './strategy.js';

/**
 * Create-only review resources are answered, never stored. Every caller is the cluster admin
 * here (there is no authorization), as `kubectl auth can-i` and `kubectl auth whoami` see it.
 */
export function reviewAnswer(res: { group: string; plural: string }, obj: Obj): KubeObject | undefined {
  const key = `${res.group}/${res.plural}`;
  if (res.group === 'authorization.k8s.io' && key.endsWith('accessreviews')) return { ...obj, status: { allowed: true, reason: 'kd sim grants every request' } };
  if (key === 'authorization.k8s.io/selfsubjectrulesreviews')
    return {
      ...obj,
      status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
    };
  if (key === 'authentication.k8s.io/selfsubjectreviews')
    return { ...obj, status: { userInfo: { username: 'kd-sim-admin', groups: ['system:masters', 'system:authenticated'] } } };
  if (key === 'authentication.k8s.io/tokenreviews')
    return { ...obj, status: { authenticated: true, user: { username: 'kd-sim-admin', groups: ['system:masters', 'system:authenticated'] } } };
  return undefined;
}
