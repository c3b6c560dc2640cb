/**
 * `planApply`: from the desired objects (and what the cluster and kd's record hold) to the
 * ordered plan. Pure. Order: phase, then wave, then kind, then name.
 *  1. Read each object's annotations (kd's keys and their Argo CD and Helm aliases) and sort it
 *     into a place: a wave; the hook phases it runs in (Argo CD Sync hooks stay in their wave);
 *     left out (Skip, hooks only for `kubectl kd delete` or for other runs), with a note. Which
 *     hook phases run depends on the run (`hookPhasesOf`): an install runs pre-install and
 *     pre-apply, an upgrade pre-upgrade and pre-apply, a rollback pre-rollback only (and so on
 *     after the waves); a rollback runs no Sync or apply-failed hooks.
 *  2. Move Namespaces and CRDs needed earlier to where they are first needed (noted).
 *  3. Decide each applied object's action against the record and the cluster.
 *  4. Order: waves ascending; in a wave kinds in install order, then name; hooks in a phase by
 *     hook weight, then wave (Argo CD orders its hooks by wave), then kind, then name.
 *  5. Prune what the inventory has and the files do not, after the last wave, in reverse order:
 *     higher waves first, kinds reversed; objects marked keep (kd.io/resource-policy or Helm's)
 *     and hooks are never pruned (noted).
 * Bad annotation values are the annotation checker's to report; here they read as defaults.
 */
import { isHook, readKdAnnotations, type KdAnnotations } from '../annotations/index.js';
import { FILE_START, objectKey, type Diagnostic, type KubeObject, type ObjectRef } from '../model/index.js';
import { displayRef } from './display-ref.js';
import { detectChange } from './change-detection.js';
import { neededKeys, providedKey } from './dependencies.js';
import { compareDeleteOrder, compareInstallOrder, compareStrings } from './kind-order.js';
import type { HookPhase } from '../annotations/index.js';
import type { Plan, PlanEntry, PlanInput, PlanInputObject, PlanNote, PlanNoteKind, PlanOperation } from './types.js';

/** Notes in the order a reader needs them: what moved, what is left out, what prune spares. */
const NOTE_ORDER: readonly PlanNoteKind[] = ['moved', 'skipped', 'delete-hook', 'other-run-hook', 'kept', 'hook-not-pruned'];

/** The moments of an apply-like run at which hooks run. */
export type HookMoment = 'pre-apply' | 'post-apply' | 'apply-failed';

/**
 * The one table of which hook phases run at each moment of each run, most specific first (a
 * hook listing several of them runs once, under the first). Helm's install/upgrade/rollback
 * events and kd's pre-apply/post-apply (install and upgrade, never rollback) meet here.
 */
const PHASES: Record<PlanOperation, Record<HookMoment, readonly HookPhase[]>> = {
  install: { 'pre-apply': ['pre-install', 'pre-apply'], 'post-apply': ['post-install', 'post-apply'], 'apply-failed': ['apply-failed'] },
  upgrade: { 'pre-apply': ['pre-upgrade', 'pre-apply'], 'post-apply': ['post-upgrade', 'post-apply'], 'apply-failed': ['apply-failed'] },
  rollback: { 'pre-apply': ['pre-rollback'], 'post-apply': ['post-rollback'], 'apply-failed': [] },
};

/** The hook phases that run at a moment of a run. */
export function hookPhasesOf(operation: PlanOperation, moment: HookMoment): readonly HookPhase[] {
  return PHASES[operation][moment];
}

const APPLY_RUN_PHASES: ReadonlySet<HookPhase> = new Set(Object.values(PHASES).flatMap((m) => Object.values(m).flat()));

interface Placed {
  input: PlanInputObject;
  key: string;
  annotations: KdAnnotations;
}

