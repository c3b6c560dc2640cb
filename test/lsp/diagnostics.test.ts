/**
 * Diagnostics through a real LSP connection: the same rules, messages and ranges as the CLI's
 * pipeline on the same file; quiet on YAML that is not Kubernetes; results for an older text are
 * never published; settings (strict) from initializationOptions and workspace/configuration.
 */
import { describe, expect, test } from 'vitest';
import { compareDiagnostics, loadManifests, SchemaRegistry, splitDocuments, validateManifests } from '../../src/index.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { toLspDiagnostic } from '../../lsp/convert.js';
import { looksLikeKubernetes } from '../../lsp/service/workspace.js';
import { expected, fixture, formatDiagnostics } from './support/fixtures.js';
import { K8S_SCHEMAS, startClientPerTest } from './support/lsp-client.js';

const start = startClientPerTest();

/**
 * What `kubectl kd validate` computes for one file: the core pipeline on the whole text. The one
 * intended difference: the editor stays quiet on documents that are not Kubernetes objects
 * (the CLI, asked to validate them, says that kind and apiVersion are missing).
 */
async function cliDiagnostics(file: string, text: string, strict = true) {
  const kubernetesDocs = new Set(splitDocuments(text).filter((s) => looksLikeKubernetes(text.slice(s.start, s.end))).map((s) => s.index));
  const loaded = loadManifests([{ path: file, text }]);
  const registry = new SchemaRegistry([new SchemaDirSource(K8S_SCHEMAS)]);
  const result = await validateManifests(loaded.manifests, registry, { strict });
  return [...loaded.diagnostics, ...result.diagnostics]
    .filter((d) => d.documentIndex === undefined || kubernetesDocs.has(d.documentIndex))
    .sort(compareDiagnostics)
    .map(toLspDiagnostic);
}

describe('diagnostics', () => {
  test('a deployment with problems gets the expected diagnostics, on the offending keys and values', async () => {
    const client = await start();
    const uri = 'file:///work/deployment-problems.yaml';
    client.open(uri, fixture('deployment-problems.yaml'));
    const published = await client.diagnostics(uri);
    expect(formatDiagnostics(published.diagnostics)).toBe(expected('deployment-problems.diagnostics.txt', formatDiagnostics(published.diagnostics)));
  });

  test.each(['deployment-problems.yaml', 'clean-deployment-no-diagnostics.yaml'])('%s: the same diagnostics as the validate pipeline on the whole file', async (name) => {
    const client = await start();
    const uri = `file:///work/${name}`;
    const text = fixture(name);
    client.open(uri, text);
    const published = await client.diagnostics(uri);
    expect(published.diagnostics).toEqual(await cliDiagnostics(`/work/${name}`, text));
  });

  test.each(['compose-no-diagnostics.yaml', 'ci-workflow-no-diagnostics.yaml', 'clean-deployment-no-diagnostics.yaml'])('%s: no diagnostics', async (name) => {
    const client = await start();
    const uri = `file:///work/${name}`;
    client.open(uri, fixture(name));
    expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
  });

  test('a YAML syntax error in a Kubernetes document is reported; the other documents still validate', async () => {
    const client = await start();
    const uri = 'file:///work/broken.yaml';
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: [unclosed\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndatta: {}\n';
    client.open(uri, text);
    const published = await client.diagnostics(uri);
    expect(published.diagnostics).toEqual(await cliDiagnostics('/work/broken.yaml', text));
    expect(published.diagnostics.map((d) => d.code)).toEqual(['yaml/syntax', 'schema/unknown-field']);
  });

  test('edits re-validate, and only the newest version is published after a burst', async () => {
    const client = await start({ debounceMs: 30 });
    const uri = 'file:///work/edit.yaml';
    const text = fixture('clean-deployment-no-diagnostics.yaml');
    client.open(uri, text);
    await client.diagnostics(uri);
    // Three quick edits: replicas -> replicaz, then the kind, then back; only version 4 may be answered.
    const line = text.split('\n').findIndex((l) => l.startsWith('  replicas:'));
    client.change(uri, 2, [{ range: { start: { line, character: 9 }, end: { line, character: 10 } }, text: 'z' }]);
    client.change(uri, 3, [{ range: { start: { line, character: 9 }, end: { line, character: 10 } }, text: 'x' }]);
    client.change(uri, 4, [{ range: { start: { line, character: 9 }, end: { line, character: 10 } }, text: 'q' }]);
    const latest = await client.diagnostics(uri, (p) => p.version === 4);
    expect(latest.diagnostics.map((d) => d.message)).toEqual(['unknown field "spec.replicaq"; did you mean "replicas"?']);
    expect(client.published(uri).map((p) => p.version)).toEqual([1, 4]);
  });

  test('strict: false from initializationOptions makes unknown fields warnings', async () => {
    const client = await start({ initializationOptions: { strict: false } });
    const uri = 'file:///work/lenient.yaml';
    const text = fixture('deployment-problems.yaml');
    client.open(uri, text);
    const published = await client.diagnostics(uri);
    const unknown = published.diagnostics.filter((d) => d.code === 'schema/unknown-field');
    expect(unknown.map((d) => d.severity)).toEqual([2]);
    expect(published.diagnostics).toEqual(await cliDiagnostics('/work/lenient.yaml', text, false));
  });

  test('settings from workspace/configuration (the kd section) win over initializationOptions', async () => {
    const client = await start({ initializationOptions: { strict: true }, configuration: { strict: false } });
    const uri = 'file:///work/configured.yaml';
    client.open(uri, fixture('deployment-problems.yaml'));
    const published = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'schema/unknown-field' && d.severity === 2));
    expect(published.diagnostics.find((d) => d.code === 'schema/unknown-field')?.severity).toBe(2);
  });

  test('schemaDir from the settings chooses the schemas; a missing one leaves every kind unknown', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n  portz: []\n';
    const withSchemas = await start({ schemasFromSettings: true, initializationOptions: { schemaDir: K8S_SCHEMAS, kubernetesVersion: '1.35' } });
    withSchemas.open('file:///work/service.yaml', text);
    expect((await withSchemas.diagnostics('file:///work/service.yaml')).diagnostics.map((d) => d.message)).toEqual(['unknown field "spec.portz"; did you mean "ports"?']);
    await withSchemas.shutdown();

    const without = await start({ schemasFromSettings: true, initializationOptions: { schemaDir: '/nonexistent/schemas' } });
    without.open('file:///work/service.yaml', text);
    expect((await without.diagnostics('file:///work/service.yaml')).diagnostics.map((d) => d.code)).toEqual(['schema/unknown-kind']);
  });
});
