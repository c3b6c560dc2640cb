/**
 * The watch screen's drift of one object, three-way, from `src/drift` (`compareObject`, the
 * comparison `kubectl kd drift` makes): desired (the files), applied (what this watch last applied)
 * and live (the object as the cluster's watch events have it now). Turned into panel entries with
 * the owner of each drifted field (manager, operation, time from managedFields), Secret values
 * masked by `src/drift`. Also `d`'s diff: live → files over the fields kd sets.
 *
 * Foreign fields (set by another manager, never by kd) are listed only when written during the
 * watch by someone other than the cluster's controllers: `kubectl label` shows, a Deployment's
 * revision annotation does not.
 *
 * Normalisation: values are compared as written when they already agree (`agreesAsWritten`, most
 * events); otherwise the caller may pass the server's dry run of the desired object (`predicted`),
 * asked once per object and desired version when a change arrives (cluster-follow.ts), so
 * defaults and quantity spellings do not show as drift.
 */
import { agreesAsWritten, compareObject, FIELD_MANAGER, toFieldPath, type DriftFinding, type KubeObject, type ObjectDrift, type ObjectRef } from '../../src/index.js';
import type { DriftEntry } from './loop-events.js';

const MAX_VALUE = 40;

export interface LiveDriftInput {
  ref: ObjectRef;
  /** Absent when the object left the files but is still in the cluster (no --prune): an orphan. */
  desired?: KubeObject;
  applied: KubeObject;
  live: KubeObject | undefined;
  predicted?: KubeObject;
  /** Salt of masked Secret values' hashes (one per watch). */
  salt: string;
  /**
   * ISO time the watch started: fields another manager added since then (`kubectl label`,
   * `kubectl annotate`) are listed as foreign. Controllers' own fields (kube-*, *controller*)
   * and anything written before are not: they are the cluster's, not someone's change.
   */
  foreignSince?: string;
}

/** The object's drift; undefined when it is in sync. `diff` adds the live → files text. */
export function liveDrift(input: LiveDriftInput, diff = false): ObjectDrift | undefined {
  const foreign = input.foreignSince !== undefined && input.live !== undefined && recentWriters(input.live, input.foreignSince).size > 0;
  if (!foreign && input.desired !== undefined && input.live !== undefined && !diff && agreesAsWritten({ desired: input.desired, live: input.live, applied: input.applied })) return undefined;
  const found = compareObject(
    { ref: input.ref, ...(input.desired ? { desired: input.desired } : {}), record: input.applied, ...(input.live ? { live: input.live } : {}), member: true, ...(input.predicted ? { predicted: input.predicted } : {}) },
    { fieldManager: FIELD_MANAGER, ignore: [], showForeign: foreign, diff, secretSalt: input.salt },
  );
  const drift = found && foreign ? onlyRecentForeign(found, recentWriters(input.live!, input.foreignSince!)) : found;
  return drift && drift.class !== 'in-sync' ? drift : undefined;
}

/** Managers other than kd and the cluster's controllers that wrote the object at or after `since`. */
function recentWriters(live: KubeObject, since: string): Set<string> {
  const out = new Set<string>();
  const entries = (live.metadata as { managedFields?: Array<{ manager?: unknown; time?: unknown; subresource?: unknown }> } | undefined)?.managedFields ?? [];
  for (const e of entries) {
    if (typeof e.manager !== 'string' || e.manager === FIELD_MANAGER || e.subresource === 'status') continue;
    if (e.manager.startsWith('kube-') || e.manager.includes('controller')) continue;
    if (typeof e.time === 'string' && e.time >= since) out.add(e.manager);
  }
  return out;
}

function onlyRecentForeign(drift: ObjectDrift, writers: Set<string>): ObjectDrift {
  const findings = drift.findings.filter((f) => f.class !== 'foreign' || (f.owner !== undefined && writers.has(f.owner.manager)));
  const order = ['conflict', 'drifted', 'pending', 'foreign'] as const;
  const objectLevel = findings.find((f) => f.path === undefined)?.class;
  return { ...drift, findings, class: objectLevel ?? order.find((c) => findings.some((f) => f.class === c)) ?? 'in-sync' };
}

/** Whether a dry run could change the answer: only field findings depend on normalisation. */
export function needsNormalising(drift: ObjectDrift | undefined): boolean {
  return drift !== undefined && drift.findings.some((f) => f.path !== undefined);
}

export function entriesOf(drift: ObjectDrift | undefined): DriftEntry[] {
  if (!drift) return [];
  return drift.findings
    .filter((f): f is DriftFinding & { class: DriftEntry['class'] } => f.class !== 'new' && f.class !== 'kept')
    .map((f) => {
      const e: DriftEntry = { ref: drift.ref, class: f.class, path: f.path ? toFieldPath(f.path) : '' };
      if (f.desired !== undefined) e.desired = short(f.desired);
      if (f.applied !== undefined) e.applied = short(f.applied);
      if (f.live !== undefined) e.live = short(f.live);
      if (f.owner) e.owner = f.owner;
      return e;
    });
}

/** `d`: the files against the live object now, or `in sync`. */
export function liveDiffLines(input: LiveDriftInput | undefined): string[] {
  if (!input) return ['not applied yet in this watch'];
  if (input.desired === undefined) return input.live === undefined ? ['no longer in the files, nor in the cluster'] : ['orphan: no longer in the files, still in the cluster (apply --prune deletes it)'];
  if (input.live === undefined) return ['not in the cluster (deleted since the last apply): the next apply creates it'];
  const drift = liveDrift(input, true);
  if (!drift || !drift.diff) return ['in sync: the cluster has every field the files set (server defaults and other managers\' fields aside)'];
  return drift.diff.replace(/\n$/, '').split('\n');
}

function short(value: unknown): string {
  const text = typeof value === 'string' && value.startsWith('***') ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