export function planApply(input: PlanInput): Plan {
  const operation: PlanOperation = input.operation ?? (input.recorded === undefined ? 'install' : 'upgrade');
  const runPhases = new Set<HookPhase>([...hookPhasesOf(operation, 'pre-apply'), ...hookPhasesOf(operation, 'post-apply'), ...hookPhasesOf(operation, 'apply-failed')]);
  const notes: PlanNote[] = [];
  const diagnostics: Diagnostic[] = [];

  // 1. Identity, annotations, placement.
  const seen = new Set<string>();
  const inWaves: Placed[] = [];
  const hooks: Placed[] = [];
  for (const item of input.desired) {
    const key = objectKey(item.ref);
    if (seen.has(key)) {
      diagnostics.push(diagnostic(item, 'plan/duplicate-object', `${displayRef(item.ref)} appears more than once; only the first is applied`));
      continue;
    }
    seen.add(key);
    const annotations = readKdAnnotations(item.object).value;
    const hookSource = annotations.source.hooks ?? 'kd.io/hook';
    if (annotations.hooks === 'skip') {
      notes.push({ kind: 'skipped', ref: item.ref, message: `${displayRef(item.ref)} is not applied (${hookSource}: ${rawAnnotation(item.object, hookSource)})` });
      continue;
    }
    if (!item.ref.name && !isHook(annotations)) {
      diagnostics.push(
        diagnostic(item, 'plan/generate-name-without-hook', `${displayRef(item.ref)} has only metadata.generateName; only hooks may (an apply needs a name to find the object again)`),
      );
      continue;
    }
    const placed = { input: item, key, annotations };
    if (annotations.hooks === 'sync' && operation === 'rollback') {
      notes.push({ kind: 'other-run-hook', ref: item.ref, message: `${displayRef(item.ref)} is a Sync hook (${hookSource}); a rollback runs its rollback hooks only` });
      continue;
    }
    if (annotations.hooks === 'sync' || !isHook(annotations)) {
      inWaves.push(placed);
      continue;
    }
    const phases = annotations.hooks as readonly HookPhase[];
    if (!phases.some((p) => APPLY_RUN_PHASES.has(p))) {
      notes.push({ kind: 'delete-hook', ref: item.ref, message: `${displayRef(item.ref)} runs on kubectl kd delete (${phases.join(', ')}), not on apply` });
      continue;
    }
    if (!phases.some((p) => runPhases.has(p))) {
      notes.push({ kind: 'other-run-hook', ref: item.ref, message: `${displayRef(item.ref)} runs on ${runsOn(phases)} (${phases.join(', ')}), not on this ${operation}` });
      continue;
    }
    hooks.push(placed);
  }

  // 2. Dependencies: the earliest point each Namespace or CRD is needed.
  const providers = new Map<string, Placed>();
  for (const p of inWaves) {
    if (p.annotations.hooks === 'sync') continue;
    const provided = providedKey(p.input.ref, p.input.object);
    if (provided) providers.set(provided, p);
  }
  const earliest = new Map<string, { at: number | 'pre-apply'; by: Placed }>();
  const need = (p: Placed, at: number | 'pre-apply') => {
    for (const k of neededKeys(p.input.ref)) {
      const provider = providers.get(k);
      if (!provider || provider === p) continue;
      const current = earliest.get(provider.key);
      if (current === undefined || isEarlier(at, current.at)) earliest.set(provider.key, { at, by: p });
    }
  };
  // Visit dependents in run order, so a note names the first object that needs the dependency.
  const phaseAt = (p: Placed, moment: HookMoment) => hookPhasesOf(operation, moment).find((phase) => (p.annotations.hooks as readonly HookPhase[]).includes(phase));
  const preApplyHooks = hooks.filter((p) => phaseAt(p, 'pre-apply') !== undefined).sort(compareHooks);
  for (const p of preApplyHooks) need(p, 'pre-apply');
  for (const p of [...inWaves].sort(compareInWave)) need(p, p.annotations.syncWave);

  // 3. Entries and actions.
  const liveKnown = input.live !== undefined;
  const preApplyDeps: PlanEntry[] = [];
  const waveMap = new Map<number, PlanEntry[]>();
  for (const p of [...inWaves].sort(compareInWave)) {
    const entry = appliedEntry(p, input, liveKnown);
    let wave = p.annotations.syncWave;
    const moved = earliest.get(p.key);
    if (moved && isEarlier(moved.at, wave)) {
      entry.movedTo = moved.at;
      const where = moved.at === 'pre-apply' ? 'before the pre-apply hooks' : `to wave ${moved.at}`;
      const by = moved.at === 'pre-apply' ? `pre-apply hook ${displayRef(moved.by.input.ref)}` : `${displayRef(moved.by.input.ref)} in wave ${moved.at}`;
      notes.push({ kind: 'moved', ref: p.input.ref, message: `${displayRef(p.input.ref)} moved from wave ${wave} ${where}: ${by} needs it` });
      if (moved.at === 'pre-apply') {
        preApplyDeps.push(entry);
        continue;
      }
      wave = moved.at;
    }
    const list = waveMap.get(wave) ?? [];
    list.push(entry);
    waveMap.set(wave, list);
  }

  // 4. Order.
  preApplyDeps.sort((a, b) => compareInstallOrder(a.ref, b.ref));
  const waves = [...waveMap.entries()]
    .sort(([a], [b]) => a - b)
    .map(([wave, entries]) => ({ wave, entries: entries.sort((a, b) => compareInstallOrder(a.ref, b.ref)) }));
  const hookEntries = (moment: HookMoment) =>
    hooks
      .filter((p) => phaseAt(p, moment) !== undefined)
      .sort(compareHooks)
      .map((p) => hookEntry(p, phaseAt(p, moment)!));

  // 5. Prune.
  const prune = planPrune(input, seen, notes);

  const plan: Plan = {
    operation,
    preApply: [...preApplyDeps, ...hookEntries('pre-apply')],
    waves,
    prune,
    postApply: hookEntries('post-apply'),
    applyFailed: hookEntries('apply-failed'),
    // Moves are recorded in run order already; the rest would follow input order, so sort them.
    notes: notes.sort(
      (a, b) => NOTE_ORDER.indexOf(a.kind) - NOTE_ORDER.indexOf(b.kind) || (a.kind === 'moved' ? 0 : compareStrings(a.message, b.message)),
    ),
    diagnostics,
    summary: { create: 0, update: 0, unchanged: 0, prune: 0 },
  };
  const count = (e: PlanEntry) => {
    if (e.action !== 'delete') plan.summary[e.action]++;
  };
  plan.preApply.forEach(count);
  waves.forEach((w) => w.entries.forEach(count));
  prune.forEach(count);
  plan.postApply.forEach(count);
  return plan;
}

