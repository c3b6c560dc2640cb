/**
 * Time and randomness as the cluster layer sees them: injected, so that rate limiting, backoff
 * and Retry-After handling run on a fake clock in tests. `sleep` honours an AbortSignal and
 * rejects with the signal's reason, so an interrupted run never waits out a backoff.
 */

export interface ClusterClock {
  /** Milliseconds since the epoch (or any fixed origin: only differences are used). */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type RandomSource = () => number;

export const systemClock: ClusterClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
