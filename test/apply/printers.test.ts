/** The two printers of the apply event stream, from a fixed stream: text against a golden file, JSON lines by parsing. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planApply, planWithoutHooks, renderPlanText, type ApplyEvent } from '../../src/index.js';
import { formatEventJsonl } from '../../plugin/output/events-jsonl.js';
import { eventsTextFormatter } from '../../plugin/output/events-text.js';
import { makeStyle } from '../../plugin/output/style.js';
import { fixturesDir, manifests } from './support/apply-sim.js';
import { golden } from '../support/golden.js';

const T = Date.UTC(2026, 0, 1);
const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const job = { group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name: 'migrate-x7k2p' };
const secretText = `apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { password: hunter2 }\n---\n`;
const plan = planApply({ desired: manifests(`${secretText}apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { replicas: 2 }\n`, 'shop') });

const stream: ApplyEvent[] = [
  { type: 'plan', at: T, plan, release: { name: 'shop', namespace: 'shop' }, dryRun: 'none' },
  { type: 'hook-started', at: T + 100, ref: job, phase: 'pre-apply', weight: 0 },
  { type: 'hook-finished', at: T + 2100, ref: job, phase: 'pre-apply', ok: true, message: 'completed', deleted: true },
  { type: 'wave-started', at: T + 2200, wave: 0, objects: 2 },
  { type: 'object-applied', at: T + 2300, ref: web, stage: 'wave', wave: 0, action: 'create' },
  { type: 'retry', at: T + 2350, request: 'apply Deployment shop/web', attempt: 1, delayMs: 250, reason: 'TooManyRequests' },
  { type: 'health-changed', at: T + 2400, ref: web, status: 'InProgress', reason: 'RolloutInProgress', message: '0 of 2 replicas updated', ready: { ready: 0, desired: 2 } },
  { type: 'health-changed', at: T + 2500, ref: web, status: 'InProgress', reason: 'RolloutInProgress', message: '1 of 2 replicas updated', ready: { ready: 1, desired: 2 } },
  { type: 'health-changed', at: T + 9000, ref: web, status: 'Failed', reason: 'CrashLoopBackOff', message: 'pod web-1 container web: CrashLoopBackOff' },
  { type: 'object-failed', at: T + 9100, ref: web, kind: 'health', reason: 'CrashLoopBackOff', message: 'pod web-1 container web: CrashLoopBackOff', events: ['Warning BackOff Pod/web-1: Back-off restarting failed container web'] },
  { type: 'wave-finished', at: T + 9100, wave: 0, ok: false, durationMs: 6900 },
  {
    type: 'done',
    at: T + 9500,
    status: 'failed',
    failure: { kind: 'health', message: 'Deployment shop/web: Failed CrashLoopBackOff: pod web-1 container web: CrashLoopBackOff', hint: 'inspect it with `kubectl describe deployment web -n shop`' },
    revision: 4,
    durationMs: 9500,
    counts: { applied: 1, unchanged: 0, pruned: 0, hooks: 1 },
  },
];

describe('apply event printers', () => {
  it('text: one aligned line per event, the plan as its stable text', () => {
    const format = eventsTextFormatter({ style: makeStyle(false) });
    const text = stream.map(format).join('');
    expect(text).toBe(golden(path.join(fixturesDir, 'events-text-expected.txt'), text));
    // The failure's reason is said once, on the failed line; one hook is "1 hook".
    expect(text.match(/pod web-1 container web: CrashLoopBackOff/g)).toHaveLength(1);
    expect(text).toContain('1 hook)');
  });

  it('text under --no-hooks: the plan shows and counts no hook', () => {
    const withHook = planApply({
      desired: manifests(
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: { kd.io/hook: pre-apply }\nspec: { template: { spec: { restartPolicy: Never, containers: [{ name: m, image: registry.example/migrate:1 }] } } }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n',
        'shop',
      ),
    });
    expect(renderPlanText(withHook)).toContain('Job shop/migrate');
    const text = renderPlanText(planWithoutHooks(withHook));
    expect(text).not.toContain('migrate');
    expect(text).toMatch(/^plan: 1 to create, /);
  });

  it('jsonl: one JSON object per event, ISO times, no object bodies', () => {
    const lines = stream.map(formatEventJsonl);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p['type'])).toEqual(stream.map((e) => e.type));
    expect(parsed[0]?.['at']).toBe('2026-01-01T00:00:00.000Z');
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines[0]).toContain('"action":"create"');
  });

  it('text: an internal failure shows its message and hint, and its stack only with --verbose', () => {
    const done: ApplyEvent = {
      type: 'done',
      at: T + 50,
      status: 'failed',
      failure: { kind: 'internal', message: 'RangeError: Invalid string length', hint: 'this is a bug in kd; re-run with --verbose for the stack trace and report it', detail: 'RangeError: Invalid string length\n    at JSON.stringify (<anonymous>)' },
      durationMs: 50,
      counts: { applied: 0, unchanged: 0, pruned: 0, hooks: 0 },
    };
    const plain = eventsTextFormatter({ style: makeStyle(false), startedAt: T })(done);
    expect(plain).toBe('+  0.1s done     failed after 50ms (0 applied, 0 unchanged): RangeError: Invalid string length\n+  0.1s hint     this is a bug in kd; re-run with --verbose for the stack trace and report it\n');
    const verbose = eventsTextFormatter({ style: makeStyle(false), startedAt: T, verbose: true })(done);
    expect(verbose).toContain('RangeError: Invalid string length\n    at JSON.stringify (<anonymous>)\n');
  });

  it('text: a rollback run says so in its plan line', () => {
    const format = eventsTextFormatter({ style: makeStyle(false), startedAt: T });
    expect(format({ type: 'plan', at: T, plan, release: { name: 'shop', namespace: 'shop' }, dryRun: 'none', operation: 'rollback' }).split('\n')[0]).toBe('+  0.0s plan     release shop/shop (rollback)');
  });
});
