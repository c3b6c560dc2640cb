/**
 * The generated bundle against real Kubernetes 1.35 documents: every difference in the
 * definitions both have (properties, types, formats, enums, required, $ref targets,
 * x-kubernetes extensions) and in the REST paths (methods, actions, kinds, parameters) must be named in
 * schemas/bundle-losses.json, and every entry there that names differences must still match one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle } from '../../scripts/gen-bundle.mjs';
import { referenceSchemas } from '../support/schemas.js';
import { compareDocuments, formatDifference, type Difference } from '../bundle/compare-openapi.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const reference = referenceSchemas();

type Glob = string | string[];
interface Loss {
  id: string;
  class: 'client-loss' | 'shape' | 'api-change-1.36' | 'reference-gap';
  what: string;
  why: string;
  match?: { doc?: Glob; subject?: Glob; at?: Glob; aspect?: Glob; expected?: Glob };
}

function loadDir(dir: string): Map<string, never> {
  const out = new Map<string, never>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.json') && f !== 'bundle.json') out.set(path.relative(dir, p).split(path.sep).join('/').slice(0, -5), JSON.parse(readFileSync(p, 'utf8')) as never);
    }
  };
  walk(path.join(dir, 'api'));
  walk(path.join(dir, 'apis'));
  return out;
}

function globMatches(glob: Glob | undefined, value: string): boolean {
  if (glob === undefined) return true;
  const globs = Array.isArray(glob) ? glob : [glob];
  return globs.some((g) => new RegExp(`^${g.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value));
}

function covers(loss: Loss, d: Difference): boolean {
  const m = loss.match;
  if (m === undefined) return false;
  return globMatches(m.doc, d.doc) && globMatches(m.subject, d.subject) && globMatches(m.at, d.at) && globMatches(m.aspect, d.aspect) && globMatches(m.expected, d.expected);
}

let outDir: string;
let differences: Difference[];
let losses: Loss[];

beforeAll(() => {
  outDir = path.join(mkdtempSync(path.join(tmpdir(), 'kd-bundle-')), 'kubernetes');
  generateBundle({ outDir, force: true });
  differences = compareDocuments(loadDir(reference), loadDir(outDir));
  losses = (JSON.parse(readFileSync(path.join(repo, 'schemas/bundle-losses.json'), 'utf8')) as { losses: Loss[] }).losses;
});

afterAll(() => {
  rmSync(path.dirname(outDir), { recursive: true, force: true });
});

describe('built-in bundle vs Kubernetes 1.35', () => {
  it('has every difference from the 1.35 documents named in the losses list', () => {
    const unexplained = differences.filter((d) => !losses.some((l) => covers(l, d))).map(formatDifference);
    expect(unexplained).toEqual([]);
  });

  it('has no losses entry that names differences which no longer occur', () => {
    const stale = losses.filter((l) => l.match !== undefined && !differences.some((d) => covers(l, d))).map((l) => l.id);
    expect(stale).toEqual([]);
  });

  it('compares a real amount of both sides (the comparison is not vacuous)', () => {
    const real = loadDir(reference);
    const bundle = loadDir(outDir);
    const shared = new Set<string>();
    const all = new Set<string>();
    for (const [gv, doc] of real) {
      const names = Object.keys((doc as { components: { schemas: Record<string, unknown> } }).components.schemas);
      for (const name of names) all.add(name);
      const mine = bundle.get(gv) as { components: { schemas: Record<string, unknown> } } | undefined;
      if (mine !== undefined) for (const name of names) if (name in mine.components.schemas) shared.add(name);
    }
    // 729 distinct definitions in 1.35; only those removed in 1.36 are missing.
    expect(all.size).toBeGreaterThan(700);
    expect(all.size - shared.size).toBeLessThan(10);
    expect(real.size - 1).toBeLessThanOrEqual(bundle.size);
  });

  it('classifies every loss and says why', () => {
    for (const l of losses) {
      expect(['client-loss', 'shape', 'api-change-1.36', 'reference-gap']).toContain(l.class);
      expect(l.what.length).toBeGreaterThan(10);
      expect(l.why.length).toBeGreaterThan(10);
    }
    expect(new Set(losses.map((l) => l.id)).size).toBe(losses.length);
  });
});
