/**
 * kd-lsp honours $/cancelRequest: a cancelled request stops its work (a hover stops asking the
 * cluster: the host's abort signal fires) and answers RequestCancelled (-32800), while requests
 * that were not cancelled still get their results.
 */
import { describe, expect, test } from 'vitest';
import { CancellationTokenSource, LSPErrorCodes, type DocumentSymbol, type ResponseError } from 'vscode-languageserver/node';
import type { ServerHost } from '../../lsp/server.js';
import { fileUri, startClientPerTest } from './support/lsp-client.js';

const start = startClientPerTest();

const TEXT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  MODE: production\n';

async function failure(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (error) {
    return error as ResponseError<unknown>;
  }
  throw new Error('the request was answered although it was cancelled');
}

describe('cancellation', () => {
  test('a hover cancelled while it waits for the cluster answers RequestCancelled and aborts the cluster read', async () => {
    let signal: AbortSignal | undefined;
    let asked!: () => void;
    const askedCluster = new Promise<void>((r) => (asked = r));
    // A cluster that answers only when told to stop: the hover can end only by cancellation.
    const hanging = (h: ServerHost): ServerHost => ({
      ...h,
      liveHealth: (_settings, _object, s) => {
        signal = s;
        asked();
        return new Promise((_, reject) => s.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    });
    const client = await start({ host: hanging, initializationOptions: { context: 'prod' } });
    const uri = fileUri('/cancel/settings.yaml');
    client.open(uri, TEXT);
    await client.diagnostics(uri);
    const source = new CancellationTokenSource();
    const hover = client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } }, source.token);
    await askedCluster;
    expect(signal?.aborted).toBe(false);
    source.cancel();
    const error = await failure(hover);
    expect(error.code).toBe(LSPErrorCodes.RequestCancelled);
    expect(signal?.aborted).toBe(true);
  });

  test('a documentSymbol request cancelled right after it was sent answers RequestCancelled; the next one its symbols', async () => {
    const client = await start();
    const uri = fileUri('/cancel/settings.yaml');
    client.open(uri, TEXT);
    await client.diagnostics(uri);
    const source = new CancellationTokenSource();
    // As an editor does when the text changes under a pending outline request.
    const symbolsRequest = client.request('textDocument/documentSymbol', { textDocument: { uri } }, source.token);
    source.cancel();
    const error = await failure(symbolsRequest);
    expect(error.code).toBe(LSPErrorCodes.RequestCancelled);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['ConfigMap/settings']);
  });
});
