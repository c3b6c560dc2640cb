/** Builds watch screens from event sequences, and compares frames with golden files. */
import path from 'node:path';
import { expect, vi } from 'vitest';
import type { ApplyEvent, Plan, PlanEntry } from '../../src/index.js';
import { objectKey } from '../../src/index.js';
import { initialView, reduceView, type ObjectRow, type WatchView } from '../../plugin/ui/view-model.js';
import type { WatchActions } from '../../plugin/ui/watch-app.js';
import type { LoopEvent } from '../../plugin/watch/loop-events.js';
import { golden } from '../support/golden.js';

export const fixtures = path.resolve(import.meta.dirname, '../fixtures/ui');

/** Wall clock as UTC `HH:MM:SS`, so frames do not depend on the machine's time zone. */
export const utcClock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export const WALL = Date.UTC(2026, 0, 15, 9, 30, 0);

/** Watch actions that record what the keys asked for, in order. */
export function recordingActions(): { calls: string[]; actions: WatchActions } {
  const calls: string[] = [];
  const actions: WatchActions = {
    quit: () => calls.push('quit'),
    applyNow: () => calls.push('apply'),
    applyWithForce: () => calls.push('apply --force-conflicts'),
    togglePause: () => calls.push('pause'),
    diff: (row: ObjectRow) => calls.push(`diff ${row.label}`),
    events: (row: ObjectRow) => calls.push(`events ${row.label}`),
  };
  return { calls, actions };
}

/** Ink reads keys asynchronously: a test waits for a key's visible effect, never a fixed time. */
export const until = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 2000, interval: 5 });

export function viewOf(events: LoopEvent[]): WatchView {
  return events.reduce((v, e) => reduceView(v, e, { formatClock: utcClock }), initialView({ context: 'kind-dev', namespace: 'shop', release: 'shop' }));
}

export function entry(kind: string, name: string, options: { group?: string; namespace?: string; action?: PlanEntry['action']; wave?: number; hook?: boolean; generateName?: string } = {}): PlanEntry {
  const ref = { group: options.group ?? (kind === 'Deployment' ? 'apps' : kind === 'Job' ? 'batch' : ''), version: 'v1', kind, name, ...(options.namespace === undefined ? { namespace: 'shop' } : options.namespace === '' ? {} : { namespace: options.namespace }), ...(options.generateName ? { generateName: options.generateName } : {}) };
  return {
    key: objectKey(ref),
    ref,
    action: options.action ?? 'create',
    object: {},
    wave: options.wave ?? 0,
    ...(options.hook ? { hook: { phase: 'pre-apply' as const, weight: 0, deletePolicies: [], failurePolicy: 'fail' as const, source: 'kd.io/hook' } } : {}),
  };
}

export function plan(parts: { preApply?: PlanEntry[]; waves: Array<[number, PlanEntry[]]> }): Plan {
  return {
    operation: 'install',
    preApply: parts.preApply ?? [],
    waves: parts.waves.map(([wave, entries]) => ({ wave, entries })),
    prune: [],
    postApply: [],
    applyFailed: [],
    notes: [],
    diagnostics: [],
    summary: { create: 0, update: 0, unchanged: 0, prune: 0 },
  };
}

/** Wraps executor events as the loop emits them, one wall-clock second apart from WALL. */
export function applied(events: ApplyEvent[], wallStart = WALL): LoopEvent[] {
  return events.map((event, i) => ({ type: 'apply', at: wallStart + i * 1000, event }));
}

/** Strips ANSI escapes and trailing spaces per line. */
export function plain(frame: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (frame ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n').map((l) => l.trimEnd()).join('\n');
}

/** Compares with `test/fixtures/ui/<name>.txt` (test/support/golden.ts: KD_UPDATE_GOLDENS=1 rewrites it). */
export function expectGolden(name: string, frame: string): void {
  expect(`${frame}\n`).toBe(golden(path.join(fixtures, `${name}.txt`), `${frame}\n`));
}
