/**
 * Enumerated fields in the built-in bundle: the generator puts back the `enum`s the client drops,
 * every fact of its table lands on a string property, and `kubectl kd validate` rejects the
 * misspelled values the API server rejects (`type: Loadbalancer`) while taking every value it
 * accepts, the empty `hostPath.type` and feature-gated toleration operators included.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle } from '../../scripts/gen-bundle.mjs';
import type { SchemaObject } from '../../src/schema/types.js';
import { repoRoot, runKd } from '../cli/run-kd.js';

const fixtures = 'test/fixtures/bundle';

let scratch: string;
let outDir: string;
let core: { components: { schemas: Record<string, SchemaObject> } };
let apps: { components: { schemas: Record<string, SchemaObject> } };

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kd-bundle-enums-'));
  outDir = path.join(scratch, 'kubernetes');
  generateBundle({ outDir, force: true });
  core = JSON.parse(readFileSync(path.join(outDir, 'api/v1.json'), 'utf8')) as typeof core;
  apps = JSON.parse(readFileSync(path.join(outDir, 'apis/apps/v1.json'), 'utf8')) as typeof apps;
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function prop(doc: typeof core, schema: string, name: string): SchemaObject {
  const p = doc.components.schemas[schema]?.properties?.[name];
  if (p === undefined) throw new Error(`no ${schema}.${name}`);
  return p;
}

describe('enums in the generated bundle', () => {
  it('applies every fact of the enum table to a string property', () => {
    const meta = JSON.parse(readFileSync(path.join(outDir, 'bundle.json'), 'utf8')) as { unmatchedEnums: string[] };
    expect(meta.unmatchedEnums).toEqual([]);
  });

  it('puts the server values on scalar fields, list items and fields of shared core types', () => {
    expect(prop(core, 'io.k8s.api.core.v1.ServiceSpec', 'type').enum).toEqual(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
    expect(prop(core, 'io.k8s.api.core.v1.ServiceSpec', 'ipFamilies').items?.enum).toEqual(['', 'IPv4', 'IPv6']);
    expect(prop(core, 'io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'accessModes').items?.enum).toEqual(['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']);
    // Container is a core type; the apps document carries its own copy, enums included.
    expect(prop(apps, 'io.k8s.api.core.v1.Container', 'imagePullPolicy').enum).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(prop(apps, 'io.k8s.api.apps.v1.DeploymentStrategy', 'type').enum).toEqual(['Recreate', 'RollingUpdate']);
  });

  it('keeps the description next to the enum and leaves open fields alone', () => {
    const type = prop(core, 'io.k8s.api.core.v1.ServiceSpec', 'type');
    expect(type.type).toBe('string');
    expect(typeof type.description).toBe('string');
    expect(prop(core, 'io.k8s.api.core.v1.Secret', 'type').enum).toBeUndefined();
    expect(prop(core, 'io.k8s.api.core.v1.EmptyDirVolumeSource', 'medium').enum).toBeUndefined();
  });

  it('writes every enum sorted and without duplicates, as the server does', () => {
    const seen: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) for (const x of v) walk(x);
      else if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (Array.isArray(o.enum) && o.type === 'string') {
          const values = o.enum as string[];
          seen.push(values.join(','));
          expect(values).toEqual([...new Set(values)].sort());
        }
        for (const x of Object.values(o)) walk(x);
      }
    };
    walk(core.components.schemas);
    expect(seen.length).toBeGreaterThan(40);
  });
});

describe('kubectl kd validate with the built-in bundle', () => {
  const cases = [
    { file: 'service-type-misspelled', status: 1 },
    { file: 'pod-enum-typos', status: 1 },
    { file: 'enum-values-valid', status: 0 },
  ];
  for (const c of cases) {
    it(`${c.file}.yaml exits ${c.status} with the expected report`, () => {
      const r = runKd(['validate', `${fixtures}/${c.file}.yaml`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(readFileSync(path.join(repoRoot, fixtures, `${c.file}.expected`), 'utf8'));
      expect(r.status).toBe(c.status);
    });
  }

  it('reports a misspelled Service type as schema/enum with the right spelling as the hint', () => {
    const r = runKd(['validate', '-o', 'json', `${fixtures}/service-type-misspelled.yaml`]);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { valid: boolean; diagnostics: Array<{ rule: string; path: string; suggestions?: string[] }> };
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => [d.rule, d.path, d.suggestions])).toEqual([
      ['schema/enum', '/spec/type', ['LoadBalancer']],
      ['schema/enum', '/spec/ports/0/protocol', ['TCP']],
    ]);
  });
});
