/**
 * Exit codes are decided in one place (plugin/exit-codes.ts) and keep the README's contract:
 * 0 success, 1 the answer is "no", 2 usage/input/environment error, 130 interrupted. The core
 * used to decide apply's code a second time (with a refused input as 2) while the CLI made it 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
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

describe('the end of a run', () => {
  it('once the command has finished and nothing is left to run, ends through process.exit with the command\'s code and output', () => {
    // process.exit() skips Node's teardown of its environment (plugin/main.ts); a preload logs its calls.
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-exit-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preload = path.join(dir, 'exit-log.cjs');
    writeFileSync(preload, "const exit = process.exit; process.exit = function (...args) { require('node:fs').writeSync(2, `process.exit(${args.join()}) with exitCode ${process.exitCode}\\n`); return exit.apply(this, args); };\n");
    const good = path.join(dir, 'good.yaml');
    writeFileSync(good, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  greeting: hello\n');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\nbogus: 1\n');
    const ok = runKd(['validate', good], { nodeArgs: ['-r', preload] });
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, 'valid: 1 object in 1 file\n', 'process.exit() with exitCode 0\n']);
    const no = runKd(['validate', bad], { nodeArgs: ['-r', preload] });
    expect(no.status).toBe(1);
    expect(no.stdout).toContain('unknown field "bogus"');
    expect(no.stderr).toBe('process.exit() with exitCode 1\n');
    const missing = runKd(['validate', path.join(dir, 'missing.yaml')], { nodeArgs: ['-r', preload] });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*missing\.yaml.*\n(?:.*\n)*process\.exit\(\) with exitCode 2\n$/);
  });
});
