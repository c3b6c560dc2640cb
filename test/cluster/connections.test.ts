/**
 * The transport's connections to an https server (src/cluster/proxy.ts `agentFor`): requests in
 * parallel open several kept-alive connections, and all of them share one TLS secure context —
 * the CA and the client certificate are parsed once per agent, not once per connection (Node
 * builds one per connection unless given one, and the first with a CA also builds its bundled
 * root store). The server still checks the client certificate on each connection.
 */
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from './support/sim.js';

let t: TestSim;
beforeAll(async () => {
  // Client-certificate authentication: a connection without the context's certificate is refused.
  t = await startTestSim({ tls: true });
});
afterAll(() => t.stop());

describe('connections to an https API server', () => {
  it('share one secure context across parallel connections, and keep them for later requests', async () => {
    const createSecureContext = tls.createSecureContext;
    const connect = tls.connect;
    let contexts = 0;
    let connections = 0;
    tls.createSecureContext = (...args: Parameters<typeof createSecureContext>) => {
      contexts++;
      return createSecureContext(...args);
    };
    tls.connect = ((...args: unknown[]) => {
      connections++;
      return (connect as (...a: unknown[]) => tls.TLSSocket)(...args);
    }) as typeof connect;
    try {
      const cluster = await t.connect({ cacheDir: false });
      try {
        const gvk = { group: '', version: 'v1', kind: 'ConfigMap' };
        const first = await Promise.all([cluster.client.serverVersion(), cluster.client.list(gvk, { namespace: 'default' }), cluster.client.list({ ...gvk, kind: 'Secret' }, { namespace: 'default' })]);
        expect(first[0].gitVersion).toMatch(/^v1\./);
        const opened = connections;
        expect(opened).toBeGreaterThan(1);
        expect(contexts).toBe(1);
        // Later requests reuse the kept-alive connections: no new connection, no new context.
        await cluster.client.list(gvk, { namespace: 'kube-system' });
        expect(connections).toBe(opened);
        expect(contexts).toBe(1);
      } finally {
        cluster.close();
      }
    } finally {
      tls.createSecureContext = createSecureContext;
      tls.connect = connect;
    }
  });
});
