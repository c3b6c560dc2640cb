/**
 * The first rule for every object with a controller: its status must describe the latest spec.
 * `status.observedGeneration` must equal `metadata.generation`, or the rest of the status is
 * about an older spec and says nothing about this apply. kstatus skips the rule when the field is
 * missing; kinds whose controllers always write it (the apps workloads) require it, because a
 * missing field there means the controller has not looked at the object yet.
 */
import type { KubeObject } from '../model/index.js';
import { numberField } from './fields.js';
import { result, type HealthResult } from './types.js';

export function generationNotObserved(object: KubeObject, options: { required: boolean }): HealthResult | undefined {
  const generation = numberField(object, 'metadata', 'generation');
  if (generation === undefined) return undefined;
  const observed = numberField(object, 'status', 'observedGeneration');
  if (observed === undefined) {
    if (!options.required) return undefined;
    return result.inProgress('LatestGenerationNotObserved', `generation ${generation} not yet observed by its controller`);
  }
  if (observed !== generation) {
    return result.inProgress(
      'LatestGenerationNotObserved',
      `generation ${generation} not yet observed by its controller (status is for generation ${observed})`,
    );
  }
  return undefined;
}
