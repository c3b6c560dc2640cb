/**
 * The generic rules for objects kd has no kind-specific check for (custom resources above all),
 * from the condition conventions kstatus documents and most controllers follow:
 *  1. Stalled=True or Failed=True: Failed — the controller gave up.
 *  2. Reconciling=True: InProgress.
 *  3. Ready (else Available): True is Current; False is InProgress, or Failed when its reason is
 *     terminal (ends in Failed or Error, starts with Invalid); Unknown is InProgress.
 *     A condition stamped with an older observedGeneration describes an older spec: InProgress.
 *  4. No conditions, or none of these: Current — there is nothing to wait for.
 * Limits: controllers that report progress only in `status.phase` or bespoke fields are Current
 * as soon as they exist; give them a kind check, or mark them `kd.io/health: skip`.
 */
import type { KubeObject } from '../model/index.js';
import { conditions, describeCondition, numberField, type Condition } from './fields.js';
import { result, type HealthResult } from './types.js';

/** Ready=False reasons that mean the controller will not get there by retrying. */
export function isTerminalReason(reason: string): boolean {
  return /(Failed|Failure|Error)$/.test(reason) || /^Invalid/.test(reason);
}

export function conditionsHealth(object: KubeObject): HealthResult {
  const all = conditions(object);
  const byType = new Map<string, Condition>(all.map((c) => [c.type, c]));
  for (const type of ['Stalled', 'Failed']) {
    const c = byType.get(type);
    if (c?.status === 'True') return result.failed(c.reason || type, describeCondition(c, `${type} condition is True`), { failFast: true });
  }
  const reconciling = byType.get('Reconciling');
  if (reconciling?.status === 'True') {
    return result.inProgress(reconciling.reason || 'Reconciling', describeCondition(reconciling, 'reconciling'));
  }
  const generation = numberField(object, 'metadata', 'generation');
  for (const type of ['Ready', 'Available']) {
    const c = byType.get(type);
    if (!c) continue;
    if (generation !== undefined && c.observedGeneration !== undefined && c.observedGeneration !== generation) {
      return result.inProgress('LatestGenerationNotObserved', `${type} condition is for generation ${c.observedGeneration}, not ${generation}`);
    }
    if (c.status === 'True') return result.current(c.reason || type, describeCondition(c, `${type} condition is True`));
    if (c.status === 'False' && type === 'Ready' && isTerminalReason(c.reason)) {
      return result.failed(c.reason, describeCondition(c, 'Ready condition is False'), { failFast: true });
    }
    return result.inProgress(c.reason || `Not${type}`, describeCondition(c, `${type} condition is ${c.status}`));
  }
  if (all.length === 0) return result.current('NoConditions', 'no conditions reported; nothing to wait for');
  return result.current('NoReadinessConditions', 'no Ready, Available, Reconciling or Stalled condition; nothing to wait for');
}
