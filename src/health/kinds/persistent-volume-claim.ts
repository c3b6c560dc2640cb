/**
 * PersistentVolumeClaim (v1). Current when Bound; Lost is a failure. A claim whose storage class
 * binds on first use (WaitForFirstConsumer) stays Pending until a pod mounts it, and that pod is
 * often in a later wave: when the events say so the claim counts as Current, or the gate would
 * wait for something only the next wave can bring.
 */
import type { KubeObject } from '../../model/index.js';
import { stringField } from '../fields.js';
import { result, type HealthResult, type ResolvedHealthContext } from '../types.js';

export function persistentVolumeClaimHealth(object: KubeObject, context: ResolvedHealthContext): HealthResult {
  const phase = stringField(object, 'status', 'phase') ?? 'Pending';
  if (phase === 'Bound') {
    const volume = stringField(object, 'spec', 'volumeName');
    return result.current('Bound', volume ? `bound to volume ${volume}` : 'bound');
  }
  if (phase === 'Lost') return result.failed('Lost', 'the bound volume no longer exists', { failFast: true });
  const waiting = context.events.find((e) => stringField(e, 'reason') === 'WaitForFirstConsumer');
  if (waiting) {
    return result.current('WaitForFirstConsumer', stringField(waiting, 'message') ?? 'waiting for first consumer to be created before binding');
  }
  return result.inProgress('Pending', 'waiting for the claim to be bound');
}
