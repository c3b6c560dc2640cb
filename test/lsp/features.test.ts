/**
 * Completion, hover, code actions and symbols through a real LSP connection, in a workspace with
 * a CRD, sync waves and a duplicate object. Cursor positions come from `<|>` markers in the
 * fixtures; each fixture's result is compared exactly with the file next to it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver/node';
import { expected, fixture, fixturePath, FIXTURES } from './support/fixtures.js';
import { fileUri, markers, startClient, type TestClient } from './support/lsp-client.js';

const WORKSPACE = fixturePath('workspace-shop');
let client: TestClient;

beforeAll(async () => {
  client = await startClient({ root: WORKSPACE });
});
afterAll(async () => {
  await client.shutdown();
});

/** Opens a marker fixture at a uri outside the workspace folder, waits until it is validated. */
async function openFixture(name: string): Promise<{ uri: string; text: string; position: { line: number; character: number } }> {
  const { text, positions } = markers(fixture(name));
  const uri = fileUri(path.join(FIXTURES, name));
  client.open(uri, text);
  await client.diagnostics(uri);
  return { uri, text, position: positions[0]! };
}

function renderCompletion(items: CompletionItem[]): string {
  const sorted = [...items].sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : (a.sortText ?? a.label) > (b.sortText ?? b.label) ? 1 : 0));
  const shown = sorted.slice(0, 12).map((i) => {
    const edit = i.textEdit && 'range' in i.textEdit ? JSON.stringify(i.textEdit.newText) : '';
    return `${i.label} | ${i.detail ?? ''} | ${edit}`;
  });
  return `${items.length} items\n${shown.join('\n')}\n`;
}

function renderHover(h: Hover | null): string {
  if (h === null) return 'no hover\n';
  const r = h.range!;
  return `range ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\n${(h.contents as MarkupContent).value}\n`;
}

describe('completion', () => {
  const cases = readdirSync(path.join(FIXTURES, 'completion')).filter((f) => f.endsWith('.yaml'));
  test.each(cases)('%s', async (name) => {
    const { uri, position } = await openFixture(`completion/${name}`);
    const items = await client.completion(uri, position);
    const out = renderCompletion(items);
    expect(out).toBe(expected(`completion/${name.replace(/\.yaml$/, '.completion.txt')}`, out));
  });

  test('annotation keys come with their documentation in markdown', async () => {
    const { uri, position } = await openFixture('completion/annotation-keys.yaml');
    const items = await client.completion(uri, position);
    const hook = items.find((i) => i.label === 'kd.io/hook');
    expect((hook?.documentation as MarkupContent | undefined)?.kind).toBe('markdown');
    expect((hook?.documentation as MarkupContent).value).toContain('pre-apply');
    const alias = items.find((i) => i.label === 'helm.sh/hook');
    expect((alias?.documentation as MarkupContent).value).toContain('Read by kd as `kd.io/hook`');
  });
});

test('picking a kind of another group-version also sets the apiVersion line', async () => {
  const { uri, position } = await openFixture('completion/kind-values-with-crd.yaml');
  const items = await client.completion(uri, position);
  const configMap = items.find((i) => i.label === 'ConfigMap');
  expect(configMap?.additionalTextEdits).toEqual([{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 31 } }, newText: 'v1' }]);
  expect(items.find((i) => i.label === 'Promotion')?.additionalTextEdits).toBeUndefined();
});

describe('hover', () => {
  const cases = readdirSync(path.join(FIXTURES, 'hover')).filter((f) => f.endsWith('.yaml'));
  test.each(cases)('%s', async (name) => {
    const { uri, position } = await openFixture(`hover/${name}`);
    const out = renderHover(await client.hover(uri, position));
    expect(out).toBe(expected(`hover/${name.replace(/\.yaml$/, '.hover.md')}`, out));
  });
});
