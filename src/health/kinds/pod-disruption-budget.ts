/**
 * PodDisruptionBudget (policy/v1). Current once observed. A budget with no disruptions allowed
 * is normal (it is applied before the pods it guards, in the install order), so it is reported in
 * the message, never waited on.
 */
import type { KubeObject } from '../../model/index.js';
import { numberField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function podDisruptionBudgetHealth(object: KubeObject): HealthResult {
  const healthy = numberField(object, 'status', 'currentHealthy');
  const desired = numberField(object, 'status', 'desiredHealthy');
  const allowed = numberField(object, 'status', 'disruptionsAllowed');
  if (healthy === undefined || desired === undefined) return result.current('Ready', 'budget created');
  return result.current('Ready', `${healthy} healthy of ${desired} required, ${allowed ?? 0} disruption${allowed === 1 ? '' : 's'} allowed`);
}
