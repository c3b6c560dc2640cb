/**
 * Every rule id that the core can emit is in the rule catalogue (so SARIF describes it) and in
 * the README's rule table (so users can look it up). Ids are found in the sources as literals.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, isKnownRule } from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AREAS = ['yaml', 'input', 'manifest', 'schema', 'crd', 'metadata', 'builtin', 'annotation'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('rule catalogue', () => {
  const emitted = new Set<string>();
  const literal = new RegExp(`'((?:${AREAS.join('|')})/[a-z0-9-]+)'`, 'g');
  for (const file of sourceFiles(path.join(root, 'src'))) {
    if (file.endsWith(path.join('validate', 'rules.ts'))) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(literal)) emitted.add(m[1]!);
  }

  it('finds the rule ids used in the sources', () => {
    expect(emitted.size).toBeGreaterThan(20);
  });

  it('knows every rule id the sources emit', () => {
    expect([...emitted].filter((id) => !isKnownRule(id))).toEqual([]);
  });

  it('lists every catalogued rule in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(allRules().filter((r) => !readme.includes(`| \`${r.id}\` |`)).map((r) => r.id)).toEqual([]);
  });
});
