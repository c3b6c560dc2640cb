/**
 * When and how long to retry a request: 429 (waiting what Retry-After says), 5xx, connection
 * resets and timeouts, with jittered exponential backoff between attempts. Errors that cannot
 * succeed on a second try (every other 4xx) fail at once. Two 409s are special:
 *  - an optimistic-lock Conflict on a write that carries no resourceVersion precondition (apply,
 *    merge patch) is a race inside the server and is retried, unlike an SSA field conflict;
 *  - (and a 500 that is really a schema error, see isTypedPatchFailure);
 *  - AlreadyExists after an earlier attempt of the same create failed on the network means the
 *    first attempt most likely succeeded: the client resolves that, not the policy.
 *
 * Pure decisions: the transport does the waiting on its injected clock.
 */
import type { ClusterRequestError } from './errors.js';
import type { RandomSource } from './clock.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 6. */
  maxRetries: number;
  /** First backoff in ms; doubles per attempt. Default 250. */
  baseDelayMs: number;
  /** Longest backoff (and the longest Retry-After honoured) in ms. Default 30 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

/** Whether a write is safe to repeat after an optimistic-lock conflict. */
export type RetryClass = 'read' | 'idempotent-write' | 'create' | 'precondition-write';

export function isRetryable(error: ClusterRequestError, retryClass: RetryClass): boolean {
  if (error.failure === 'network') return true;
  if (error.failure === 'protocol') return false;
  const code = error.code;
  if (code === 429) return true;
  if (code >= 500 && code !== 501) return !isTypedPatchFailure(error);
  if (code === 409 && error.reason === 'Conflict' && !error.isFieldConflict) return retryClass === 'idempotent-write';
  return false;
}

/**
 * kube-apiserver answers an apply with a field its schema does not declare with a 500
 * ("failed to create typed patch object ... field not declared in schema"): the same request
 * will fail the same way, so it is not retried.
 */
export function isTypedPatchFailure(error: ClusterRequestError): boolean {
  return error.code === 500 && /failed to create typed patch object/.test(error.status?.message ?? '');
}

/**
 * The wait before retry number `attempt` (1-based): the server's Retry-After when it gave one,
 * else `base * 2^(attempt-1)` capped, with "equal jitter" (half fixed, half random) so that many
 * clients hit by one outage do not come back in lockstep.
 */
export function retryDelayMs(attempt: number, error: ClusterRequestError, options: RetryOptions, random: RandomSource): number {
  if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds >= 0) return Math.min(options.maxDelayMs, error.retryAfterSeconds * 1000);
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Parses `Retry-After` in seconds (the API server never sends the HTTP-date form). */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
