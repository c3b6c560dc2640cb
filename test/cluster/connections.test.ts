/**
 * The transport's connections to an https server (src/cluster/proxy.ts `agentFor`): requests in
 * parallel open several kept-alive connections, and all of them share one TLS secure context —
 * the CA and the client certificate are parsed once per agent, not once per connection (Node
 * builds one per connection unless given one, and the first with a CA also builds its bundled
 * root store). The server still checks the client certificate on each connection.
 *
 * Closing (HttpTransport.close): a connection carrying a request ends at once; idle ones a moment
 * later, on a timer that does not hold the process open, so a command that ends right after leaves
 * them to the system at exit (the real binary: none torn down before its exit, its output whole).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folder } from '../cli/support/cli-sim.js';
import { runKdAsync } from '../cli/run-kd.js';
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

  it('close() ends a connection carrying a request at once, and the idle ones a moment later', async () => {
    const connect = tls.connect;
    const sockets: tls.TLSSocket[] = [];
    tls.connect = ((...args: unknown[]) => {
      const socket = (connect as (...a: unknown[]) => tls.TLSSocket)(...args);
      sockets.push(socket);
      return socket;
    }) as typeof connect;
    try {
      const cluster = await t.connect({ cacheDir: false });
      const gvk = { group: '', version: 'v1', kind: 'ConfigMap' };
      const [, configMaps] = await Promise.all([cluster.client.serverVersion(), cluster.client.list(gvk, { namespace: 'default' }), cluster.client.list({ ...gvk, kind: 'Secret' }, { namespace: 'default' })]);
      const idle = [...sockets];
      expect(idle.length).toBeGreaterThan(1);
      // A watch holds its connection: a request in flight when the transport closes.
      const stream = await cluster.client.transport.open({
        method: 'GET',
        path: '/api/v1/namespaces/default/configmaps',
        query: { watch: 'true', resourceVersion: configMaps.resourceVersion },
        subject: { verb: 'watch', target: 'ConfigMap in namespace default' },
      });
      const streamClosed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.resume();
      const busy = sockets.find((s) => !isIdle(s))!;
      expect(busy).toBeDefined();
      cluster.close();
      expect(busy.destroyed).toBe(true);
      await streamClosed;
      const stillIdle = sockets.filter((s) => s !== busy);
      expect(stillIdle.every((s) => !s.destroyed)).toBe(true);
      await until(() => stillIdle.every((s) => s.destroyed));
    } finally {
      tls.connect = connect;
    }
  });

  it('a command that ends leaves its idle connections to the system at exit: none torn down before the process exits, its output whole', async () => {
    const dir = folder({ 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n' });
    const kubeconfig = path.join(t.tmp, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, t.sim.kubeconfig());
    // Counts, in the kd process, its TLS connections and those closed before its 'exit' event.
    const preload = path.join(t.tmp, 'count-closes.cjs');
    writeFileSync(
      preload,
      `const tls = require('node:tls');
const connect = tls.connect;
let opened = 0, closed = 0;
tls.connect = function (...args) { const s = connect.apply(this, args); opened++; s.once('close', () => closed++); return s; };
process.on('exit', () => process.stderr.write('tls connections: ' + opened + ', closed before exit: ' + closed + '\\n'));
`,
    );
    const env = { NODE_OPTIONS: `--require ${preload}` };
    const applied = await runKdAsync(['apply', dir, '--release', 'app', '-n', 'default', '--kubeconfig', kubeconfig], { cwd: dir, env });
    expect(applied.status).toBe(0);
    expect(applied.stderr).toMatch(/tls connections: [1-9]\d*, closed before exit: 0\n/);
    const drift = await runKdAsync(['drift', dir, '--release', 'app', '-n', 'default', '--kubeconfig', kubeconfig, '-o', 'json'], { cwd: dir, env });
    expect(drift.stderr).toMatch(/tls connections: [1-9]\d*, closed before exit: 0\n/);
    expect(drift.status).toBe(0);
    const report = JSON.parse(drift.stdout) as { targets: Array<{ counts: Record<string, number> }> };
    expect(report.targets[0]!.counts['in-sync']).toBe(1);
  }, 60_000);
});

/** A kept-alive connection the agent holds free (no request on it). */
function isIdle(socket: tls.TLSSocket): boolean {
  return !socket.destroyed && (socket as unknown as { _httpMessage: unknown })._httpMessage == null;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
