/** PersistentVolume (v1): Available or Bound is Current, Failed (reclamation failed) is a failure. */
import type { KubeObject } from '../../model/index.js';
import { stringField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function persistentVolumeHealth(object: KubeObject): HealthResult {
  const phase = stringField(object, 'status', 'phase') ?? 'Pending';
  const message = stringField(object, 'status', 'message');
  if (phase === 'Available' || phase === 'Bound' || phase === 'Released') return result.current(phase, message ?? `volume ${phase.toLowerCase()}`);
  if (phase === 'Failed') return result.failed('Failed', message ?? 'volume reclamation failed');
  return result.inProgress('Pending', message ?? 'volume not yet available');
}
