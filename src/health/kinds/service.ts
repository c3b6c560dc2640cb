/**
 * Service (v1). A LoadBalancer Service is Current once the load balancer has an ingress address
 * (IP or hostname); every other type is Current as soon as it exists.
 */
import type { KubeObject } from '../../model/index.js';
import { arrayField, stringField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function serviceHealth(object: KubeObject): HealthResult {
  const type = stringField(object, 'spec', 'type') ?? 'ClusterIP';
  if (type !== 'LoadBalancer') return result.current('Ready', `${type} service`);
  const addresses = loadBalancerAddresses(object);
  if (addresses.length === 0) return result.inProgress('NoAddress', 'waiting for the load balancer to get an ingress address');
  return result.current('Ready', `load balancer at ${addresses.join(', ')}`);
}

/** `status.loadBalancer.ingress[].ip|hostname`, shared by Service and Ingress. */
export function loadBalancerAddresses(object: KubeObject): string[] {
  const out: string[] = [];
  for (const entry of arrayField(object, 'status', 'loadBalancer', 'ingress')) {
    const address = stringField(entry, 'ip') || stringField(entry, 'hostname');
    if (address) out.push(address);
  }
  return out;
}
