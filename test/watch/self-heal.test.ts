/**
 * --self-heal on a manual clock (plugin/watch/self-heal.ts): a field another manager changed is
 * restored after the delay, with a line naming who changed what; a change undone before the
 * delay is left alone; kd's own writes are not healed; a field flipped back again and again (an
 * autoscaler fighting kd) backs off (1 s, 3 s, 9 s) and then stops with a message.
 */
import { describe, expect, it } from 'vitest';
import type { DriftEntry, LoopEvent } from '../../plugin/watch/loop-events.js';
import { SelfHealer, type HealClock } from '../../plugin/watch/self-heal.js';

class ManualClock implements HealClock {
  t = Date.UTC(2026, 11, 5, 0, 12, 3);
  timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #id = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.#id;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  /** Moves time on, firing the timers that fall due in order. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.t = until;
  }
}

const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const scaled = (live: string, manager = 'kubectl', time = '2026-12-05T00:12:03Z'): DriftEntry => ({ ref: web, class: 'drifted', path: 'spec.replicas', desired: '3', applied: '3', live, owner: { manager, operation: 'Update', time } });

function setup() {
  const clock = new ManualClock();
  const events: LoopEvent[] = [];
  const applies: number[] = [];
  const healer = new SelfHealer({
    clock,
    emit: (e) => events.push(e),
    formatClock: (ms) => new Date(ms).toISOString().slice(11, 19),
    reapply: async () => {
      applies.push(clock.now());
      return true;
    },
  });
  const lines = () => events.filter((e): e is Extract<LoopEvent, { type: 'healed' }> => e.type === 'healed').map((e) => e.message);
  return { clock, healer, applies, lines };
}

describe('self-heal', () => {
  it('restores a field another manager changed after the delay, naming who changed what', async () => {
    const { clock, healer, applies, lines } = setup();
    healer.observe([scaled('6')]);
    await clock.advance(999);
    expect(applies).toEqual([]);
    await clock.advance(1);
    expect(applies).toHaveLength(1);
    expect(lines()).toEqual(['web: spec.replicas 3 → 6 by kubectl (Update) 00:12:03 · restored']);
  });

  it('a deleted object is re-created', async () => {
    const { clock, healer, applies, lines } = setup();
    healer.observe([{ ref: web, class: 'missing', path: '' }]);
    await clock.advance(1000);
    expect(applies).toHaveLength(1);
    expect(lines()).toEqual(['Deployment shop/web: deleted in the cluster · restored']);
  });

  it('leaves alone a change undone before the delay, pending files, and what kd itself wrote', async () => {
    const { clock, healer, applies } = setup();
    healer.observe([scaled('6')]);
    await clock.advance(500);
    healer.observe([]);
    await clock.advance(5000);
    healer.observe([{ ...scaled('3'), class: 'pending', desired: '4', live: '3' }, scaled('6', 'kubectl-kd')]);
    await clock.advance(5000);
    expect(applies).toEqual([]);
  });

  it('backs off when the same field flips back again (1 s, 3 s, 9 s), then stops and says so', async () => {
    const { clock, healer, applies, lines } = setup();
    const start = clock.now();
    for (let i = 0; i < 3; i++) {
      healer.observe([scaled('6', 'horizontal-pod-autoscaler')]);
      await clock.advance(60_000);
      healer.observe([]);
    }
    expect(applies.map((t) => t - start)).toEqual([1000, 60_000 + 3000, 120_000 + 9000]);
    healer.observe([scaled('6', 'horizontal-pod-autoscaler')]);
    await clock.advance(600_000);
    expect(applies).toHaveLength(3);
    expect(lines().at(-1)).toMatch(/^Deployment shop\/web: spec\.replicas changed back 3 times by horizontal-pod-autoscaler \(Update\) since kd restored it: another controller is fighting kd over it; self-heal stopped/);
    expect(healer.givenUp()).toHaveLength(1);
  });

  it('a field healed long ago starts again at the first delay', async () => {
    const { clock, healer, applies } = setup();
    healer.observe([scaled('6')]);
    await clock.advance(1000);
    healer.observe([]);
    await clock.advance(301_000);
    const again = clock.now();
    healer.observe([scaled('7')]);
    await clock.advance(1000);
    expect(applies.at(-1)! - again).toBe(1000);
  });
});
