/**
 * Ingress (networking.k8s.io/v1). Current once it exists; the address is reported when the
 * controller published one. Unlike a LoadBalancer Service, an address is not required: many
 * ingress controllers never write status, and the gate would then wait until its timeout.
 */
import type { KubeObject } from '../../model/index.js';
import { result, type HealthResult } from '../types.js';
import { loadBalancerAddresses } from './service.js';

export function ingressHealth(object: KubeObject): HealthResult {
  const addresses = loadBalancerAddresses(object);
  if (addresses.length === 0) return result.current('Ready', 'ingress created (no address published yet)');
  return result.current('Ready', `ingress at ${addresses.join(', ')}`);
}
