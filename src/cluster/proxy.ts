/**
 * Which proxy a request to the API server goes through, and the connections through it — as
 * kubectl (Go's net/http) does it:
 *  - the cluster's `proxy-url` when set (http, https or socks5), for every request;
 *  - else the environment, by Go's httpproxy rules: `HTTPS_PROXY` for https servers,
 *    `HTTP_PROXY` for http ones (upper case first, then lower case; ignored under CGI, when
 *    `REQUEST_METHOD` is set), never for `localhost` or loopback addresses, and not for hosts
 *    that `NO_PROXY` matches (`*`; domains, where `example.com` also matches its subdomains and
 *    `.example.com` only them; IP addresses; CIDR ranges; each optionally with `:port`).
 * Through an http(s) proxy an https server is reached with CONNECT (a tunnel, TLS end to end)
 * and an http server with absolute-form requests; through socks5 both are tunnelled. A proxy URL
 * with user info authenticates with Basic (http) or username/password (socks5).
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import type { AgentOptions as HttpsAgentOptions } from 'node:https';
import type { ConnectionOptions, SecureContext } from 'node:tls';

// node:https and node:tls (with crypto behind them, ~20 ms of start-up) are loaded for an https
// server or proxy only: a plain http:// server (kubectl proxy, kd sim --no-auth) never needs
// them (issue 17). Through require(), which builds no ESM facade (scripts/build.mjs).
const builtin = createRequire(import.meta.url);
export const httpsModule = (): typeof import('node:https') => builtin('node:https') as typeof import('node:https');
const tlsModule = (): typeof import('node:tls') => builtin('node:tls') as typeof import('node:tls');

export type Env = Readonly<Record<string, string | undefined>>;

function envAny(env: Env, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v) return v;
  }
  return '';
}

/** Go's parseProxy: a value without a known scheme is taken as `http://VALUE`. */
function parseProxy(value: string): URL | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    if (['http:', 'https:', 'socks5:'].includes(u.protocol) && u.hostname) return u;
  } catch {
    // fall through to the http:// retry
  }
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined;
  }
}

type Matcher = (host: string, port: string, ip: string | undefined) => boolean;

/** The proxy for a request to `target` by the environment's rules, or undefined to connect directly. */
export function proxyFromEnvironment(target: URL, env: Env): URL | undefined {
  const cgi = Boolean(env['REQUEST_METHOD']);
  let proxy: URL | undefined;
  if (target.protocol === 'https:') proxy = parseProxy(envAny(env, 'HTTPS_PROXY', 'https_proxy'));
  else if (target.protocol === 'http:' && !cgi) proxy = parseProxy(envAny(env, 'HTTP_PROXY', 'http_proxy'));
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return undefined;
  const ip = net.isIP(host) ? host : undefined;
  if (ip && isLoopback(ip)) return undefined;
  for (const m of noProxyMatchers(envAny(env, 'NO_PROXY', 'no_proxy'))) if (m(host, port, ip)) return undefined;
  return proxy;
}

function noProxyMatchers(noProxy: string): Matcher[] {
  const out: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    if (p === '*') return [() => true];
    const cidr = parseCidr(p);
    if (cidr) {
      out.push((_h, _p, ip) => ip !== undefined && cidr(ip));
      continue;
    }
    let phost = p;
    let pport = '';
    const hp = /^(\[[^\]]*\]|[^:]*):(\d*)$/.exec(p);
    if (hp) {
      phost = hp[1]!;
      pport = hp[2]!;
      if (phost === '') continue;
      phost = phost.replace(/^\[(.*)\]$/, '$1');
    }
    if (net.isIP(phost)) {
      const want = canonicalIp(phost);
      out.push((_h, port, ip) => ip !== undefined && canonicalIp(ip) === want && (pport === '' || pport === port));
      continue;
    }
    if (phost === '') continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    const suffix = phost;
    out.push((host, port, ip) => ip === undefined && (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (pport === '' || pport === port));
  }
  return out;
}

function isLoopback(ip: string): boolean {
  const c = canonicalIp(ip);
  return c.startsWith('127.') || c === '0:0:0:0:0:0:0:1';
}

