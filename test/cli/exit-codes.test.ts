/**
 * Exit codes are decided in one place (plugin/exit-codes.ts) and keep the README's contract:
 * 0 success, 1 the answer is "no", 2 usage/input/environment error, 130 interrupted. The core
 * used to decide apply's code a second time (with a refused input as 2) while the CLI made it 1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitForApply, exitForFailure } from '../../plugin/exit-codes.js';
import type { DoneEvent, FailureKind } from '../../src/index.js';
import { runKd } from './run-kd.js';

const done = (status: DoneEvent['status'], kind?: FailureKind): DoneEvent =>
  ({ type: 'done', at: 0, status, ...(kind ? { failure: { kind, message: 'm' } } : {}) }) as DoneEvent;

describe('exit codes of apply, rollback and delete', () => {
  it('a "no" is 1, an input or cluster error 2, an interrupt 130', () => {
    const expected: Record<FailureKind, number> = {
      invalid: 1,
      conflict: 1,
      health: 1,
      timeout: 1,
      hook: 1,
      lock: 1,
      internal: 1,
      cluster: 2,
      refused: 2,
      interrupted: 130,
    };
    for (const [kind, code] of Object.entries(expected) as Array<[FailureKind, number]>) {
      expect([kind, exitForFailure(kind)]).toEqual([kind, code]);
      expect([kind, exitForApply(done(kind === 'interrupted' ? 'interrupted' : 'failed', kind))]).toEqual([kind, code]);
    }
    expect(exitForApply(done('succeeded'))).toBe(0);
    expect(exitForApply(undefined)).toBe(2);
  });

  it('apply --prune of an empty input is refused as an input error: exit 2, nothing applied', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kd-empty-input-'));
    const r = runKd(['apply', '--sim', '--prune', '--release', 'app', empty]);
    expect(r.stdout).toContain('--prune would delete every object of it; nothing was applied or deleted');
    expect(r.status).toBe(2);
  });
});
