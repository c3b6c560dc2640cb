/**
 * Kinds with no status to wait for (ConfigMap, Secret, RBAC, CronJob, ...): they are in effect the
 * moment the API server accepted them.
 */
import type { HealthResult } from '../types.js';
import { result } from '../types.js';

export function alwaysCurrent(): HealthResult {
  return result.current('Exists', 'applied; nothing to wait for');
}
