/**
 * The plan as stable text, as `kubectl kd apply --dry-run=client` prints it and as tests compare
 * it: a summary line, then the phases in run order (pre-apply, the waves, prune, post-apply, the
 * apply-failed hooks kept aside; a rollback's hook sections are pre-rollback and post-rollback),
 * one line per object, a hook naming its phase when the section does not, then notes and problems. Only identities
 * and field paths are printed, never values, so Secret contents cannot leak.
 */
import { displayRef } from './display-ref.js';
import type { DeletePlan, Plan, PlanEntry } from './types.js';

const ACTION_WIDTH = 'unchanged'.length;
const MAX_PATHS = 3;

export function renderPlanText(plan: Plan): string {
  const s = plan.summary;
  const lines: string[] = [`plan: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s.prune} to prune`];
  const section = (title: string, entries: readonly PlanEntry[]) => {
    if (entries.length === 0) return;
    lines.push(title);
    for (const e of entries) lines.push(renderEntry(e, title));
  };
  lines.push('');
  const before = lines.length;
  const rollback = plan.operation === 'rollback';
  section(rollback ? 'pre-rollback' : 'pre-apply', plan.preApply);
  for (const w of plan.waves) section(`wave ${w.wave}`, w.entries);
  section('prune', plan.prune);
  section(rollback ? 'post-rollback' : 'post-apply', plan.postApply);
  section('apply-failed (runs only if the apply fails)', plan.applyFailed);
  if (lines.length === before) lines.push('nothing to apply');
  if (plan.notes.length > 0) {
    lines.push('', 'notes');
    for (const n of plan.notes) lines.push(`  ${n.message}`);
  }
  if (plan.diagnostics.length > 0) {
    lines.push('', 'problems');
    for (const d of plan.diagnostics) lines.push(`  ${d.severity}: ${d.message} [${d.rule}]`);
  }
  return lines.join('\n') + '\n';
}

/** The delete plan in the same form: `kubectl kd delete --dry-run=client`. */
export function renderDeletePlanText(plan: DeletePlan): string {
  const lines: string[] = [`delete plan: ${plan.delete.length} to delete, ${plan.preDelete.length + plan.postDelete.length} hooks to run`, ''];
  const before = lines.length;
  for (const [title, entries] of [['pre-delete', plan.preDelete], ['delete', plan.delete], ['post-delete', plan.postDelete]] as const) {
    if (entries.length === 0) continue;
    lines.push(title);
    for (const e of entries) lines.push(renderEntry(e, title));
  }
  if (lines.length === before) lines.push('nothing to delete');
  if (plan.notes.length > 0) {
    lines.push('', 'notes');
    for (const n of plan.notes) lines.push(`  ${n.message}`);
  }
  return lines.join('\n') + '\n';
}

function renderEntry(e: PlanEntry, section: string): string {
  const details: string[] = [];
  if (e.hook) {
    const phase = e.hook.phase;
    details.push(phase === 'sync' ? 'sync hook' : section.startsWith(phase) ? 'hook' : `${phase} hook`);
    details.push(`weight ${e.hook.weight}`);
    const policies = e.hook.deletePolicies;
    if (!(policies.length === 1 && policies[0] === 'before-hook-creation')) details.push(`delete: ${policies.join(',')}`);
    if (e.hook.failurePolicy !== 'fail') details.push(`on failure: ${e.hook.failurePolicy}`);
  }
  if (e.movedTo !== undefined) details.push(`moved from wave ${e.wave}`);
  if (e.changedPaths && e.changedPaths.length > 0) {
    const shown = e.changedPaths.slice(0, MAX_PATHS).join(', ');
    const more = e.changedPaths.length - MAX_PATHS;
    details.push(more > 0 ? `${shown}, +${more} more` : shown);
  }
  const suffix = details.length > 0 ? `  (${details.join(', ')})` : '';
  return `  ${e.action.padEnd(ACTION_WIDTH)}  ${displayRef(e.ref)}${suffix}`;
}
