/**
 * Workspace behaviour through a real LSP connection: duplicates across files, CRDs found in the
 * workspace at start and added or removed later (didChangeWatchedFiles), code actions applied
 * to the text, and document and workspace symbols.
 */
import { cpSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileChangeType, type TextEdit } from 'vscode-languageserver/node';
import { expected, fixture, fixturePath, formatDiagnostics, formatRange } from './support/fixtures.js';
import { fileUri, startClientPerTest, type TestClient } from './support/lsp-client.js';
import { tempDirPerTest } from '../support/temp-dirs.js';

const SHOP = fixturePath('workspace-shop');
const tempDir = tempDirPerTest();
const start = startClientPerTest();

/** A temp workspace with copies of some files of a fixture workspace (removed after the test). */
function tempWorkspace(files: string[], from = SHOP): string {
  const dir = tempDir('kd-lsp-ws-');
  for (const f of files) cpSync(path.join(from, f), path.join(dir, f));
  return dir;
}

/** Applies LSP text edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Opens a file of the workspace at `root` (its text from the fixture folder) and gives its first non-empty diagnostics, formatted. */
async function openedDiagnostics(client: TestClient, root: string, file: string, fixtureFolder: string): Promise<string> {
  const uri = fileUri(path.join(root, file));
  client.open(uri, fixture(`${fixtureFolder}/${file}`));
  return formatDiagnostics((await client.diagnostics(uri, (p) => p.diagnostics.length > 0)).diagnostics);
}

