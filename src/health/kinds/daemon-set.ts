/**
 * DaemonSet (apps/v1). Current when every node that should run the daemon runs the updated one
 * and it is available: desiredNumberScheduled = updatedNumberScheduled = numberAvailable. With the
 * OnDelete strategy pods are replaced only when deleted, so only availability is required.
 */
import type { KubeObject } from '../../model/index.js';
import { numberField, stringField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function daemonSetHealth(object: KubeObject): HealthResult {
  const desired = numberField(object, 'status', 'desiredNumberScheduled');
  if (desired === undefined) return result.inProgress('NotScheduled', 'the controller has not scheduled the daemon yet');
  const updated = numberField(object, 'status', 'updatedNumberScheduled') ?? 0;
  const available = numberField(object, 'status', 'numberAvailable') ?? 0;
  const ready = numberField(object, 'status', 'numberReady') ?? 0;
  const counts = { ready: available, desired };
  const onDelete = stringField(object, 'spec', 'updateStrategy', 'type') === 'OnDelete';
  if (!onDelete && updated < desired) {
    return result.inProgress('RolloutInProgress', `${updated} of ${desired} scheduled pods updated`, counts);
  }
  if (ready < desired) return result.inProgress('PodsNotReady', `${ready} of ${desired} scheduled pods ready`, counts);
  if (available < desired) return result.inProgress('PodsNotAvailable', `${available} of ${desired} scheduled pods available`, counts);
  return result.current('Available', `${available} of ${desired} scheduled pods updated and available`, counts);
}
