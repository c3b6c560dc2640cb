/**
 * The JSON-RPC content encoder of kd-lsp's connection, with one addition: a result whose JSON text
 * the server already has (`withJson`) is sent as that text instead of being serialized again.
 * The outline of a large file is asked for after every edit and is hundreds of kilobytes of
 * JSON, nearly all of it unchanged: the server keeps each document's part as text, and the answer
 * is those parts joined. Anything else is serialized as vscode-jsonrpc's own encoder does.
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-languageserver/node';

const texts = new WeakMap<object, string>();

/** Marks `value` (an array or object returned as a request's result) as serialized to `json`. */
export function withJson<T extends object>(value: T, json: string): T {
  texts.set(value, json);
  return value;
}

/** The message as JSON text: `JSON.stringify`, but a known result's text is reused. */
export function encodeMessage(message: Message): string {
  const { jsonrpc, id, result, ...rest } = message as Message & { id?: unknown; result?: unknown };
  const known = result !== null && typeof result === 'object' && Object.keys(rest).length === 0 ? texts.get(result) : undefined;
  if (known === undefined) return JSON.stringify(message);
  return `{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id ?? null)},"result":${known}}`;
}

export const jsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode(message: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
    try {
      return Promise.resolve(Buffer.from(encodeMessage(message), options.charset));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  },
};
