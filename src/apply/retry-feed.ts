/** Retry notices from the transport, fanned out to whoever listens (the running task). */
import type { RetryNotice } from '../cluster/transport.js';

export class RetryFeed {
  readonly #listeners = new Set<(notice: RetryNotice) => void>();
  readonly push = (notice: RetryNotice): void => {
    for (const l of this.#listeners) l(notice);
  };
  subscribe(listener: (notice: RetryNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