/** IPv4 dotted, IPv6 fully expanded lower case; IPv4-mapped IPv6 becomes IPv4 (as Go's net.IP compares). */
function canonicalIp(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  const bytes = ipv6Bytes(ip);
  if (!bytes) return ip;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function ipv6Bytes(ip: string): number[] | undefined {
  if (!net.isIPv6(ip)) return undefined;
  let s = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const groupsOf = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groupsOf(head);
  const r = groupsOf(rest);
  const zeros = rest === undefined ? 0 : 8 - h.length - r.length;
  const out: number[] = [];
  for (const g of [...h, ...new Array<number>(Math.max(0, zeros)).fill(0), ...r]) out.push(g >> 8, g & 0xff);
  return out;
}

function parseCidr(p: string): ((ip: string) => boolean) | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(p);
  if (!m || !net.isIP(m[1]!)) return undefined;
  const bits = Number(m[2]);
  const v4 = net.isIPv4(m[1]!);
  if (bits > (v4 ? 32 : 128)) return undefined;
  const netBytes = v4 ? ipv4Bytes(m[1]!) : ipv6Bytes(m[1]!)!;
  return (ip) => {
    const c = canonicalIp(ip);
    const isV4 = net.isIPv4(c);
    if (isV4 !== v4) return false;
    const b = isV4 ? ipv4Bytes(c) : ipv6Bytes(c)!;
    for (let i = 0; i < bits; i++) {
      const byte = i >> 3;
      const mask = 0x80 >> (i & 7);
      if ((b[byte]! & mask) !== (netBytes[byte]! & mask)) return false;
    }
    return true;
  };
}

// ---- connections through a proxy ---------------------------------------------------------------

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

function basicAuth(u: URL): string | undefined {
  if (!u.username && !u.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
}

function proxyPort(u: URL): number {
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : u.protocol === 'socks5:' ? 1080 : 80;
}

/** A connection to the proxy itself (TLS for an https proxy). */
function connectToProxy(proxy: URL): net.Socket {
  const host = proxy.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = proxyPort(proxy);
  return proxy.protocol === 'https:' ? tlsModule().connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }) }) : net.connect({ host, port });
}

/** A raw stream to host:port through the proxy (CONNECT or socks5). */
export function tunnel(proxy: URL, host: string, port: number): Promise<net.Socket> {
  return proxy.protocol === 'socks5:' ? socks5Tunnel(proxy, host, port) : connectTunnel(proxy, host, port);
}

function connectTunnel(proxy: URL, host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectToProxy(proxy);
    const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const auth = basicAuth(proxy);
    let buffer = Buffer.alloc(0);
    const onError = (e: Error) => reject(proxyError(proxy, e.message, e));
    socket.once('error', onError);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    });
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffer.length > 16_384) fail('the proxy sent an oversized answer to CONNECT');
        return;
      }
      socket.off('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'));
      if (!status || status[1] !== '200') return fail(`the proxy refused CONNECT ${authority}: ${status ? `HTTP ${status[1]}` : 'not an HTTP answer'}`);
      socket.off('error', onError);
      const rest = buffer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const fail = (message: string) => {
      socket.destroy();
      reject(proxyError(proxy, message));
    };
    socket.on('data', onData);
    socket.once('end', () => fail('the proxy closed the connection during CONNECT'));
  });
}

/** RFC 1928 CONNECT, no auth or username/password (RFC 1929); the host name is resolved by the proxy, as Go's dialer does. */
function socks5Tunnel(proxy: URL, host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectToProxy(proxy);
    const user = decodeURIComponent(proxy.username);
    const pass = decodeURIComponent(proxy.password);
    const withAuth = user !== '' || pass !== '';
    let buffer = Buffer.alloc(0);
    let stage: 'method' | 'auth' | 'connect' = 'method';
    const fail = (message: string, cause?: Error) => {
      socket.destroy();
      reject(proxyError(proxy, message, cause));
    };
    socket.once('error', (e) => fail(e.message, e));
    socket.once('connect', () => socket.write(Buffer.from(withAuth ? [5, 2, 0, 2] : [5, 1, 0])));
    const sendConnect = () => {
      stage = 'connect';
      let addr: Buffer;
      if (net.isIPv4(host)) addr = Buffer.from([1, ...ipv4Bytes(host)]);
      else if (net.isIPv6(host)) addr = Buffer.from([4, ...ipv6Bytes(host)!]);
      else {
        const name = Buffer.from(host);
        if (name.length > 255) return fail('host name too long for socks5');
        addr = Buffer.concat([Buffer.from([3, name.length]), name]);
      }
      socket.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])]));
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'method') {
        if (buffer.length < 2) return;
        const method = buffer[1];
        buffer = buffer.subarray(2);
        if (method === 0) return sendConnect();
        if (method === 2 && withAuth) {
          stage = 'auth';
          const u = Buffer.from(user);
          const p = Buffer.from(pass);
          socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
          return;
        }
        return fail('the socks5 proxy accepts none of the offered authentication methods');
      }
      if (stage === 'auth') {
        if (buffer.length < 2) return;
        if (buffer[1] !== 0) return fail('the socks5 proxy rejected the username and password');
        buffer = buffer.subarray(2);
        return sendConnect();
      }
      if (buffer.length < 5) return;
      if (buffer[1] !== 0) return fail(`the socks5 proxy refused to connect to ${host}:${port} (reply ${buffer[1]})`);
      const atyp = buffer[3];
      const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buffer[4]!;
      if (buffer.length < 4 + len + 2) return;
      socket.off('data', onData);
      socket.removeAllListeners('error');
      const rest = buffer.subarray(4 + len + 2);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

