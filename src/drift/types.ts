/**
 * Drift as data: the classes of findings, one object's findings, and the report over releases
 * and clusters. Everything here is plain JSON-able values, so every printer (text, JSON, SARIF,
 * JUnit) renders the same report and `-o json` is this shape (schemas/drift-result.schema.json).
 */
import type { JsonPath, ObjectRef } from '../model/index.js';

/**
 * - `in-sync`: files, last apply and cluster agree;
 * - `pending`: the files changed since the last apply, the cluster is still as applied;
 * - `drifted`: the cluster changed a field kd applied;
 * - `conflict`: both on one field (files and cluster moved to different values);
 * - `missing`: applied, in the files, gone from the cluster;
 * - `new`: in the files, never applied;
 * - `orphan`: a member of the release's ApplySet no longer in the files (`apply --prune` deletes it);
 * - `kept`: such a member annotated `kd.io/resource-policy: keep` (or Helm's alias): prune leaves
 *   it in place by design, so it is not drift;
 * - `foreign`: informational, a field set in the cluster by another manager that kd never set.
 */
export type DriftClass = 'in-sync' | 'pending' | 'drifted' | 'conflict' | 'missing' | 'new' | 'orphan' | 'kept' | 'foreign';

export const DRIFT_CLASSES: readonly DriftClass[] = ['in-sync', 'pending', 'drifted', 'conflict', 'missing', 'new', 'orphan', 'kept', 'foreign'];

/** The classes that make `kubectl kd drift` exit 1 unless `--fail-on` says otherwise. */
export const DEFAULT_FAIL_ON: readonly DriftClass[] = ['drifted', 'conflict', 'missing', 'orphan', 'pending'];

/** Where the last-applied state of an object came from. */
export type AppliedSource = 'release' | 'last-applied-annotation' | 'managed-fields' | 'none';

/** The write that owns a field now, from the live object's managedFields. */
export interface FieldOwner {
  manager: string;
  operation: 'Apply' | 'Update';
  /** ISO time of the manager's last write, as the server recorded it. */
  time?: string;
  /** `scale`, `status`: the write went through a subresource. */
  subresource?: string;
}

/**
 * One field (or, for `missing`, `new`, `orphan` and `kept`, the whole object). A value key that is
 * absent means the field is absent on that side. Secret values are `***` followed by a salted
 * hash (`*** #1a2b3c4d`): equal hashes mean equal values, and the value never leaves kd.
 */
export interface DriftFinding {
  class: Exclude<DriftClass, 'in-sync'>;
  /** Absent for object-level findings. */
  path?: JsonPath;
  desired?: unknown;
  applied?: unknown;
  live?: unknown;
  /** Set when the values are masked Secret values. */
  masked?: true;
  /** Who set the live value (drifted, conflict, foreign), when managedFields tell. */
  owner?: FieldOwner;
  /** The 1-based line and column of the field (or its nearest ancestor) in the object's file. */
  line?: number;
  column?: number;
}

export interface ObjectDrift {
  ref: ObjectRef;
  /** The object's overall class: object-level classes first, then conflict > drifted > pending > foreign > in-sync. */
  class: DriftClass;
  findings: DriftFinding[];
  appliedFrom: AppliedSource;
  /** The file and line of the object in the files, when it is in them. */
  file?: string;
  line?: number;
  /** With `--diff`: live → desired over the fields kd sets, Secret values masked. */
  diff?: string;
  /** Why the comparison is less exact than usual (a server dry run that failed). */
  note?: string;
}

export type DriftCounts = Record<DriftClass, number>;

/** One release in one cluster. */
export interface DriftTargetReport {
  context: string;
  server: string;
  serverVersion?: string;
  release: string;
  namespace: string;
  /** The release revision compared against; absent when no revision of the release was deployed. */
  revision?: number;
  /** What the reader must know about the release itself: its revisions all failed, it lives in another namespace. */
  note?: string;
  counts: DriftCounts;
  objects: ObjectDrift[];
}

export interface DriftReport {
  /** ISO time of the report, from the injected clock. */
  time: string;
  failOn: DriftClass[];
  /** True when some object has a finding of a `failOn` class: the exit code is then 1. */
  driftFound: boolean;
  counts: DriftCounts;
  targets: DriftTargetReport[];
  /** About the audit as a whole: `--all-releases` found no release in the namespace. */
  notes?: string[];
}

export function emptyCounts(): DriftCounts {
  return { 'in-sync': 0, pending: 0, drifted: 0, conflict: 0, missing: 0, new: 0, orphan: 0, kept: 0, foreign: 0 };
}
