/**
 * How a custom health check shows: the text printer's lines (each state once; retries with
 * --verbose) and the watch screen's row, which stays in progress until the check passes.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/index.js';
import { eventsTextFormatter } from '../../plugin/output/events-text.js';
import { formatEventJsonl } from '../../plugin/output/events-jsonl.js';
import { checkJsonDocuments } from '../support/output-schemas.js';
import { makeStyle } from '../../plugin/output/style.js';
import { initialView, reduceView } from '../../plugin/ui/view-model.js';
import { applied, entry, plan, utcClock } from '../ui/support.js';

const T = Date.UTC(2026, 0, 1);
const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const check = 'GET /healthz (port 8080)';
const stream: ApplyEvent[] = [
  { type: 'health-changed', at: T + 1000, ref: web, status: 'Current', reason: 'Available', message: '2 of 2 replicas available', ready: { ready: 2, desired: 2 } },
  { type: 'health-check', at: T + 1100, ref: web, check, state: 'running', attempt: 1, message: 'checking Deployment shop/web' },
  { type: 'health-check', at: T + 1200, ref: web, check, state: 'retrying', attempt: 1, message: 'pod web-7c9f-abcde answered 503 (expected 2xx): warming up', delayMs: 500 },
  { type: 'health-check', at: T + 1800, ref: web, check, state: 'retrying', attempt: 2, message: 'pod web-7c9f-abcde answered 503 (expected 2xx): warming up', delayMs: 1000 },
  { type: 'health-check', at: T + 2900, ref: web, check, state: 'passed', attempt: 3, message: 'pod web-7c9f-abcde answered 200, pod web-7c9f-fghij answered 200' },
];

describe('health check output', () => {
  it('text: running, the first retry, passed', () => {
    const format = eventsTextFormatter({ style: makeStyle(false), startedAt: T });
    expect(stream.map(format).join('')).toBe(
      [
        '+  1.0s health   Deployment shop/web Current 2/2: 2 of 2 replicas available',
        '+  1.1s health   Deployment shop/web check GET /healthz (port 8080) running: checking Deployment shop/web',
        '+  1.2s health   Deployment shop/web check GET /healthz (port 8080) retrying: pod web-7c9f-abcde answered 503 (expected 2xx): warming up, again in 500ms',
        '+  2.9s health   Deployment shop/web check GET /healthz (port 8080) passed: pod web-7c9f-abcde answered 200, pod web-7c9f-fghij answered 200',
        '',
      ].join('\n'),
    );
    const verbose = eventsTextFormatter({ style: makeStyle(false), startedAt: T, verbose: true });
    expect(stream.map(verbose).join('').match(/retrying/g)).toHaveLength(2);
  });

  it('jsonl: health-check events match schemas/apply-event.schema.json', () => {
    const docs = stream.map((e) => JSON.parse(formatEventJsonl(e)) as Record<string, unknown>);
    expect(checkJsonDocuments(docs)).toBe(stream.length);
    expect(docs[2]).toMatchObject({ kind: 'ApplyEvent', type: 'health-check', check, state: 'retrying', attempt: 1, delayMs: 500, object: { kind: 'Deployment', name: 'web' } });
  });

  it('watch screen: the row is in progress while the check runs and healthy once it passes', () => {
    let view = initialView({ context: 'c', namespace: 'shop', release: 'shop' });
    const events = applied([{ type: 'plan', at: T, plan: plan({ waves: [[0, [entry('Deployment', 'web')]]] }), dryRun: 'none' }, ...stream]);
    const rows: string[] = [];
    for (const e of events) {
      view = reduceView(view, e, { formatClock: utcClock });
      const row = view.groups[0]?.rows[0];
      if (row) rows.push(`${row.phase} ${row.health?.state ?? '-'} ${row.health?.message ?? ''}`);
    }
    expect(rows.slice(1)).toEqual([
      'healthy Current 2 of 2 replicas available',
      'progressing InProgress check GET /healthz (port 8080)',
      'progressing InProgress check GET /healthz (port 8080) retrying: pod web-7c9f-abcde answered 503 (expected 2xx): warming up',
      'progressing InProgress check GET /healthz (port 8080) retrying: pod web-7c9f-abcde answered 503 (expected 2xx): warming up',
      'healthy Current check GET /healthz (port 8080) passed: pod web-7c9f-abcde answered 200, pod web-7c9f-fghij answered 200',
    ]);
  });
});
