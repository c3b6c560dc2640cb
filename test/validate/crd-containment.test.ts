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

describe('an invalid CRD', () => {
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
