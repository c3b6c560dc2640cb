/**
 * Job (batch/v1). Healthy means finished: a Complete condition. A Job that merely started is in
 * progress (kstatus calls it Current, which lets the next wave start before the migration ran).
 * A Failed condition — or FailureTarget, which the controller sets before it stops the pods — is
 * a failure with the controller's reason (BackoffLimitExceeded, DeadlineExceeded, ...).
 * A suspended Job is not waited on: nothing will run until it is resumed.
 */
import type { KubeObject } from '../../model/index.js';
import { field, findCondition, numberField } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function jobHealth(object: KubeObject): HealthResult {
  const completions = numberField(object, 'spec', 'completions') ?? 1;
  const succeeded = numberField(object, 'status', 'succeeded') ?? 0;
  const active = numberField(object, 'status', 'active') ?? 0;
  const failedPods = numberField(object, 'status', 'failed') ?? 0;
  const counts = { ready: succeeded, desired: completions };
  for (const type of ['Failed', 'FailureTarget']) {
    const c = findCondition(object, type);
    if (c?.status === 'True') {
      const reason = c.reason || 'JobFailed';
      return result.failed(reason, c.message || `job failed (${failedPods} failed pod${failedPods === 1 ? '' : 's'})`, { failFast: true, ready: counts });
    }
  }
  const complete = findCondition(object, 'Complete');
  if (complete?.status === 'True') return result.current('Complete', `job completed: ${succeeded} of ${completions} succeeded`, counts);
  if (field(object, 'spec', 'suspend') === true) return result.current('Suspended', 'job suspended (spec.suspend); not waited on', counts);
  const failedNote = failedPods > 0 ? `, ${failedPods} failed` : '';
  if (active === 0 && succeeded === 0) return result.inProgress('NotStarted', `job not started yet: 0 of ${completions} succeeded${failedNote}`, counts);
  return result.inProgress('Running', `job running: ${active} active, ${succeeded} of ${completions} succeeded${failedNote}`, counts);
}
