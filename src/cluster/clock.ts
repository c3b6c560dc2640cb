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

/** A source of time with timers: a simulator's scaled clock, or a test's virtual one. */
export interface TimerClock {
  now(): number;
  /** Calls `fn` after `ms` of this clock's time; the returned function cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * The executor's and the cluster client's clock on another clock's time (kd sim's scaled clock,
 * a test's virtual clock), so timeouts and backoffs run on the time the simulator runs on.
 */
export function clusterClockOn(timers: TimerClock): ClusterClock {
  return {
    now: () => timers.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          cancel();
          reject(signal!.reason);
        };
        const cancel = timers.setTimer(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