describe('workspace', () => {
  test('an object defined twice across workspace files is reported on the later file, naming the first', async () => {
    const client = await start({ root: SHOP });
    expect(await openedDiagnostics(client, SHOP, 'duplicate-configmap.yaml', 'workspace-shop')).toBe(
      '4:8-4:19 error manifest/duplicate ConfigMap shop/shop-config is defined twice; the first is at app.yaml:4:9\n',
    );
  });

  test('a custom resource validates once its CRD appears in the workspace, and not after it is deleted', async () => {
    const dir = tempWorkspace(['promotion.yaml']);
    const client = await start({ root: dir });
    const uri = fileUri(path.join(dir, 'promotion.yaml'));
    client.open(uri, fixture('workspace-shop/promotion.yaml'));
    const before = await client.diagnostics(uri);
    expect(before.diagnostics.map((d) => d.code)).toEqual(['schema/unknown-kind']);

    const crd = path.join(dir, 'crd.yaml');
    writeFileSync(crd, fixture('workspace-shop/crd.yaml'));
    client.filesChanged([{ uri: fileUri(crd), type: FileChangeType.Created }]);
    await client.diagnostics(uri, (p) => p.diagnostics.length === 0 && client.published(uri).indexOf(p) > 0);

    unlinkSync(crd);
    client.filesChanged([{ uri: fileUri(crd), type: FileChangeType.Deleted }]);
    const after = await client.diagnostics(uri, (p) => p.diagnostics.length > 0 && client.published(uri).indexOf(p) > 1);
    expect(after.diagnostics.map((d) => d.code)).toEqual(['schema/unknown-kind']);
  });

  test('an invalid workspace CRD is reported once at its file; its objects get one line, other objects none', async () => {
    const dir = tempWorkspace(['widget-crd-invalid.yaml', 'app.yaml'], fixturePath('workspace-bad-crd'));
    const client = await start({ root: dir });
    expect(await openedDiagnostics(client, dir, 'app.yaml', 'workspace-bad-crd')).toBe(
      '9:6-9:12 error crd/schema-unavailable schema unavailable: CRD invalid: CustomResourceDefinition "widgets.example.com" has errors (reported at the CRD), so Widget objects cannot be validated\n',
    );
    expect(await openedDiagnostics(client, dir, 'widget-crd-invalid.yaml', 'workspace-bad-crd')).toBe(
      [
        '26:22-26:26 error crd/structural spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[port].anyOf[0].type: Forbidden: must be empty to be structural',
        '28:22-28:26 error crd/structural spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[port].anyOf[1].type: Forbidden: must be empty to be structural',
        '31:27-31:40 error crd/structural spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: "^(?!kube-).*$": must be a valid regular expression, but isn\'t: error parsing regexp: invalid or unsupported Perl syntax: `(?!`',
        '',
      ].join('\n'),
    );
  });

  test('crdPaths from the settings are read at start', async () => {
    const dir = tempWorkspace(['promotion.yaml']);
    const client = await start({ root: dir, initializationOptions: { crdPaths: [path.join(SHOP, 'crd.yaml')] } });
    const uri = fileUri(path.join(dir, 'promotion.yaml'));
    client.open(uri, fixture('workspace-shop/promotion.yaml'));
    await client.diagnostics(uri, (p) => p.diagnostics.length === 0);
  });

  test('quick fixes from "did you mean" and for a missing required field, applied, leave none of those problems', async () => {
    const client = await start();
    const uri = 'file:///work/deployment-problems.yaml';
    const text = fixture('deployment-problems.yaml');
    client.open(uri, text);
    const published = await client.diagnostics(uri);
    const actions = await client.codeActions(uri, published.diagnostics);
    const rendered = actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}: ${a.edit!.changes![uri]!.map((e) => `${formatRange(e.range)} ${JSON.stringify(e.newText)}`).join(', ')}`).join('\n') + '\n';
    expect(rendered).toBe(expected('deployment-problems.code-actions.txt', rendered));

    const fixed = applyEdits(text, actions.filter((a) => a.isPreferred).flatMap((a) => a.edit!.changes![uri]!));
    client.change(uri, 2, [{ text: fixed }]);
    const after = await client.diagnostics(uri, (p) => p.version === 2);
    const left = after.diagnostics.map((d) => d.code);
    expect(left).not.toContain('schema/unknown-field');
    expect(left).not.toContain('annotation/unknown-key');
    expect(left).not.toContain('schema/required');
  });

  test('document symbols: one per object, Kind/name, selecting the name', async () => {
    const client = await start({ root: SHOP });
    const uri = fileUri(path.join(SHOP, 'app.yaml'));
    client.open(uri, fixture('workspace-shop/app.yaml'));
    await client.diagnostics(uri);
    const symbols = await client.documentSymbols(uri);
    expect(symbols.map((s) => `${s.name} ${s.detail} ${formatRange(s.range)} ${formatRange(s.selectionRange)}`)).toEqual([
      'ConfigMap/shop-config v1 · shop 0:0-8:18 3:8-3:19',
      'Deployment/web apps/v1 · shop 9:0-28:27 13:8-13:11',
    ]);
  });

  test('workspace symbols: objects of every workspace file, filtered by the query', async () => {
    const client = await start({ root: SHOP });
    const uri = fileUri(path.join(SHOP, 'app.yaml'));
    client.open(uri, fixture('workspace-shop/app.yaml'));
    await client.diagnostics(uri);
    // The workspace scan runs in the background after initialization: wait until it has.
    for (let i = 0; i < 100 && (await client.workspaceSymbols('')).length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    const symbols = await client.workspaceSymbols('shopconf');
    expect(symbols.map((s) => `${s.name} ${path.basename('location' in s && 'range' in s.location ? s.location.uri : '')}`).sort()).toEqual([
      'ConfigMap/shop-config app.yaml',
      'ConfigMap/shop-config duplicate-configmap.yaml',
    ]);
    const all = await client.workspaceSymbols('');
    expect(all.map((s) => s.name).sort()).toEqual([
      'ConfigMap/shop-config',
      'ConfigMap/shop-config',
      'CustomResourceDefinition/promotions.shop.example.com',
      'Deployment/web',
      'Promotion/black-friday',
    ]);
  });
});
