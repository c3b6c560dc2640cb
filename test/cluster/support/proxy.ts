/**
 * Tiny proxies on loopback for the credential tests: an HTTP proxy that tunnels CONNECT and
 * forwards absolute-form requests, and a SOCKS5 proxy. Every name they are asked for is reached
 * at 127.0.0.1 (the names need not resolve), and what they saw is recorded.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** `CONNECT host:port`, `GET http://host:port/path`, `SOCKS host:port`, in order. */
  seen: string[];
  /** Headers of each request the proxy received (CONNECT and forwarded ones). */
  headers: http.IncomingHttpHeaders[];
  /** The same, as sent: name, value, name, value... (repeated headers stay separate). */
  rawHeaders: string[][];
  stop(): Promise<void>;
}

export async function startHttpProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const rawHeaders: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    // Absolute-form: GET http://name:port/path
    seen.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    rawHeaders.push(req.rawHeaders);
    const target = new URL(req.url ?? '');
    const upstream = http.request({ host: '127.0.0.1', port: Number(target.port || 80), path: target.pathname + target.search, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    headers.push(req.headers);
    rawHeaders.push(req.rawHeaders);
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = net.connect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    sockets.add(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (s: net.Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    headers,
    rawHeaders,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** RFC 1928 with no authentication; CONNECT only. */
export async function startSocksProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    let buf = Buffer.alloc(0);
    let stage: 'hello' | 'request' | 'open' = 'hello';
    client.on('error', () => {});
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 'hello') {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        buf = buf.subarray(2 + buf[1]!);
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buf.length < 5) return;
        const atyp = buf[3];
        const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4]!;
        if (buf.length < 4 + len + 2) return;
        const host = atyp === 3 ? buf.subarray(5, 5 + buf[4]!).toString() : atyp === 1 ? [...buf.subarray(4, 8)].join('.') : 'ipv6';
        const port = buf.readUInt16BE(4 + len);
        seen.push(`SOCKS ${host}:${port}`);
        stage = 'open';
        client.off('data', onData);
        const rest = buf.subarray(4 + len + 2);
        const upstream = net.connect({ host: '127.0.0.1', port }, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          if (rest.length) upstream.write(rest);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `socks5://127.0.0.1:${port}`,
    seen,
    headers: [],
    rawHeaders: [],
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
