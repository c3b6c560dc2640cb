/**
 * The composition layer's connection: from kubectl-style choices (a kubeconfig, a context, a
 * namespace, or `--sim`) to a connected client, its clock, the namespace and context it resolved
 * to, the cluster's schemas, and `close()` — and nothing more. `openSession` (open.ts) builds
 * the release ports on top of it; `validate --cluster` and kd-lsp's live hover, which need no
 * ports, open here, so every command resolves a target the same way.
 *
 * `--sim` starts kd sim exactly as `kubectl kd sim` does (sim/embedded.ts): the core validator
 * stands behind its writes, so `--sim` rejects what the simulator command rejects.
 *
 * This module is light on purpose: validate (when `--cluster` is given) and kd-lsp load it, and
 * neither should pay at start-up for the Kubernetes client or the simulator, so both are loaded
 * only when a connection is opened (and the simulator only under `--sim`).
 */
import { clusterClockOn, systemClock, type ClusterClock } from '../cluster/clock.js';
import type { ClusterSchemaSource, ConnectedCluster, KubeClient } from '../cluster/index.js';
import { RetryFeed } from '../apply/retry-feed.js';

export interface ConnectionRequest {
  sim: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env: NodeJS.ProcessEnv;
  /** Simulated milliseconds per real one under `--sim`. Default 20 (a 1 s pod start takes 50 ms). */
  simSpeed?: number;
  /** Client-side rate limit (`--qps`, `--burst`); otherwise none, like kubectl (see cluster/rate-limiter.ts). */
  qps?: number;
  burst?: number;
}

export interface Connection {
  client: KubeClient;
  clock: ClusterClock;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** The context name as reports name it; `kd-sim` under `--sim`. */
  context: string;
  /** `kd sim (in-process, URL)` or `context NAME`. */
  description: string;
  retries: RetryFeed;
  /** The cluster's own OpenAPI schemas (lazy: nothing is fetched until a registry asks). */
  schemaSource: ClusterSchemaSource;
  close(): Promise<void>;
}

/** The simulator's default speed for commands: a 1 s pod start takes 50 ms. */
export const SIM_COMMAND_SPEED = 20;

export async function openConnection(request: ConnectionRequest): Promise<Connection> {
  const retries = new RetryFeed();
  const { connectCluster } = await import('../cluster/connect.js');
  if (request.sim) {
    const [{ startEmbeddedSim }, { builtInSource }] = await Promise.all([import('../sim/embedded.js'), import('../io/schema-sources.js')]);
    const sim = await startEmbeddedSim({ schemaSource: builtInSource(), speed: request.simSpeed ?? SIM_COMMAND_SPEED });
    try {
      const cluster = await connectCluster({
        kubeconfigText: sim.kubeconfig(request.namespace === undefined ? {} : { namespace: request.namespace }),
        env: {},
        cacheDir: false,
        onRetry: retries.push,
        ...rateLimit(request),
      });
      return connectionOver(cluster, {
        clock: clusterClockOn(sim.clock),
        context: 'kd-sim',
        description: `kd sim (in-process, ${sim.url})`,
        retries,
        async close() {
          cluster.close();
          await sim.stop();
        },
      });
    } catch (error) {
      await sim.stop();
      throw error;
    }
  }
  const cluster = await connectCluster({
    env: request.env,
    onRetry: retries.push,
    ...rateLimit(request),
    ...(request.kubeconfig === undefined ? {} : { kubeconfig: request.kubeconfig }),
    ...(request.context === undefined ? {} : { context: request.context }),
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
  });
  return connectionOver(cluster, {
    clock: systemClock,
    context: cluster.connection.context,
    description: `context ${cluster.connection.context}`,
    retries,
    close: async () => cluster.close(),
  });
}

function connectionOver(cluster: ConnectedCluster, rest: Pick<Connection, 'clock' | 'context' | 'description' | 'retries' | 'close'>): Connection {
  return { ...rest, client: cluster.client, namespace: cluster.connection.namespace, schemaSource: cluster.schemaSource };
}

function rateLimit(request: ConnectionRequest): { qps?: number; burst?: number } {
  return { ...(request.qps === undefined ? {} : { qps: request.qps }), ...(request.burst === undefined ? {} : { burst: request.burst }) };
}
