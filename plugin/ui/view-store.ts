/**
 * Holds the watch screen's `WatchView` for the Ink app: loop events are folded in with
 * `reduceView`, key actions change the selection and overlays, and subscribers (the app, through
 * useSyncExternalStore) are told. A timer advances the spinner and elapsed times only while
 * something runs (starting, validating, applying, stopping); when the watch is idle there is no
 * timer, so an idle watch uses no CPU.
 */
import type { LoopEvent } from '../watch/loop-events.js';
import { reduceView, type ViewEnv, type WatchView } from './view-model.js';

const TICK_MS = 100;

export interface ViewStoreOptions {
  env: ViewEnv;
  /** The executor's clock (elapsed times are on it). */
  clock: () => number;
}

export class ViewStore {
  #view: WatchView;
  readonly #o: ViewStoreOptions;
  readonly #listeners = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;

  constructor(initial: WatchView, options: ViewStoreOptions) {
    this.#view = initial;
    this.#o = options;
    this.#syncTimer();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): WatchView => this.#view;

  dispatch(event: LoopEvent): void {
    this.#set(reduceView(this.#view, event, this.#o.env));
  }

  update(change: (view: WatchView) => WatchView): void {
    this.#set(change(this.#view));
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  #set(view: WatchView): void {
    if (view === this.#view) return;
    this.#view = view;
    this.#syncTimer();
    for (const l of this.#listeners) l();
  }

  #syncTimer(): void {
    const busy = this.#view.state !== 'watching' && this.#view.state !== 'invalid';
    if (busy && !this.#timer) {
      this.#timer = setInterval(() => {
        this.#set({ ...this.#view, spinner: this.#view.spinner + 1, now: Math.max(this.#view.now, this.#o.clock()) });
      }, TICK_MS);
    } else if (!busy && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
