/**
 * Client-side rate limiting as client-go does it: a token bucket refilled at `qps` tokens per
 * second holding at most `burst` tokens (kubectl's defaults are QPS 50, burst 100 — a fresh
 * bucket is full, so short runs never wait). Waiters are served in arrival order.
 *
 * Invariant: tokens never exceed `burst`; a waiter is released only when a whole token exists.
 * A qps of 0 or less disables limiting.
 */
import type { ClusterClock } from './clock.js';
import { abortReason } from './clock.js';

export interface RateLimitOptions {
  qps: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { qps: 50, burst: 100 };

export class TokenBucket {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: ClusterClock;
  #tokens: number;
  #last: number;
  /** Serialises waiters so that they take tokens in the order they asked. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimitOptions, clock: ClusterClock) {
    this.#qps = options.qps;
    this.#burst = Math.max(1, Math.floor(options.burst));
    this.#clock = clock;
    this.#tokens = this.#burst;
    this.#last = clock.now();
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Resolves when a token has been taken; rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.#qps <= 0) return Promise.resolve();
    const turn = this.#queue.then(() => this.#take(signal));
    // A failed waiter must not block the ones behind it.
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#qps) * 1000);
      await this.#clock.sleep(waitMs, signal);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#qps);
  }
}
