/**
 * Fixture tests: each `test/fixtures/schema/<outcome>.yaml` is validated against the real
 * Kubernetes 1.35 documents (plus the CRDs it contains) and the diagnostics, one line each
 * `line:col severity rule message`, must equal `<outcome>.expected` exactly. A fixture whose
 * name contains `lenient` runs with strict off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, render, runFixture } from './run-fixture.js';

const names = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).sort();

describe('schema fixtures', () => {
  it('has fixtures', () => expect(names.length).toBeGreaterThan(10));
  for (const name of names) {
    it(name.replace(/\.yaml$/, ''), async () => {
      const text = readFileSync(path.join(fixtures, name), 'utf8');
      const expected = readFileSync(path.join(fixtures, name.replace(/\.yaml$/, '.expected')), 'utf8');
      const actual = render(await runFixture(name, text, !name.includes('lenient')));
      expect(actual).toBe(expected);
    });
  }
});
