/** Namespace (v1): Active is Current; phase Terminating is Terminating (objects cannot be created in it). */
import type { KubeObject } from '../../model/index.js';
import { stringField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function namespaceHealth(object: KubeObject): HealthResult {
  const phase = stringField(object, 'status', 'phase');
  if (phase === 'Terminating') return { state: 'Terminating', reason: 'Terminating', message: 'namespace is being deleted' };
  if (phase === 'Active') return result.current('Active', 'namespace is active');
  return result.inProgress('NotActive', 'waiting for the namespace to become active');
}
