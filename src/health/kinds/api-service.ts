/**
 * APIService (apiregistration.k8s.io/v1). Current when Available: the aggregated API answers.
 * Not available stays in progress with the aggregator's reason (MissingEndpoints,
 * FailedDiscoveryCheck): the backing Service may simply not be ready yet.
 */
import type { KubeObject } from '../../model/index.js';
import { describeCondition, findCondition } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function apiServiceHealth(object: KubeObject): HealthResult {
  const available = findCondition(object, 'Available');
  if (available?.status === 'True') return result.current('Available', 'the aggregated API is available');
  if (available) return result.inProgress(available.reason || 'NotAvailable', describeCondition(available, 'the aggregated API is not available'));
  return result.inProgress('NotAvailable', 'waiting for the aggregated API to become available');
}