/** Hooks of a phase: weight, then wave (how Argo CD orders its hooks), then kind, then name. */
function compareHooks(a: Placed, b: Placed): number {
  return a.annotations.hookWeight - b.annotations.hookWeight || a.annotations.syncWave - b.annotations.syncWave || compareInstallOrder(a.input.ref, b.input.ref);
}

/** The runs a hook's phases belong to, for the note of a hook this run leaves out. */
function runsOn(phases: readonly HookPhase[]): string {
  const runs = (['install', 'upgrade', 'rollback'] as const).filter((op) => Object.values(PHASES[op]).some((list) => list.some((p) => phases.includes(p))));
  return runs.join(' and ');
}

function compareInWave(a: Placed, b: Placed): number {
  return a.annotations.syncWave - b.annotations.syncWave || compareInstallOrder(a.input.ref, b.input.ref);
}

function appliedEntry(p: Placed, input: PlanInput, liveKnown: boolean): PlanEntry {
  const { ref, object } = p.input;
  const entry: PlanEntry = { key: p.key, ref, action: 'create', object, wave: p.annotations.syncWave };
  if (p.annotations.hooks === 'sync') {
    entry.hook = hookInfo(p, 'sync');
    return entry;
  }
  const change = detectChange({
    desired: withNamespace(object, ref),
    recorded: input.recorded?.get(p.key),
    live: input.live?.get(p.key),
    liveKnown,
  });
  entry.action = change.action;
  if (change.action === 'update' && change.changedPaths.length > 0) entry.changedPaths = change.changedPaths;
  return entry;
}

