/**
 * A clock for tests that drive an in-process kd sim: the sim's controllers (`SimClock`) and the
 * executor (`ClusterClock`) share it, and its time moves only when the test lets it and nothing
 * is in flight.
 *
 * Timers due now fire whenever the system is idle. Time moves forward only while the test awaits
 * `run(promise)` (or `advance(ms)`), and then only to the next pending timer, and only after
 * `busy()` (wire-monitor.ts) has reported nothing in flight over a few `setImmediate` rounds: the
 * next answer, watch event or exec frame is always handled before the clock jumps. So a
 * `--timeout 2m` takes the real time the work needs, not two minutes, and a timeout that a test
 * asserts comes from the timer, never from a slow machine. Timers fire one at a time in due order
 * (ties in the order they were set), each followed by a wait for idle.
 */
import type { SimClock } from '../../../src/sim/controller-host.js';
import { clusterClockOn, type ClusterClock } from '../../../src/cluster/clock.js';

interface PendingTimer {
  due: number;
  seq: number;
  fn: () => void;
}

export interface VirtualClockOptions {
  /** Why the system is not idle, or undefined when it is. */
  busy: () => string | undefined;
  /** Simulated time at start; the real time by default (lease and release times look current). */
  startMs?: number;
}

/** Consecutive idle `setImmediate` rounds before a timer fires. */
const QUIET_ROUNDS = 3;
/**
 * While something is in flight: look again after each event-loop turn for a while (an answer
 * in process takes well under a millisecond), then every millisecond (real time only paces the
 * polling; it never decides anything).
 */
const BUSY_SPIN_ROUNDS = 50;
const BUSY_POLL_MS = 1;
/** A run busy this long (real ms) is reported with what keeps it busy. */
const STUCK_MS = 10_000;

export class VirtualClock implements SimClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, PendingTimer>();
  readonly #busy: () => string | undefined;
  #runs = 0;
  #driving = false;
  #disposed = false;

  constructor(options: VirtualClockOptions) {
    this.#busy = options.busy;
    this.#now = options.startMs ?? Date.now();
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const seq = this.#seq++;
    this.#timers.set(seq, { due: this.#now + Math.max(0, ms), seq, fn });
    this.#drive();
    return () => {
      this.#timers.delete(seq);
    };
  }

  /** The same time for the executor and the cluster client; `sleep` rejects with the signal's reason. */
  readonly cluster: ClusterClock = clusterClockOn(this);

  /** Awaits `work`, letting time move (to each next timer, when idle) until it settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    this.#runs++;
    this.#drive();
    try {
      return await work;
    } finally {
      this.#runs--;
    }
  }

  /** Lets `ms` of simulated time pass, firing what falls due on the way. */
  advance(ms: number): Promise<void> {
    return this.run(new Promise<void>((resolve) => this.setTimer(ms, resolve)));
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /** Fires nothing more. */
  dispose(): void {
    this.#disposed = true;
    this.#timers.clear();
  }

  #drive(): void {
    if (this.#driving || this.#disposed) return;
    this.#driving = true;
    void this.#loop();
  }

  async #loop(): Promise<void> {
    let quiet = 0;
    let busyRounds = 0;
    let busySince: number | undefined;
    let reported = false;
    for (;;) {
      const next = this.#next();
      if (this.#disposed || !next || (next.due > this.#now && this.#runs === 0)) {
        this.#driving = false;
        return;
      }
      const why = this.#busy();
      if (why !== undefined) {
        quiet = 0;
        busyRounds++;
        busySince ??= Date.now();
        if (!reported && Date.now() - busySince > STUCK_MS) {
          reported = true;
          console.warn(`virtual clock: busy for ${STUCK_MS / 1000}s: ${why}`);
        }
        await new Promise((resolve) => (busyRounds <= BUSY_SPIN_ROUNDS ? setImmediate(resolve) : setTimeout(resolve, BUSY_POLL_MS)));
        continue;
      }
      busyRounds = 0;
      busySince = undefined;
      reported = false;
      if (++quiet < QUIET_ROUNDS) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      quiet = 0;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.due);
      try {
        next.fn();
      } catch (e) {
        // As a real timer's exception would: uncaught, so the test fails with it.
        process.nextTick(() => {
          throw e;
        });
      }
    }
  }

  #next(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers.values()) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }
}
