/**
 * The typed errors of kd. A small set, each mapped to one exit code by the single handler in the
 * CLI entry: a user's mistake in how kd was called (usage, exit 2), bad input or environment
 * (exit 2), a cluster failure (exit 2 unless a command decides otherwise), and bugs (exit 2,
 * with a request to report). Problems in manifests are not errors: they are diagnostics.
 */

export type KdErrorKind = 'usage' | 'input' | 'environment' | 'cluster' | 'interrupted' | 'bug';

/**
 * Each kd command is bundled on its own (fast start: a command loads only its own code), so one
 * process can hold two copies of this class. The brand makes `instanceof KdError` hold across
 * copies; subclasses keep the ordinary prototype check.
 */
const BRAND = Symbol.for('kubectl-kd.KdError');

export class KdError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== KdError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly kind: KdErrorKind;
  /** What to do about it, one line; printed under the message. */
  readonly hint?: string;

  constructor(kind: KdErrorKind, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KdError';
    this.kind = kind;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}

export const usageError = (message: string, hint?: string) => new KdError('usage', message, hint === undefined ? undefined : { hint });
export const inputError = (message: string, hint?: string) => new KdError('input', message, hint === undefined ? undefined : { hint });
export const environmentError = (message: string, hint?: string) =>
  new KdError('environment', message, hint === undefined ? undefined : { hint });

/** Exit codes are part of kd's contract (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  no: 1,
  error: 2,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof KdError && error.kind === 'interrupted') return ExitCode.interrupted;
  return ExitCode.error;
}
