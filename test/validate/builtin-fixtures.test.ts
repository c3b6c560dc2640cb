/**
 * Fixture tests of the API server's built-in validation: each `test/fixtures/builtin/<rule>-<outcome>.yaml`
 * (outcome `valid` or `invalid`, rule the id after `builtin/`) is checked and its diagnostics, one
 * line each `line:col severity rule message`, must equal `<name>.expected` exactly (empty for valid
 * ones). Every catalogued `builtin/` rule has both fixtures, and an invalid fixture reports only its rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDiagnostics, type Diagnostic } from '../../src/model/index.js';
import { allRules, checkBuiltin } from '../../src/validate/index.js';
import { loadManifests } from '../schema/manifests.js';

const dir = path.resolve(import.meta.dirname, '../fixtures/builtin');
const names = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function render(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.rule} ${d.message}\n`).join('');
}

function run(name: string) {
  const text = readFileSync(path.join(dir, name), 'utf8');
  return loadManifests(name, text).flatMap((m) => checkBuiltin(m)).sort(compareDiagnostics);
}

describe('built-in validation fixtures', () => {
  it('has a valid and an invalid fixture for every builtin rule', () => {
    const rules = allRules().filter((r) => r.id.startsWith('builtin/')).map((r) => r.id.slice('builtin/'.length));
    expect(rules.length).toBeGreaterThan(15);
    const missing = rules.flatMap((r) => [`${r}-valid.yaml`, `${r}-invalid.yaml`]).filter((f) => !names.includes(f));
    expect(missing).toEqual([]);
  });
  for (const name of names) {
    it(name.replace(/\.yaml$/, ''), () => {
      const diagnostics = run(name);
      const expected = readFileSync(path.join(dir, name.replace(/\.yaml$/, '.expected')), 'utf8');
      expect(render(diagnostics)).toBe(expected);
      const rule = `builtin/${name.replace(/-(valid|invalid)\.yaml$/, '')}`;
      if (name.endsWith('-invalid.yaml')) {
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(diagnostics.filter((d) => d.rule !== rule).map((d) => d.message)).toEqual([]);
      }
    });
  }
});
