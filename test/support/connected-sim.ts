/**
 * A started kd sim as tests that drive kd against it need it: a cluster session connected
 * through its kubeconfig (no discovery cache, quick retries), that kubeconfig as a file in a temp
 * folder (for the CLI and kubectl), fresh namespaces, and one stop for both.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectCluster, type ConnectedCluster } from '../../src/cluster/index.js';
import type { SimHandle } from '../../src/sim/server.js';

export interface ConnectedSim {
  sim: SimHandle;
  session: ConnectedCluster;
  /** The temp folder the kubeconfig file is in; tests may put more there. */
  dir: string;
  kubeconfigPath: string;
  /** Creates a namespace named `prefix-N` (unique in this process). */
  namespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

export async function connectToSim(sim: SimHandle, tempPrefix: string): Promise<ConnectedSim> {
  const session = await connectCluster({ kubeconfigText: sim.kubeconfig(), env: {}, cacheDir: false, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  const dir = mkdtempSync(path.join(tmpdir(), tempPrefix));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, sim.kubeconfig());
  return {
    sim,
    session,
    dir,
    kubeconfigPath,
    async namespace(prefix) {
      const name = `${prefix}-${++counter}`;
      await session.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return name;
    },
    async stop() {
      session.close();
      await sim.stop();
    },
  };
}
