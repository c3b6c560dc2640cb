/**
 * The task runner: the one frame that every run on a release goes through — apply, rollback
 * (`kubectl kd rollback` and `--atomic`) and delete. The steps of a run (its body) only do the
 * work; the runner owns what must hold whatever the body does:
 *  - the lock: taken before the body, released in the `finally`, interrupts included;
 *  - the record: a revision begun through `run.records` is always finished — deployed or failed
 *    by the body, or failed by the runner if the body ended without finishing it;
 *  - the outcome: anything thrown (a cluster error, an interrupt, a TypeError) becomes a failure,
 *    so a run ends with exactly one `done` event and can only end `succeeded` when the body
 *    returned without a failure;
 *  - retries of the cluster layer, reported as `retry` events while the run lasts.
 * The record store and the lock are ports (ports.ts), the seams where storage drivers plug in.
 */
import type { ClusterClock } from '../cluster/clock.js';
import type { ClusterClient } from '../cluster/types.js';
import { EventChannel } from './event-channel.js';
import type { ApplyEvent, DoneEvent, RunOutcome } from './events.js';
import { asRunFailure, RunFailure } from './failure.js';
import type { NewRevision, LockHandle, ReleaseLock, ReleaseRef, ReleaseStore } from './ports.js';
import type { EventInput, RunCounts } from './run-context.js';
import type { RetryFeed } from './retry-feed.js';

export interface TaskSpec {
  /** The release the run works on; with `lock`, its lock is held for the whole run. */
  release?: ReleaseRef;
  lock?: ReleaseLock;
  waitForLock?: boolean;
  /** Where revisions are recorded; without it the run records nothing (dry runs, no release). */
  store?: ReleaseStore;
  /** Runs before the lock is taken (the Lease lives in a namespace that may not exist yet). */
  beforeLock?: (signal: AbortSignal) => Promise<void>;
}

export interface TaskDeps {
  client: ClusterClient;
  clock: ClusterClock;
  /** Aborted on interrupt (Ctrl-C, SIGTERM, a closed stdout pipe). */
  signal: AbortSignal;
  retries?: RetryFeed;
}

export interface TaskRun {
  /** The run's signal: the caller's, or the lock being lost. */
  signal: AbortSignal;
  emit(event: EventInput): void;
  counts: RunCounts;
  /** Revisions of the release; undefined when the run records nothing. */
  records: RevisionRecorder | undefined;
}

export interface TaskOutcome {
  failure?: RunFailure;
  /** The revision to report in `done` (an atomic rollback reports its own). */
  revision?: number;
  /** No revision was written: `revision` is the deployed one, still in force (release/unchanged.ts). */
  unchanged?: boolean;
}

/** Starts a run; iterate the result for its events. It ends with exactly one `done`, and never rejects. */
export function runTask(spec: TaskSpec, deps: TaskDeps, body: (run: TaskRun) => Promise<TaskOutcome>): AsyncIterable<ApplyEvent> {
  const channel = new EventChannel<ApplyEvent>();
  execute(spec, deps, body, (e) => channel.push(e)).then(
    () => channel.close(),
    // Only a throwing consumer of `push` can get here; the stream still ends with the error.
    (error: unknown) => channel.fail(error),
  );
  return channel;
}

async function execute(spec: TaskSpec, deps: TaskDeps, body: (run: TaskRun) => Promise<TaskOutcome>, push: (e: ApplyEvent) => void): Promise<void> {
  const { clock } = deps;
  const started = clock.now();
  const emit = (e: EventInput) => push({ ...e, at: clock.now() } as ApplyEvent);
  const counts: RunCounts = { applied: 0, unchanged: 0, pruned: 0, hooks: 0 };
  const unsubscribeRetries = deps.retries?.subscribe((n) =>
    emit({ type: 'retry', request: `${n.subject.verb} ${n.subject.target}`, attempt: n.attempt, delayMs: n.delayMs, reason: n.error.reason }),
  );
  let lock: LockHandle | undefined;
  let outcome: TaskOutcome = {};
  const records = spec.store && spec.release ? new RevisionRecorder(spec.store, spec.release) : undefined;
  try {
    if (spec.lock && spec.release) {
      try {
        await spec.beforeLock?.(deps.signal);
        lock = await spec.lock.acquire(spec.release, { wait: spec.waitForLock ?? false, signal: deps.signal });
      } catch (error) {
        const f = asRunFailure(error, deps.signal);
        outcome = { failure: f.kind === 'interrupted' || f.kind === 'internal' ? f : new RunFailure('lock', f.message, { ...(f.hint ? { hint: f.hint } : {}), cause: error }) };
        return;
      }
    }
    const signal = lock ? AbortSignal.any([deps.signal, lock.lost]) : deps.signal;
    outcome = await body({ signal, emit, counts, records });
  } catch (error) {
    outcome = { ...outcome, failure: asRunFailure(error, deps.signal) };
  } finally {
    unsubscribeRetries?.();
    // A revision the body began and did not finish (it threw): failed, never left pending.
    if (records) {
      const message = outcome.failure ? messageOf(outcome.failure) : 'the run ended before the revision was finished';
      const f = await records.settle(message);
      if (f && !outcome.failure) outcome = { ...outcome, failure: f };
    }
    if (lock) await lock.release();
    const failure = outcome.failure;
    const status: RunOutcome = failure === undefined ? 'succeeded' : failure.kind === 'interrupted' ? 'interrupted' : 'failed';
    const done: Omit<DoneEvent, 'at'> = { type: 'done', status, durationMs: clock.now() - started, counts: { ...counts } };
    if (failure) done.failure = { kind: failure.kind, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), ...(failure.detail ? { detail: failure.detail } : {}) };
    if (outcome.revision !== undefined) done.revision = outcome.revision;
    if (outcome.unchanged && status === 'succeeded') done.unchanged = true;
    emit(done);
  }
}

/** The one line a failed revision keeps in history. */
export function messageOf(failure: RunFailure): string {
  return failure.kind === 'interrupted' ? 'interrupted' : failure.message;
}

/**
 * The revisions a run begins, each finished exactly once. The store is called without the run's
 * signal: marking a revision failed after an interrupt is exactly when it must still work.
 */
export class RevisionRecorder {
  readonly #store: ReleaseStore;
  readonly #release: ReleaseRef;
  readonly #open = new Set<number>();

  constructor(store: ReleaseStore, release: ReleaseRef) {
    this.#store = store;
    this.#release = release;
  }

  get store(): ReleaseStore {
    return this.#store;
  }

  async begin(revision: NewRevision): Promise<number> {
    const n = await this.#store.begin(this.#release, revision);
    this.#open.add(n);
    return n;
  }

  /** Pending -> deployed or failed. Returns a failure when the record could not be written. */
  async finish(revision: number, failure: RunFailure | undefined, summary: string): Promise<RunFailure | undefined> {
    if (!this.#open.delete(revision)) return undefined;
    try {
      await this.#store.finish(this.#release, revision, { state: failure === undefined ? 'deployed' : 'failed', message: failure === undefined ? summary : messageOf(failure) });
      return undefined;
    } catch (error) {
      const what = failure === undefined ? 'the apply succeeded but its revision' : 'the revision';
      return new RunFailure('cluster', `${what} ${revision} could not be marked ${failure === undefined ? 'deployed' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** Marks every revision still open as failed. */
  async settle(message: string): Promise<RunFailure | undefined> {
    let failure: RunFailure | undefined;
    for (const revision of [...this.#open]) failure ??= await this.finish(revision, new RunFailure('internal', message), '');
    return failure;
  }
}
