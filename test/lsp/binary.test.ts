/**
 * The built kd-lsp binary: `--version`, `--help`, a bad argument, and a session over its real
 * standard input and output with the built-in schema bundle (no schema settings at all).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { tempHomeEnv } from '../support/temp-home.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'kd-lsp.cjs');

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'kd-lsp.js'))) throw new Error('dist/kd-lsp.js is missing: run `npm run build` first');
});

test('--version prints the version', () => {
  const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, ...tempHomeEnv() } });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^kd-lsp \d+\.\d+\.\d+\n$/);
});

test('--help lists --stdio and the settings', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: { ...process.env, ...tempHomeEnv() } });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('kd-lsp --stdio');
  expect(r.stdout).toContain('crdPaths');
});

test('an unknown argument is a usage error (exit 2)', () => {
  const r = spawnSync(process.execPath, [BIN, '--tcp'], { encoding: 'utf8', env: { ...process.env, ...tempHomeEnv() } });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('unknown arguments: --tcp');
});

let child: ReturnType<typeof spawn> | undefined;
let conn: ProtocolConnection | undefined;
afterAll(() => {
  conn?.dispose();
  child?.kill();
});

test('over stdio with the built-in schemas: diagnostics for a manifest', async () => {
  child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...tempHomeEnv(), KD_SCHEMA_DIR: '' } });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const got = new Promise<PublishDiagnosticsParams>((resolve) => conn!.onNotification('textDocument/publishDiagnostics', resolve));
  conn.listen();
  const init = (await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} })) as { serverInfo?: { name: string } };
  expect(init.serverInfo?.name).toBe('kd-lsp');
  conn.sendNotification('initialized', {});
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n  portz: []\n';
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///stdio/service.yaml', languageId: 'yaml', version: 1, text } });
  const published = await got;
  expect(published.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.message}`)).toEqual([
    '6:2 schema/unknown-field unknown field "spec.portz"; did you mean "ports"?',
  ]);
});

test('over stdio: outlines (sent from the JSON text the server keeps) before and after an incremental edit that splits a document', async () => {
  // The previous test's server is done.
  conn?.dispose();
  child?.kill();
  child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...tempHomeEnv(), KD_SCHEMA_DIR: '' } });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.listen();
  await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  conn.sendNotification('initialized', {});
  const uri = 'file:///stdio/app.yaml';
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n';
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const outline = (s: { name: string; detail?: string; kind: number; range: { start: { line: number }; end: { line: number } }; selectionRange: { start: { line: number; character: number } } }) =>
    `${s.name} ${s.detail} kind=${s.kind} lines ${s.range.start.line}-${s.range.end.line} name at ${s.selectionRange.start.line}:${s.selectionRange.start.character}`;
  const before = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as Parameters<typeof outline>[0][];
  expect(before.map(outline)).toEqual(['ConfigMap/settings v1 kind=19 lines 0-5 name at 3:8', 'Service/web v1 · shop kind=19 lines 6-13 name at 10:8']);
  // A `---` line and a second ConfigMap typed before `data:` of the first one.
  conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n' }],
  });
  const after = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as Parameters<typeof outline>[0][];
  expect(after.map(outline)).toEqual([
    'ConfigMap/settings v1 kind=19 lines 0-3 name at 3:8',
    'ConfigMap/more v1 kind=19 lines 4-10 name at 8:8',
    'Service/web v1 · shop kind=19 lines 11-18 name at 15:8',
  ]);
});
