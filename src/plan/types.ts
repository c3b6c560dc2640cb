/**
 * The plan of one apply, as data: what runs in which phase and wave, in order, and what each
 * object's action is. The executor walks it; `renderPlanText` prints it. Problems found while
 * planning are diagnostics in the plan, never exceptions.
 */
import type { HookDeletePolicy, HookFailurePolicy, HookPhase } from '../annotations/index.js';
import type { Diagnostic, KubeObject, Manifest, ObjectRef } from '../model/index.js';

/** A desired object: a Manifest, of which planning needs only the object and its identity. */
export type PlanInputObject = Pick<Manifest, 'object' | 'ref'> & Partial<Pick<Manifest, 'file' | 'locate' | 'documentIndex'>>;

export interface PlanInput {
  desired: readonly PlanInputObject[];
  /** What the cluster has, by `objectKey(ref)`. Omitted: the cluster was not asked. */
  live?: ReadonlyMap<string, KubeObject>;
  /** What kd applied last time (the release record), by `objectKey(ref)`. */
  recorded?: ReadonlyMap<string, KubeObject>;
  /** Objects of the inventory that are no longer in the files. */
  prune?: readonly ObjectRef[];
  /**
   * Which run this is, choosing the hook phases that run: `install` (no deployed revision: the
   * first apply, or the first after a delete that kept history), `upgrade`, `rollback`.
   * Default: `install` without `lastApplied`, else `upgrade`.
   */
  operation?: PlanOperation;
}

export type PlanOperation = 'install' | 'upgrade' | 'rollback';

/** `delete` is used by delete plans only (`kubectl kd delete`); an apply removes objects by `prune`. */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'prune' | 'delete';

export interface PlanHook {
  /** The phase this entry runs in; `sync` is an Argo CD Sync hook, run in its wave. */
  phase: HookPhase | 'sync';
  weight: number;
  deletePolicies: readonly HookDeletePolicy[];
  /** `kd.io/hook-failure-policy`: what a failure of this hook does to the run. */
  failurePolicy: HookFailurePolicy;
  /** The annotation key that made it a hook (`kd.io/hook`, `argocd.argoproj.io/hook`, `helm.sh/hook`). */
  source: string;
}

export interface PlanEntry {
  /** `objectKey(ref)`. */
  key: string;
  ref: ObjectRef;
  action: PlanAction;
  /** The object to apply (the desired one); for prune, what is known of the object to delete. */
  object: KubeObject | undefined;
  /** The wave it was declared in (`kd.io/sync-wave` or an alias; 0 by default). */
  wave: number;
  hook?: PlanHook;
  /** Set when a dependency was moved earlier: the wave (or `pre-apply`) it now runs in. */
  movedTo?: number | 'pre-apply';
  /** For updates: field paths (`spec.replicas`) where the desired object differs from what kd applied last or from the cluster. */
  changedPaths?: string[];
}

export interface PlanWave {
  wave: number;
  entries: PlanEntry[];
}

/** `other-run-hook`: a hook whose phases belong to other runs (a pre-install hook on an upgrade). */
export type PlanNoteKind = 'moved' | 'skipped' | 'kept' | 'delete-hook' | 'other-run-hook' | 'hook-not-pruned';

export interface PlanNote {
  kind: PlanNoteKind;
  ref: ObjectRef;
  message: string;
}

export interface Plan {
  /** The run the hooks were chosen for. */
  operation: PlanOperation;
  /** Dependencies moved before the hooks, then the hooks run before the waves (pre-install or pre-upgrade, pre-apply; pre-rollback), in order. */
  preApply: PlanEntry[];
  /** Waves in ascending order; empty waves are left out. */
  waves: PlanWave[];
  /** Deletions after the last wave, in reverse install order. */
  prune: PlanEntry[];
  /** The hooks run after the waves (post-install or post-upgrade, post-apply; post-rollback). */
  postApply: PlanEntry[];
  /** Hooks kept aside; they run only when the apply fails. */
  applyFailed: PlanEntry[];
  notes: PlanNote[];
  diagnostics: Diagnostic[];
  summary: Record<Exclude<PlanAction, 'delete'>, number>;
}

export interface DeletePlanInput {
  /** The release's objects as kd applied them (hooks included, for their delete phases). */
  objects: readonly PlanInputObject[];
  /** What the cluster has; objects already gone are left out. Omitted: the cluster was not asked. */
  live?: ReadonlyMap<string, KubeObject>;
}

/** `kubectl kd delete`: pre-delete hooks, then deletions in reverse waves and kinds, then post-delete hooks. */
export interface DeletePlan {
  preDelete: PlanEntry[];
  delete: PlanEntry[];
  postDelete: PlanEntry[];
  notes: PlanNote[];
  diagnostics: Diagnostic[];
}
