/**
 * The validation pipeline keeps a CRD's errors with the CRD: an invalid CRD is read (and
 * reported) once even when it is both under --crd and among the inputs, its objects get one
 * "schema unavailable" line, and every other object is judged on its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src/schema/index.js';
import { validateManifests } from '../../src/validate/index.js';
import { loadManifests } from '../schema/manifests.js';
import { source } from '../schema/run-fixture.js';

const dir = path.resolve(import.meta.dirname, '../fixtures/cli/crd-containment');
const crdFile = 'widget-crd-invalid.yaml';
const crd = loadManifests(crdFile, readFileSync(path.join(dir, crdFile), 'utf8'));
const app = loadManifests('app.yaml', readFileSync(path.join(dir, 'app.yaml'), 'utf8'));

const summary = (ds: { file: string; rule: string; object?: { kind: string } }[]) => ds.map((d) => `${d.file} ${d.object?.kind} ${d.rule}`).sort();

const noPlural = loadManifests(
  'gizmo-crd.yaml',
  'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gizmos.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Gizmo\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n',
);
const gizmo = loadManifests('gizmo.yaml', 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n  namespace: default\n');

describe('an invalid CRD', () => {
  it('says an absent required field once: by the CRD schema for an input, by the CRD checks (a warning) under --crd', async () => {
    const asInput = await validateManifests([...noPlural, ...gizmo], new SchemaRegistry([source]), { strict: true });
    expect(asInput.diagnostics.map((d) => `${d.file} ${d.severity} ${d.rule} ${d.message}`).sort()).toEqual([
      'gizmo-crd.yaml error schema/required missing required field "spec.names.plural"',
      'gizmo.yaml error crd/schema-unavailable schema unavailable: CRD invalid: CustomResourceDefinition "gizmos.example.com" has errors (reported at the CRD), so Gizmo objects cannot be validated',
    ]);
    const lent = await validateManifests(gizmo, new SchemaRegistry([source]), { strict: true, crdManifests: noPlural });
    expect(lent.diagnostics.map((d) => `${d.file} ${d.severity} ${d.rule} ${d.message}`).sort()).toEqual([
      'gizmo-crd.yaml warning crd/invalid spec.names.plural: Required value',
      'gizmo.yaml error crd/schema-unavailable schema unavailable: CRD invalid: CustomResourceDefinition "gizmos.example.com" has errors (reported at the CRD), so Gizmo objects cannot be validated',
    ]);
  });

  it('is reported once at its file, even given both with --crd and among the inputs', async () => {
    const result = await validateManifests([...crd, ...app], new SchemaRegistry([source]), { strict: true, crdManifests: crd });
    expect(summary(result.diagnostics)).toEqual([
      'app.yaml Widget crd/schema-unavailable',
      `${crdFile} CustomResourceDefinition crd/structural`,
      `${crdFile} CustomResourceDefinition crd/structural`,
      `${crdFile} CustomResourceDefinition crd/structural`,
    ]);
  });

  it('leaves objects of other kinds to be judged on their own', async () => {
    const result = await validateManifests(app, new SchemaRegistry([source]), { strict: true, crdManifests: crd });
    expect(result.diagnostics.filter((d) => d.file === 'app.yaml').map((d) => `${d.object?.kind} ${d.rule}`)).toEqual(['Widget crd/schema-unavailable']);
  });
});
