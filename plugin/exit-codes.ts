/**
 * Every command's exit code is decided here, from what the command found, so that the contract
 * of the README ("Exit codes") holds the same way everywhere: 0 success, 1 the answer is "no"
 * (invalid manifests, drift found, apply or delete failed), 2 usage, input, environment or cluster
 * error, 130 interrupted. Errors thrown as KdError get theirs from `exitCodeFor` (src/errors.ts).
 */
import { ExitCode, type Diagnostic, type DoneEvent, type FailureKind } from '../src/index.js';

export { ExitCode };

/** validate, and the validation step of drift: invalid manifests are a "no", not an error. */
export function exitForDiagnostics(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.severity === 'error') ? ExitCode.no : ExitCode.ok;
}

/** drift: 1 when an object of a `--fail-on` class was found. */
export function exitForDrift(driftFound: boolean): number {
  return driftFound ? ExitCode.no : ExitCode.ok;
}

/**
 * A failure of apply, rollback or delete: the cluster's fault and a refused input (an empty input
 * with --prune) are errors (2), the rest (invalid, health, hook, conflict, lock...) a "no".
 */
export function exitForFailure(kind: FailureKind | string | undefined): number {
  if (kind === 'interrupted') return ExitCode.interrupted;
  return kind === 'cluster' || kind === 'refused' ? ExitCode.error : ExitCode.no;
}

/** The end of an apply or rollback run. */
export function exitForApply(done: DoneEvent | undefined): number {
  if (!done) return ExitCode.error;
  if (done.status === 'succeeded') return ExitCode.ok;
  if (done.status === 'interrupted') return ExitCode.interrupted;
  return exitForFailure(done.failure?.kind);
}
