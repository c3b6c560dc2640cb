/**
 * The apply executor's progress as a stream of typed events. Every printer (the text log, JSON
 * lines, the terminal UI) only consumes this stream, so what a run did can be reconstructed from
 * it alone: tests prove ordering (wave N+1 starts after wave N is healthy) from the events.
 *
 * Invariants (test/apply/event-invariants.test.ts checks them over several runs): an apply or
 * rollback has exactly one `plan` event before any object is touched (unless its input was
 * refused, then only `diagnostics` and `done`), plus one more, saying `operation: rollback`, when
 * `--atomic` rolls a failed run back; a rollback's plan says `operation: rollback`; a delete has
 * no plan and reports its objects as `object-deleted`; exactly one `done` event last;
 * `wave-started`/`wave-finished` pair up; every `hook-started` has a `hook-finished`. Events carry
 * data, never Secret values.
 * `at` is milliseconds since the epoch from the executor's injected clock.
 */
import type { Diagnostic, ObjectRef } from '../model/index.js';
import type { HealthState } from '../health/index.js';
import type { Plan, PlanAction } from '../plan/index.js';

/** Where in the run an object is handled. */
export type ApplyStage = 'pre-apply' | 'wave' | 'prune' | 'post-apply' | 'apply-failed' | 'pre-delete' | 'delete' | 'post-delete';

export type RunOutcome = 'succeeded' | 'failed' | 'interrupted';

/** Why a run failed, as a stable word for machines and the exit code. */
export type FailureKind = 'invalid' | 'conflict' | 'health' | 'timeout' | 'hook' | 'cluster' | 'interrupted' | 'lock' | 'refused' | 'internal';

export interface PlanEvent {
  type: 'plan';
  at: number;
  plan: Plan;
  /** The release and the revision about to be written, when a release store is in use. */
  release?: { name: string; namespace: string; revision?: number };
  dryRun: 'none' | 'client' | 'server';
  /** Set when the run re-applies a recorded revision (`kubectl kd rollback`, or `--atomic` after a failure). */
  operation?: 'rollback';
}

export interface DiagnosticsEvent {
  type: 'diagnostics';
  at: number;
  diagnostics: Diagnostic[];
}

export interface WaveStartedEvent {
  type: 'wave-started';
  at: number;
  wave: number;
  objects: number;
}

export interface WaveFinishedEvent {
  type: 'wave-finished';
  at: number;
  wave: number;
  ok: boolean;
  durationMs: number;
}

export interface ObjectAppliedEvent {
  type: 'object-applied';
  at: number;
  ref: ObjectRef;
  stage: ApplyStage;
  wave?: number;
  /** `unchanged` objects are reported too, but were not written. */
  action: PlanAction | 'namespace-created';
  /** Server-side dry run: sent with dryRun=All, nothing stored. */
  dryRun?: boolean;
  /**
   * Server-side dry run only: why the server could not check this object (its namespace or its
   * CustomResourceDefinition is created earlier in the same apply, and a dry run creates nothing).
   */
  unchecked?: string;
}

export interface HealthChangedEvent {
  type: 'health-changed';
  at: number;
  ref: ObjectRef;
  status: HealthState;
  reason: string;
  message: string;
  ready?: { ready: number; desired: number };
}

/**
 * A custom health check (`kd.io/health-check`), a step of the object's health after its kind's
 * rules pass: `running` when it starts, `retrying` after a failed attempt (with the delay),
 * then `passed` or `failed` (the last attempt's failure, when the timeout ends).
 */
export interface HealthCheckEvent {
  type: 'health-check';
  at: number;
  ref: ObjectRef;
  /** What is checked: `GET /healthz (port 8080)`, `exec /bin/check-ready.sh`. */
  check: string;
  state: 'running' | 'retrying' | 'passed' | 'failed';
  attempt: number;
  /** `pod web-5d8f-x2b answered 503 (expected 2xx): unavailable`; for `passed`, what passed. */
  message: string;
  /** `retrying`: the wait before the next attempt. */
  delayMs?: number;
}

export interface HookStartedEvent {
  type: 'hook-started';
  at: number;
  ref: ObjectRef;
  phase: string;
  weight: number;
}

export interface HookFinishedEvent {
  type: 'hook-finished';
  at: number;
  ref: ObjectRef;
  phase: string;
  ok: boolean;
  message: string;
  /** Whether the hook object was deleted afterwards (hook-succeeded / hook-failed). */
  deleted: boolean;
  /** A dry run: the hook was not run. */
  dryRun?: boolean;
  /** Server-side dry run only: why the server could not check the hook object (as on `object-applied`). */
  unchecked?: string;
}

export interface RetryEvent {
  type: 'retry';
  at: number;
  /** `apply Deployment shop/web`. */
  request: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface PruneEvent {
  type: 'prune';
  at: number;
  ref: ObjectRef;
  /** `deleted`, or `gone` when it had already disappeared. */
  result: 'deleted' | 'gone';
  dryRun?: boolean;
}

/** `kubectl kd delete`: one object of the release deleted (its own event, not a prune). */
export interface ObjectDeletedEvent {
  type: 'object-deleted';
  at: number;
  ref: ObjectRef;
  stage: 'delete';
  /** `deleted`, or `gone` when it had already disappeared. */
  result: 'deleted' | 'gone';
}

/** A unified diff of one object (`--diff`), Secret values masked. */
export interface DiffEvent {
  type: 'diff';
  at: number;
  ref: ObjectRef;
  diff: string;
}

/** The failure of one object (health, timeout, hook), with what the cluster said about it. */
export interface ObjectFailedEvent {
  type: 'object-failed';
  at: number;
  ref: ObjectRef;
  kind: FailureKind;
  reason: string;
  message: string;
  /** Latest Events of the object and its pods, newest last: `Warning BackOff pod/web-1: Back-off restarting failed container`. */
  events: string[];
}

/**
 * Something the user should know that did not stop the run: a hook that failed under
 * `kd.io/hook-failure-policy: continue`, a pending revision of a dead run repaired.
 */
export interface WarningEvent {
  type: 'warning';
  at: number;
  /** A stable word: `hook-failed-continued`, `stale-revision-repaired`. */
  reason: string;
  message: string;
  ref?: ObjectRef;
}

export interface DoneEvent {
  type: 'done';
  at: number;
  status: RunOutcome;
  /** Set when the run failed: what stopped it. */
  failure?: { kind: FailureKind; message: string; hint?: string; detail?: string };
  revision?: number;
  /** Every object unchanged and no hook run: no revision was written; `revision` is the deployed one. */
  unchanged?: boolean;
  durationMs: number;
  counts: { applied: number; unchanged: number; pruned: number; hooks: number; deleted?: number };
}

export type ApplyEvent =
  | PlanEvent
  | DiagnosticsEvent
  | WaveStartedEvent
  | WaveFinishedEvent
  | ObjectAppliedEvent
  | HealthChangedEvent
  | HealthCheckEvent
  | HookStartedEvent
  | HookFinishedEvent
  | RetryEvent
  | PruneEvent
  | ObjectDeletedEvent
  | DiffEvent
  | ObjectFailedEvent
  | WarningEvent
  | DoneEvent;

export type ApplyEventType = ApplyEvent['type'];
