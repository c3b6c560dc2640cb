/**
 * Client-side rate limiting as client-go does it: a token bucket refilled at `qps` tokens per
 * second holding at most `burst` tokens (a fresh bucket is full, so short runs never wait).
 * Waiters are served in arrival order.
 *
 * The default is kubectl's (1.32), which is no limit across a run: kubectl sets no QPS or burst
 * of its own for ordinary requests (cli-runtime `ConfigFlags.ToRESTConfig` leaves both 0; only
 * discovery gets QPS 50 / burst 300, kubectl `pkg/cmd/cmd.go`), so client-go's `rest.Config`
 * defaults apply (`DefaultQPS` 5, `DefaultBurst` 10, `RESTClientForConfigAndClient`) — but per
 * REST client, and `kubectl apply/diff -f` builds one REST client per object (cli-runtime
 * `resource` mapper → `unstructuredClientForGroupVersion` → `rest.RESTClientFor`), so every
 * object starts with a full bucket of 10 for its 1–2 requests and nothing is throttled. Load is
 * left to the server's API Priority and Fairness (429 + Retry-After, honoured by retry.ts); what
 * kd has in flight is bounded by `--concurrency`. `--qps` opts in to one bucket shared by the
 * whole run, with client-go's burst of 10 unless `--burst` says otherwise.
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

/** kubectl's effective default: no client-side limit (see above). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { qps: 0, burst: 10 };
/** client-go's `rest.DefaultBurst`: the burst of a `--qps` limit given without `--burst`. */
export const DEFAULT_BURST = 10;

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
