/** Debounce and coalescing of file events on a fake timer, and which paths are ignored. */
import { describe, expect, test } from 'vitest';
import { ChangeCollector, isEditorArtifact, isIgnoredPath, type ChangeBatch } from '../../plugin/watch/change-batch.js';

class FakeTimers {
  now = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  #id = 0;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(++this.#id, { at: this.now + ms, fn });
    return this.#id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    this.now += ms;
    for (const [id, t] of [...this.timers]) if (t.at <= this.now) (this.timers.delete(id), t.fn());
  }
}

describe('change collector', () => {
  test('changes closer than the debounce join one batch, handed over once quiet', () => {
    const timers = new FakeTimers();
    const batches: ChangeBatch[] = [];
    const c = new ChangeCollector({ onBatch: (b) => batches.push(b), debounceMs: 100, timers });
    c.note('/a.yaml', 'changed');
    timers.advance(60);
    c.note('/b.yaml', 'changed');
    timers.advance(60);
    c.note('/a.yaml', 'changed');
    timers.advance(99);
    expect(batches).toEqual([]);
    timers.advance(1);
    expect(batches).toEqual([{ changed: ['/a.yaml', '/b.yaml'], removed: [] }]);
    expect(timers.timers.size).toBe(0);
  });

  test('per path the net effect wins: written then removed is removed, removed then restored is changed', () => {
    const timers = new FakeTimers();
    const batches: ChangeBatch[] = [];
    const c = new ChangeCollector({ onBatch: (b) => batches.push(b), timers });
    c.note('/gone.yaml', 'changed');
    c.note('/gone.yaml', 'removed');
    c.note('/back.yaml', 'removed');
    c.note('/back.yaml', 'changed');
    timers.advance(100);
    expect(batches).toEqual([{ changed: ['/back.yaml'], removed: ['/gone.yaml'] }]);
  });
});

describe('ignored paths', () => {
  test.each([
    ['.web.yaml.swp', true],
    ['web.yaml~', true],
    ['4913', true],
    ['.#web.yaml', true],
    ['#web.yaml#', true],
    ['web.yaml.tmp', true],
    ['web.yaml___jb_tmp___', true],
    ['web.yaml', false],
  ])('%s is an editor artifact: %s', (name, expected) => {
    expect(isEditorArtifact(`/x/${name}`)).toBe(expected);
  });

  test.each([
    ['.git/HEAD', undefined, true],
    ['node_modules/x/a.yaml', true, true],
    ['app/README.md', true, true],
    ['app/web.yaml', true, false],
    ['app/kustomization.yaml', true, false],
    ['app', false, false],
  ])('%s (file: %s) ignored: %s', (p, isFile, expected) => {
    expect(isIgnoredPath(p, isFile)).toBe(expected);
  });
});