/** Hooks are created fresh each run (the previous run's object deleted first): always create. */
function hookEntry(p: Placed, phase: HookPhase): PlanEntry {
  return { key: p.key, ref: p.input.ref, action: 'create', object: p.input.object, wave: p.annotations.syncWave, hook: hookInfo(p, phase) };
}

function hookInfo(p: Placed, phase: NonNullable<PlanEntry['hook']>['phase']): NonNullable<PlanEntry['hook']> {
  return {
    phase,
    weight: p.annotations.hookWeight,
    deletePolicies: p.annotations.hookDeletePolicies,
    failurePolicy: p.annotations.hookFailurePolicy,
    source: p.annotations.source.hooks ?? 'kd.io/hook',
  };
}

function planPrune(input: PlanInput, desiredKeys: ReadonlySet<string>, notes: PlanNote[]): PlanEntry[] {
  const entries: PlanEntry[] = [];
  const seen = new Set<string>();
  for (const ref of input.prune ?? []) {
    const key = objectKey(ref);
    if (desiredKeys.has(key) || seen.has(key)) continue;
    seen.add(key);
    const known = input.recorded?.get(key) ?? input.live?.get(key);
    const recorded = readKdAnnotations(known).value;
    const live = input.live?.get(key);
    const keep = recorded.keep || (live !== undefined && readKdAnnotations(live).value.keep);
    if (keep) {
      const source = recorded.source.keep ?? readKdAnnotations(live).value.source.keep ?? 'kd.io/resource-policy';
      notes.push({ kind: 'kept', ref, message: `${displayRef(ref)} is no longer in the files but is kept (${source}: keep)` });
      continue;
    }
    if (isHook(recorded)) {
      notes.push({ kind: 'hook-not-pruned', ref, message: `${displayRef(ref)} is a hook; hooks are deleted by their delete policy, not pruned` });
      continue;
    }
    if (input.live !== undefined && live === undefined) continue;
    entries.push({ key, ref, action: 'prune', object: known, wave: recorded.syncWave });
  }
  return entries.sort(compareDeletion);
}

/** Deletion order: higher waves first, then kinds in reverse install order, then name. */
export function compareDeletion(a: PlanEntry, b: PlanEntry): number {
  return b.wave - a.wave || compareDeleteOrder(a.ref, b.ref);
}

function isEarlier(a: number | 'pre-apply', b: number | 'pre-apply'): boolean {
  if (a === 'pre-apply') return b !== 'pre-apply';
  if (b === 'pre-apply') return false;
  return a < b;
}

/** Compare as the API server stores it: a namespaced object always carries its namespace. */
function withNamespace(object: KubeObject, ref: ObjectRef): KubeObject {
  const metadata = object.metadata;
  if (!ref.namespace || typeof metadata !== 'object' || metadata === null || 'namespace' in metadata) return object;
  return { ...object, metadata: { ...(metadata as Record<string, unknown>), namespace: ref.namespace } };
}

function rawAnnotation(object: KubeObject, key: string): string {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const annotations = metadata?.['annotations'] as Record<string, unknown> | undefined;
  const value = annotations?.[key];
  return typeof value === 'string' ? value : '';
}

function diagnostic(item: PlanInputObject, rule: string, message: string): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    rule,
    message,
    file: item.file ?? '<input>',
    range: item.locate ? item.locate(['metadata']) : FILE_START,
    object: item.ref,
    path: ['metadata'],
  };
  if (item.documentIndex !== undefined) d.documentIndex = item.documentIndex;
  return d;
}

