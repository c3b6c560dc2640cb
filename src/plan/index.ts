/** The apply plan: phases, waves, hooks and kind order as data, and its stable text form. */
export type { DeletePlan, DeletePlanInput, Plan, PlanAction, PlanEntry, PlanHook, PlanInput, PlanInputObject, PlanNote, PlanNoteKind, PlanOperation, PlanWave } from './types.js';
export { hookPhasesOf, type HookMoment } from './plan-apply.js';
export { planApply } from './plan-apply.js';
export { planDelete } from './plan-delete.js';
export { planWithoutHooks } from './without-hooks.js';
export { providedKey } from './dependencies.js';
export { renderDeletePlanText, renderPlanText } from './render-text.js';
export { displayRef } from './display-ref.js';
export { detectChange, type ChangeInput, type ChangeResult } from './change-detection.js';
export { INSTALL_ORDER, compareDeleteOrder, compareInstallOrder, isBuiltInGroup, kindRank } from './kind-order.js';
