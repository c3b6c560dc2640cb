/**
 * Health fixtures named by outcome: `test/fixtures/health/<case>.yaml` holds the object first and
 * then the pods and events the caller would have matched to it; `<case>.expected` holds the one
 * line `status reason[ [fail-fast]]: message` that computeHealth must give at 2025-06-01T12:00:00Z.
 * Cases named `hook-*` are judged as hooks (completion required).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { computeHealth, formatHealth } from '../../src/health/index.js';
import type { KubeObject } from '../../src/model/index.js';

const dir = path.resolve(import.meta.dirname, '../fixtures/health');
const NOW = Date.parse('2025-06-01T12:00:00Z');

const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

describe('health fixtures', () => {
  it('has at least 40 cases, each with its expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const name of cases) expect(readdirSync(dir)).toContain(`${name}.expected`);
  });

  it.each(cases)('%s', (name) => {
    const docs = parseAllDocuments(readFileSync(path.join(dir, `${name}.yaml`), 'utf8')).map((d) => d.toJS() as KubeObject);
    const [object, ...rest] = docs;
    const pods = rest.filter((o) => o.kind === 'Pod');
    const events = rest.filter((o) => o.kind === 'Event');
    const health = computeHealth(object, { now: NOW, pods, events, completion: name.startsWith('hook-') });
    const expected = readFileSync(path.join(dir, `${name}.expected`), 'utf8').trimEnd();
    expect(formatHealth(health)).toBe(expected);
  });
});
