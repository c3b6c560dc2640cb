/**
 * How the transport reads an answer's body: whole, in the chunks the server sends; and when the
 * server stops half-way (the connection closes before the announced length) or the caller aborts
 * while the body arrives, the request fails as a network error or with the abort's reason, never
 * with half an answer and never hanging.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRequestError, HttpTransport } from '../../src/cluster/index.js';
import { rejectionOf } from '../support/rejection.js';

let server: http.Server;
let transport: HttpTransport;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/chunks') {
      // Several writes, so the body arrives in several chunks.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const items = Array.from({ length: 2000 }, (_, i) => `{"name":"item-${i}"}`);
      res.write('{"items":[');
      for (let i = 0; i < items.length; i += 500) res.write(`${i > 0 ? ',' : ''}${items.slice(i, i + 500).join(',')}`);
      res.end(']}');
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"items":[', () => res.socket?.destroy());
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"items":[');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  transport = new HttpTransport({ credentials: { server: `http://127.0.0.1:${port}`, tls: {}, headers: async () => ({}) }, retry: { maxRetries: 0 } });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, signal?: AbortSignal) =>
  transport.request({ method: 'GET', path, subject: { verb: 'list', target: 'items' }, ...(signal ? { signal } : {}) });

describe('reading an answer', () => {
  it('joins the chunks of a body into the whole answer', async () => {
    const res = await get('/chunks');
    const body = JSON.parse(res.body) as { items: Array<{ name: string }> };
    expect(body.items).toHaveLength(2000);
    expect(body.items.at(-1)).toEqual({ name: 'item-1999' });
  });

  it('fails as a network error when the connection closes before the whole body arrived', async () => {
    const error = await rejectionOf(get('/cut'), ClusterRequestError);
    expect(error.failure).toBe('network');
    expect(error.code).toBe(0);
    expect(error.reason).toBe('ECONNRESET');
    expect(error.message).toMatch(/^list items: ECONNRESET: cannot reach the cluster at http:\/\/127\.0\.0\.1:\d+: aborted$/);
  });

  it('stops with the abort reason when the caller aborts while the body arrives', async () => {
    const controller = new AbortController();
    const pending = get('/stall', controller.signal);
    setTimeout(() => controller.abort(new Error('stopped by the test')), 50);
    await expect(pending).rejects.toThrow('stopped by the test');
  });
});
