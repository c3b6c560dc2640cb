/**
 * pods/exec over WebSocket from the client side: the transport opens the socket with the
 * connection's credentials, offers v5 then v4 of the channel protocol, and the exit code comes
 * from the final Status on channel 3. A server that only speaks v4 (older API servers) works too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { HttpTransport } from '../../src/cluster/index.js';
import { execInPod, exitOfStatus } from '../../src/cluster/exec.js';
import { ClusterRequestError } from '../../src/cluster/errors.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function server(handle: (ws: import('ws').WebSocket, req: http.IncomingMessage) => void, protocols: string[]): Promise<{ url: string; seen: http.IncomingMessage[] }> {
  const seen: http.IncomingMessage[] = [];
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => protocols.find((p) => offered.has(p)) ?? false });
  const s = http.createServer((_req, res) => res.end());
  s.on('upgrade', (req, socket, head) => {
    seen.push(req);
    if (req.headers.authorization !== 'Bearer t0ken') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => handle(ws, req));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

function transport(url: string, token = 't0ken'): HttpTransport {
  return new HttpTransport({ credentials: { server: url, tls: {}, headers: async () => ({ Authorization: `Bearer ${token}` }) } });
}

const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);

describe('execInPod', () => {
  it('v4 only: collects stdout and stderr and reads the exit code from the status channel', async () => {
    const { url, seen } = await server((ws) => {
      ws.send(frame(1, 'not '));
      ws.send(frame(2, 'ready\n'));
      ws.send(frame(3, JSON.stringify({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code', details: { causes: [{ reason: 'ExitCode', message: '3' }] } })));
      ws.close(1000);
    }, ['v4.channel.k8s.io']);
    const result = await execInPod(transport(url), { namespace: 'shop', pod: 'web-1', container: 'web' }, ['/bin/check', '--quick']);
    expect(result).toEqual({ exitCode: 3, output: 'not ready\n' });
    const req = seen[0]!;
    expect(req.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io,v4.channel.k8s.io');
    expect(req.url).toBe('/api/v1/namespaces/shop/pods/web-1/exec?command=%2Fbin%2Fcheck&command=--quick&stdout=true&stderr=true&container=web');
  });

  it('a Success status is exit code 0', async () => {
    const { url } = await server((ws) => {
      ws.send(frame(1, 'ok\n'));
      ws.send(frame(3, '{"metadata":{},"status":"Success"}'));
      ws.close(1000);
    }, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(await execInPod(transport(url), { namespace: 'shop', pod: 'web-1' }, ['true'])).toEqual({ exitCode: 0, output: 'ok\n' });
  });

  it('a refused upgrade is a ClusterRequestError with the server status', async () => {
    const { url } = await server(() => {}, ['v5.channel.k8s.io']);
    const error = await execInPod(transport(url, 'wrong'), { namespace: 'shop', pod: 'web-1' }, ['true']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterRequestError);
    expect((error as ClusterRequestError).code).toBe(401);
  });

  it('reads other failures as their message', () => {
    expect(exitOfStatus('{"status":"Failure","reason":"InternalError","message":"container not found"}')).toEqual({ exitCode: 1, error: 'container not found' });
    expect(exitOfStatus('garbage').error).toContain('undecodable');
  });
});