function proxyError(proxy: URL, message: string, cause?: Error): Error {
  // The proxy's address only: never its user info.
  const where = `${proxy.protocol}//${proxy.host}`;
  return Object.assign(new Error(`through the proxy ${where}: ${message}`), { code: (cause as NodeJS.ErrnoException | undefined)?.code ?? 'EPROXY' });
}

/**
 * The agent for one API server: direct, or through `proxy`. For https, TLS runs inside the
 * tunnel with the server's name (or tls-server-name) for verification. Every connection of the
 * agent shares one TLS secure context (CA, client certificate), built on the first connection:
 * otherwise Node builds one per connection, parsing the CA and the key again each time.
 */
export function agentFor(server: URL, proxy: URL | undefined, tlsOptions: TlsOptions): http.Agent {
  const secure = server.protocol === 'https:';
  const defined = Object.fromEntries(Object.entries(tlsOptions).filter(([, v]) => v !== undefined)) as TlsOptions;
  const context = sharedSecureContext(defined);
  if (!proxy) return secure ? sharedContextAgent({ keepAlive: true, ...defined }, context) : new http.Agent({ keepAlive: true });
  const targetHost = server.hostname.replace(/^\[(.*)\]$/, '$1');
  const targetPort = Number(server.port || (secure ? 443 : 80));
  if (!secure && proxy.protocol === 'http:') return new ForwardingAgent(proxy);
  const AgentClass = secure ? httpsModule().Agent : http.Agent;
  const agent = new AgentClass({ keepAlive: true, ...(secure ? defined : {}) });
  // Node's Agent accepts an asynchronous createConnection (it calls back when the socket is ready).
  (agent as unknown as { createConnection: unknown }).createConnection = (_options: unknown, callback: (err: Error | null, socket?: net.Socket) => void) => {
    tunnel(proxy, targetHost, targetPort).then(
      (raw) => {
        if (!secure) return callback(null, raw);
        // Certificates are checked against the server's name (or tls-server-name), never the proxy's.
        const servername = defined.servername ?? (net.isIP(targetHost) ? undefined : targetHost);
        const secured = tlsModule().connect({ socket: raw, host: targetHost, ...defined, secureContext: context(), ...(servername ? { servername } : {}) });
        secured.once('secureConnect', () => callback(null, secured));
        secured.once('error', (e) => callback(e));
      },
      (e: Error) => callback(e),
    );
    return undefined;
  };
  return agent;
}

/** The secure context of an agent's connections, made once on first use (from the CA, certificate and key). */
function sharedSecureContext(options: TlsOptions): () => SecureContext {
  let context: SecureContext | undefined;
  return () => (context ??= tlsModule().createSecureContext({ ...(options.ca ? { ca: options.ca } : {}), ...(options.cert ? { cert: options.cert } : {}), ...(options.key ? { key: options.key } : {}) }));
}

type SharedContextAgentClass = new (options: HttpsAgentOptions, context: () => SecureContext) => http.Agent;
let SharedContextAgent: SharedContextAgentClass | undefined;

/** A direct https agent whose connections share one secure context; its class extends node:https's Agent, so it is made on first https use. */
function sharedContextAgent(options: HttpsAgentOptions, context: () => SecureContext): http.Agent {
  type Create = (options: ConnectionOptions, callback?: (err: Error | null, socket: net.Socket) => void) => net.Socket;
  const base = httpsModule().Agent;
  SharedContextAgent ??= class extends base {
    readonly #context: () => SecureContext;

    constructor(agentOptions: HttpsAgentOptions, secureContext: () => SecureContext) {
      super(agentOptions);
      this.#context = secureContext;
    }

    override createConnection(connectOptions: ConnectionOptions, callback?: (err: Error | null, socket: net.Socket) => void): net.Socket {
      return (base.prototype as unknown as { createConnection: Create }).createConnection.call(this, { ...connectOptions, secureContext: this.#context() }, callback);
    }
  };
  return new SharedContextAgent(options, context);
}

/** Plain http through an http(s) proxy: absolute-form requests to the proxy (Go's transport does this for http targets). */
export class ForwardingAgent extends http.Agent {
  readonly proxy: URL;
  constructor(proxy: URL) {
    super({ keepAlive: true });
    this.proxy = proxy;
  }
}

/** Request options that send `url` through a ForwardingAgent's (http) proxy. */
export function forwardedRequest(agent: ForwardingAgent, url: URL, headers: Record<string, string | string[]>): { host: string; port: number; path: string; headers: Record<string, string | string[]> } {
  const auth = basicAuth(agent.proxy);
  return {
    host: agent.proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: proxyPort(agent.proxy),
    path: url.href,
    headers: { ...headers, Host: url.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
  };
}
