/**
 * `apply --watch --self-heal`: puts back what another manager changed in the cluster. When a
 * field kd applied is drifted (written by a manager other than kd) or an object of the release is
 * missing (deleted), the release is re-applied after a short delay, taking the fields back
 * (--force-conflicts: `kubectl scale` is an Update by another manager, a conflict otherwise), and
 * a line names who changed what. The apply records a revision only when it changed something
 * (an apply that finds everything as applied reuses the revision).
 *
 * Anchored on Argo CD's selfHeal (argocd-application-controller's --self-heal-backoff-timeout-
 * seconds 2, --self-heal-backoff-factor 3, --self-heal-backoff-cap-seconds 300): the delay grows
 * with each heal of the same field within the cooldown window. Unlike Argo CD, which keeps
 * retrying at the cap, a field changed back again `maxHeals` times in that window is another
 * controller fighting kd (an HorizontalPodAutoscaler over spec.replicas): healing stops for that
 * field and the screen says so, rather than flip it forever.
 *
 * The clock is injected (tests drive it by hand).
 */
import { displayRef, FIELD_MANAGER, objectKey } from '../../src/index.js';
import type { DriftEntry, LoopEvent } from './loop-events.js';

export interface HealClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SelfHealOptions {
  clock: HealClock;
  /** Re-applies the release with --force-conflicts; resolves true when the apply succeeded. */
  reapply: () => Promise<boolean>;
  emit: (event: LoopEvent) => void;
  formatClock: (wallMs: number) => string;
  /** First delay, ms (1000: the screen shows the change before it is undone). */
  delayMs?: number;
  factor?: number;
  capMs?: number;
  /** Heals of one field within `windowMs` after which healing it stops. */
  maxHeals?: number;
  windowMs?: number;
}

export const SELF_HEAL_DEFAULTS = { delayMs: 1000, factor: 3, capMs: 300_000, maxHeals: 3, windowMs: 300_000 } as const;

export class SelfHealer {
  readonly #o: Required<SelfHealOptions>;
  /** When each field (object key + path) was healed, within the window. */
  readonly #heals = new Map<string, number[]>();
  readonly #givenUp = new Set<string>();
  #pending: DriftEntry[] = [];
  #timer: unknown;
  #healing = false;
  #stopped = false;

  constructor(options: SelfHealOptions) {
    this.#o = { ...SELF_HEAL_DEFAULTS, ...options };
  }

  /** The follower's drift set, whenever it changes. */
  observe(entries: readonly DriftEntry[]): void {
    if (this.#stopped || this.#healing) return;
    const now = this.#o.clock.now();
    const candidates: DriftEntry[] = [];
    let attempts = 0;
    for (const e of entries) {
      if (!healable(e)) continue;
      const key = fieldKey(e);
      if (this.#givenUp.has(key)) continue;
      const recent = (this.#heals.get(key) ?? []).filter((t) => now - t < this.#o.windowMs);
      this.#heals.set(key, recent);
      if (recent.length >= this.#o.maxHeals) {
        this.#givenUp.add(key);
        const who = e.owner ? ` by ${e.owner.manager} (${e.owner.operation})` : '';
        this.#o.emit({
          type: 'healed',
          at: now,
          level: 'warning',
          message: `${displayRef(e.ref)}: ${e.path || 'the object'} changed back ${recent.length} times${who} since kd restored it: another controller is fighting kd over it; self-heal stopped for this field (take the field out of the files, or stop the other writer)`,
        });
        continue;
      }
      attempts = Math.max(attempts, recent.length);
      candidates.push(e);
    }
    this.#pending = candidates;
    if (candidates.length === 0) {
      this.#cancel();
      return;
    }
    if (this.#timer !== undefined) return;
    const delay = Math.min(this.#o.capMs, this.#o.delayMs * this.#o.factor ** attempts);
    this.#timer = this.#o.clock.setTimeout(() => void this.#heal(), delay);
  }

  /** Fields healing gave up on (for the screen and tests). */
  givenUp(): string[] {
    return [...this.#givenUp];
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #heal(): Promise<void> {
    this.#timer = undefined;
    const entries = this.#pending;
    this.#pending = [];
    if (this.#stopped || entries.length === 0) return;
    const at = this.#o.clock.now();
    for (const e of entries) this.#heals.get(fieldKey(e))?.push(at) ?? this.#heals.set(fieldKey(e), [at]);
    this.#healing = true;
    let ok = false;
    try {
      ok = await this.#o.reapply();
    } finally {
      this.#healing = false;
    }
    if (this.#stopped) return;
    const done = this.#o.clock.now();
    for (const e of entries) {
      this.#o.emit({ type: 'healed', at: done, level: ok ? 'ok' : 'warning', message: `${healLine(e, this.#o.formatClock)} · ${ok ? 'restored' : 'not restored: the apply failed (see above)'}` });
    }
  }
}

/**
 * `web: spec.replicas 3 → 6 by kubectl (Update) 00:12:03`: the object's name only, so the line
 * fits a terminal row (the drift line above it names the kind and namespace).
 */
export function healLine(e: DriftEntry, formatClock: (ms: number) => string): string {
  if (e.class === 'missing') return `${displayRef(e.ref)}: deleted in the cluster`;
  const owner = e.owner ? ` by ${e.owner.manager} (${e.owner.operation})${e.owner.time ? ` ${formatClock(Date.parse(e.owner.time))}` : ''}` : '';
  return `${e.ref.name}: ${e.path} ${e.desired ?? e.applied ?? '(absent)'} → ${e.live ?? '(absent)'}${owner}`;
}

function healable(e: DriftEntry): boolean {
  if (e.class === 'missing') return true;
  return e.class === 'drifted' && e.owner?.manager !== FIELD_MANAGER;
}

function fieldKey(e: DriftEntry): string {
  return `${objectKey(e.ref)}|${e.path}`;
}
