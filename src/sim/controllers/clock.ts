/**
 * Simulated clocks. Controllers wait only through `SimClock.setTimer`, so the same code runs on
 * a `ManualClock` (tests advance time explicitly; timers fire in due order, ties in the order
 * they were set) and on a `ScaledClock` (real time multiplied by a speed, for `kubectl kd sim`).
 */
import type { SimClock } from '../controller-host.js';

interface PendingTimer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told to; deterministic for tests. */
export class ManualClock implements SimClock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const seq = this.seq++;
    this.timers.set(seq, { due: this.current + Math.max(0, ms), seq, fn });
    return () => {
      this.timers.delete(seq);
    };
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way (including
   * timers set by those timers) at its own due time.
   */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next.due > target) break;
      this.timers.delete(next.seq);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
  }

  /** Fires the timers due now (zero-delay work), without moving the clock. */
  flush(): void {
    this.advance(0);
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** When the next timer falls due, if any. */
  nextTimerAt(): number | undefined {
    return this.nextDue()?.due;
  }

  private nextDue(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

export interface ScaledClockOptions {
  /** Simulated milliseconds per real millisecond; 1 is real time, 10 runs ten times faster. */
  speed?: number;
  /** Simulated time at start; defaults to the real time. */
  startMs?: number;
  /** The real clock; injectable so the scaling itself can be tested. */
  realNow?: () => number;
}

interface ScaledTimer {
  due: number;
  fn: () => void;
  handle: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Real time multiplied by a speed. Changing the speed re-bases the clock so simulated time never
 * jumps, and reschedules pending timers for their remaining simulated time. Timers are unref'd:
 * the simulator's server, not its controllers, keeps the process alive.
 */
export class ScaledClock implements SimClock {
  private speed: number;
  private baseSim: number;
  private baseReal: number;
  private readonly realNow: () => number;
  private readonly timers = new Set<ScaledTimer>();

  constructor(options: ScaledClockOptions = {}) {
    this.realNow = options.realNow ?? (() => Date.now());
    this.speed = validSpeed(options.speed ?? 1);
    this.baseReal = this.realNow();
    this.baseSim = options.startMs ?? this.baseReal;
  }

  now(): number {
    return Math.floor(this.baseSim + (this.realNow() - this.baseReal) * this.speed);
  }

  getSpeed(): number {
    return this.speed;
  }

  setSpeed(speed: number): void {
    const now = this.now();
    this.baseSim = now;
    this.baseReal = this.realNow();
    this.speed = validSpeed(speed);
    for (const t of this.timers) this.arm(t);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: ScaledTimer = { due: this.now() + Math.max(0, ms), fn, handle: undefined };
    this.timers.add(timer);
    this.arm(timer);
    return () => {
      if (timer.handle !== undefined) clearTimeout(timer.handle);
      this.timers.delete(timer);
    };
  }

  /** Cancels every pending timer (on shutdown). */
  dispose(): void {
    for (const t of this.timers) if (t.handle !== undefined) clearTimeout(t.handle);
    this.timers.clear();
  }

  private arm(timer: ScaledTimer): void {
    if (timer.handle !== undefined) clearTimeout(timer.handle);
    const realDelay = Math.max(0, (timer.due - this.now()) / this.speed);
    timer.handle = setTimeout(() => {
      this.timers.delete(timer);
      timer.fn();
    }, realDelay);
    timer.handle.unref?.();
  }
}

function validSpeed(speed: number): number {
  return Number.isFinite(speed) && speed > 0 ? speed : 1;
}
