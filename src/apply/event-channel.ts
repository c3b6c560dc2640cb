/**
 * A push-to-pull queue: the executor pushes events as they happen and a consumer iterates them
 * with `for await`. Unbounded on purpose: the executor never waits for a slow printer (events are
 * small and a run has a bounded number of them), so a printer cannot stall an apply.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  readonly #buffer: T[] = [];
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  #closed = false;
  #failure: { error: unknown } | undefined;

  push(value: T): void {
    if (this.#closed) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting.resolve({ value, done: false });
    } else this.#buffer.push(value);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve({ value: undefined, done: true });
  }

  /** Ends the stream with an error, thrown to the consumer after the buffered events. */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    // A reader already waiting gets the rejection itself (the buffer is empty when one waits).
    if (waiting) waiting.reject(error);
    else this.#failure = { error };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.#buffer.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.#closed) {
          if (this.#failure) {
            const { error } = this.#failure;
            this.#failure = undefined;
            return Promise.reject(error);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.#waiting = { resolve, reject };
        });
      },
    };
  }
}
