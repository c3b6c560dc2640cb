/**
 * With a cluster context configured (off by default), hovering `kind:` adds the object's live
 * health, read from the cluster; here the cluster is kd sim, reached through a kubeconfig file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { createConnection, createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Hover, type MarkupContent, type ProtocolConnection } from 'vscode-languageserver/node';
import { parse } from 'yaml';
import { startEmbeddedSim, type EmbeddedSim } from '../../src/index.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { nodeHost } from '../../lsp/node-host.js';
import { startServer } from '../../lsp/server.js';
import { K8S_SCHEMAS } from './support/lsp-client.js';
import { simFetch } from '../support/sim-fetch.js';

let sim: EmbeddedSim;
let dir: string;
let client: ProtocolConnection;
let context: string;

beforeAll(async () => {
  sim = await startEmbeddedSim({ schemaSource: new SchemaDirSource(K8S_SCHEMAS) });
  dir = mkdtempSync(path.join(tmpdir(), 'kd-lsp-live-'));
  const kubeconfig = sim.kubeconfig();
  context = (parse(kubeconfig) as { 'current-context': string })['current-context'];
  writeFileSync(path.join(dir, 'kubeconfig'), kubeconfig);
  const response = await simFetch(sim, `/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } }),
  });
  expect(response.status).toBe(201);

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const host = {
    ...nodeHost({ version: 'test', env: { KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir }, cwd: dir }),
    schemaSources: () => [new SchemaDirSource(K8S_SCHEMAS)],
  };
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), host, { debounceMs: 10, liveTimeoutMs: 10_000 });
  client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { context } });
  client.sendNotification('initialized', {});
});

afterAll(async () => {
  client?.dispose();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function hoverKind(name: string): Promise<string> {
  const uri = `file:///live/${name}.yaml`;
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;
  client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const h = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 8 } })) as Hover;
  return (h.contents as MarkupContent).value;
}

test('hover on kind: shows the live health of an object the cluster has', async () => {
  expect((await hoverKind('settings')).split('\n').at(-1)).toBe(`**Live** (context \`${context}\`): Current Exists: applied; nothing to wait for`);
});

test('hover on kind: says when the cluster has no such object', async () => {
  expect((await hoverKind('absent')).split('\n').at(-1)).toBe(`**Live** (context \`${context}\`): NotFound NotFound: the object does not exist`);
});
