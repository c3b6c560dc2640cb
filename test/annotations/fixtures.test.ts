/**
 * Fixture tests: each `test/fixtures/annotations/<outcome>.yaml` is checked with both the
 * annotation checks and the metadata rules, and the diagnostics, one per line as
 * `line:col severity rule message`, must equal `<outcome>.expected` exactly (an empty file when
 * the outcome is "valid").
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnnotations } from '../../src/annotations/index.js';
import { checkMetadata } from '../../src/validate/metadata.js';
import { compareDiagnostics, isKnownRule, type Diagnostic, type Manifest } from '../../src/index.js';
import { manifestsFromYaml } from './manifest-helper.js';
import { golden } from '../support/golden.js';

const dir = path.resolve(import.meta.dirname, '../fixtures/annotations');

/** Scope of the kinds the fixtures use, as the schema registry would tell; other kinds are unknown. */
const clusterScoped = new Set(['/Namespace', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService', 'storage.k8s.io/StorageClass']);
const namespacedKinds = new Set(['/ConfigMap', '/Service', '/Secret', '/Pod', 'apps/Deployment', 'apps/StatefulSet', 'batch/Job', 'batch/CronJob', 'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding']);

function namespacedOf(m: Manifest): boolean | undefined {
  const key = `${m.ref.group}/${m.ref.kind}`;
  if (clusterScoped.has(key)) return false;
  if (namespacedKinds.has(key)) return true;
  return undefined;
}

export function render(diagnostics: Diagnostic[]): string {
  return [...diagnostics]
    .sort(compareDiagnostics)
    .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.rule} ${d.message}`)
    .join('\n');
}

function check(file: string): Diagnostic[] {
  const text = readFileSync(path.join(dir, file), 'utf8');
  return manifestsFromYaml(text, file).flatMap((m) => [...checkAnnotations(m), ...checkMetadata(m, { namespaced: namespacedOf(m) })]);
}

const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('annotation and metadata fixtures', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });

  for (const file of fixtures) {
    it(file.replace(/\.yaml$/, ''), () => {
      const actual = render(check(file));
      const expectedFile = path.join(dir, file.replace(/\.yaml$/, '.expected'));
      const expected = golden(expectedFile, actual === '' ? '' : actual + '\n').replace(/\n$/, '');
      expect(actual).toBe(expected);
    });
  }

  it('emits only catalogued rules, and every rule of this area has a fixture', () => {
    const all = fixtures.flatMap(check);
    for (const d of all) expect(isKnownRule(d.rule), d.rule).toBe(true);
    const seen = new Set(all.map((d) => d.rule));
    for (const rule of [
      'annotation/invalid-value',
      'annotation/unknown-key',
      'annotation/conflict',
      'metadata/name',
      'metadata/namespace',
      'metadata/label-key',
      'metadata/label-value',
      'metadata/annotation-key',
    ]) {
      expect(seen.has(rule), rule).toBe(true);
    }
  });
});
