/**
 * `fetch` for tests that talk HTTP to a kd sim directly: kd sim serves HTTPS with a CA of its
 * own and wants its bearer token, which the global fetch cannot be told about per request. This
 * sends the request with node's https (trusting the sim's CA, carrying its token unless the
 * caller sets `Authorization`) and returns a real `Response`, streaming bodies included.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

export interface SimEndpoint {
  url: string;
  caCert: string | undefined;
  authHeaders(): Record<string, string>;
}

export interface SimFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Send no credentials (to test the 401). */
  anonymous?: boolean;
}

export function simFetch(sim: SimEndpoint, p: string, init: SimFetchInit = {}): Promise<Response> {
  const url = new URL(sim.url + p);
  const headers: Record<string, string> = { ...(init.anonymous ? {} : sim.authHeaders()), ...(init.headers ?? {}) };
  if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: init.method ?? 'GET', headers, ...(init.signal ? { signal: init.signal } : {}) };
    // The certificate names localhost; a test's own Host header must not change what is verified.
    if (url.protocol === 'https:') Object.assign(options, { ca: sim.caCert, servername: 'localhost' });
    const req = (url.protocol === 'https:' ? https : http).request(url, options, (res) => {
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) for (const one of v) h.append(k, one);
        else if (v !== undefined) h.set(k, v);
      }
      const status = res.statusCode ?? 0;
      const noBody = status === 204 || status === 304 || init.method === 'HEAD';
      resolve(new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream), { status, headers: h }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
