/**
 * kd-lsp's content encoder: a result the server marked with its JSON text is sent as that text,
 * and the message it makes is the one `JSON.stringify` makes; everything else is serialized as
 * before.
 */
import { describe, expect, test } from 'vitest';
import type { Message } from 'vscode-languageserver/node';
import { encodeMessage, jsonEncoder, withJson } from '../../lsp/json-encoder.js';

describe('JSON encoder', () => {
  const symbols = [{ name: 'ConfigMap/a', kind: 19, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } }];

  test('a marked result is sent as its text, in a message equal to the serialized one', () => {
    const result = withJson([...symbols], JSON.stringify(symbols));
    const message: Message = { jsonrpc: '2.0', id: 7, result } as Message;
    const text = encodeMessage(message);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(message)));
    // The text is what is sent, not a new serialization: a marker in it survives.
    const marked = withJson([...symbols], '["from the cache"]');
    expect(JSON.parse(encodeMessage({ jsonrpc: '2.0', id: 'a', result: marked } as Message))).toEqual({ jsonrpc: '2.0', id: 'a', result: ['from the cache'] });
  });

  test('unmarked results, errors and notifications are serialized as JSON.stringify does', async () => {
    const messages = [
      { jsonrpc: '2.0', id: 1, result: [...symbols] },
      { jsonrpc: '2.0', id: 2, error: { code: -32800, message: 'request cancelled' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.yaml', diagnostics: [] } },
      { jsonrpc: '2.0', id: 3, result: null },
    ] as unknown as Message[];
    for (const m of messages) expect(encodeMessage(m)).toBe(JSON.stringify(m));
    const bytes = await jsonEncoder.encode(messages[0]!, { charset: 'utf-8' });
    expect(Buffer.from(bytes).toString('utf8')).toBe(JSON.stringify(messages[0]));
  });
});
