/**
 * Why a run stops, as a typed value: the executor throws a `RunFailure` from deep inside a wave
 * or hook and turns it into the `done` event at the top. Field-manager conflicts get their own
 * message naming the other managers and their fields, and the two ways out.
 */
import { ClusterRequestError } from '../cluster/errors.js';
import { describeRef, type ObjectRef } from '../model/index.js';
import type { FailureKind } from './events.js';

export class RunFailure extends Error {
  readonly kind: FailureKind;
  readonly hint?: string;
  readonly ref?: ObjectRef;
  /** More than the message, for `--verbose` (the stack of an internal error). */
  detail?: string;
  /** The failure asks for the release to go back to its last deployed revision, as --atomic does (`kd.io/hook-failure-policy: rollback`). */
  readonly rollback?: boolean;

  constructor(kind: FailureKind, message: string, options: { hint?: string; ref?: ObjectRef; cause?: unknown; rollback?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunFailure';
    this.kind = kind;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.ref !== undefined) this.ref = options.ref;
    if (options.rollback) this.rollback = true;
  }
}

/** A conflict with other field managers, as the user needs to read it. */
export function conflictFailure(ref: ObjectRef, error: ClusterRequestError): RunFailure {
  const byManager = new Map<string, string[]>();
  for (const c of error.conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const parts = [...byManager].map(([manager, fields]) => `${manager} owns ${fields.join(', ')}`);
  return new RunFailure('conflict', `${describeRef(ref)}: conflict with other field managers: ${parts.join('; ')}`, {
    hint: 're-run with --force-conflicts to take these fields over, or remove the fields from your manifests so the other manager keeps them',
    ref,
    cause: error,
  });
}

/**
 * Maps anything thrown during a run to a failure (cluster errors keep their message and hint).
 * Never throws: an error kd did not foresee (a TypeError, a RangeError from a huge string) is an
 * `internal` failure carrying its stack, so a run can only end as failed, never as succeeded.
 */
export function asRunFailure(error: unknown, signal: AbortSignal): RunFailure {
  if (error instanceof RunFailure) return error;
  if (signal.aborted) return new RunFailure('interrupted', 'interrupted: no new work was started; the revision is marked failed');
  if (error instanceof ClusterRequestError || (error instanceof Error && 'kind' in error && (error as { kind: unknown }).kind === 'cluster')) {
    const hint = (error as { hint?: string }).hint;
    return new RunFailure('cluster', error.message, { ...(hint ? { hint } : {}), cause: error });
  }
  if (error instanceof Error && 'kind' in error && typeof (error as { kind: unknown }).kind === 'string') {
    const kdKind = (error as { kind: string }).kind;
    const hint = (error as { hint?: string }).hint;
    return new RunFailure(kdKind === 'interrupted' ? 'interrupted' : 'cluster', error.message, { ...(hint ? { hint } : {}), cause: error });
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `unexpected error: ${String(error)}`;
  const failure = new RunFailure('internal', message, {
    hint: 'this is a bug in kd; re-run with --verbose for the stack trace and report it',
    cause: error,
  });
  if (error instanceof Error && error.stack) failure.detail = error.stack;
  return failure;
}
