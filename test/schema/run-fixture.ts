/**
 * Runs one schema fixture: CRDs in the file are read (and checked) first, then every object is
 * validated against the built-in bundle's Kubernetes documents plus those CRDs, then duplicates are checked.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { compareDiagnostics, type Diagnostic } from '../../src/model/index.js';
import { checkDuplicates, isCrdObject, loadCelEngine, readCrd, SchemaRegistry, validateManifest, type CustomResourceDefinitionInfo } from '../../src/schema/index.js';
import { loadManifests } from './manifests.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixtures = path.join(here, '../fixtures/schema');
export const openapiDir = BUILT_IN_SCHEMAS;
export const source = new SchemaDirSource(openapiDir);

export async function runFixture(file: string, text: string, strict = true): Promise<Diagnostic[]> {
  const manifests = loadManifests(file, text);
  // As the validation pipeline: CRD rules are compiled (and objects' rules checked) with the engine loaded.
  await loadCelEngine();
  const diagnostics: Diagnostic[] = [];
  const crds: CustomResourceDefinitionInfo[] = [];
  for (const m of manifests) {
    if (!isCrdObject(m.object)) continue;
    const r = readCrd(m, { schemaValidated: true });
    diagnostics.push(...r.diagnostics);
    if (r.definition) crds.push(r.definition);
  }
  const registry = new SchemaRegistry([source], { customResources: crds });
  await registry.prepare(manifests.map((m) => m.ref));
  for (const m of manifests) diagnostics.push(...validateManifest(m, registry, { strict }));
  diagnostics.push(...checkDuplicates(manifests));
  return diagnostics.sort(compareDiagnostics);
}

export function render(diagnostics: Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.severity} ${d.rule} ${d.message}`).join('\n') + '\n';
}

