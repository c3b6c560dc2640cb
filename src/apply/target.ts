/**
 * Where an apply goes: a cluster from the kubeconfig (`--kubeconfig`, `--context`, `-n`), or
 * with `--sim` an in-process kd sim (built-in schemas, built-in controllers on a fast clock), for
 * demos and CI. Either way the result is a client, the executor's clock, the default namespace,
 * a retry feed for `retry` events, the release ports over that client, and `close()`.
 */
import { systemClock, type ClusterClock } from '../cluster/clock.js';
import { connectCluster } from '../cluster/connect.js';
import type { ClusterClient } from '../cluster/types.js';
import { builtInSource } from '../io/schema-sources.js';
import { builtinControllers, ScaledClock } from '../sim/controllers/index.js';
import { startSim } from '../sim/server.js';
import { ApplySetInventory } from './inventory.js';
import type { ReleasePorts } from './ports.js';
import { inventoryFor, openStorage, type StorageChoice } from './release/storage.js';
import { RetryFeed } from './run-apply.js';

export interface ApplyTargetRequest {
  sim: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env: NodeJS.ProcessEnv;
  /** kd's version, for records and the ApplySet tooling annotation. */
  version: string;
  /** Simulated milliseconds per real one under `--sim`. Default 20 (a 1 s pod start takes 50 ms). */
  simSpeed?: number;
  /** Client-side rate limit (`--qps`, `--burst`); otherwise none, like kubectl (see cluster/rate-limiter.ts). */
  qps?: number;
  burst?: number;
  /** Revisions a release keeps (`--history-max`); 0 keeps all. Default 10. */
  historyMax?: number;
  /** Where records and the lock live (`--storage`, `--storage-namespace`); default Secrets in the release's namespace. */
  storage?: StorageChoice;
}

export interface ApplyTarget {
  client: ClusterClient;
  clock: ClusterClock;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** `kd-sim (in-process)` or the context name. */
  description: string;
  retries: RetryFeed;
  ports: ReleasePorts;
  /** The storage the ports use. */
  storage: StorageChoice;
  close(): Promise<void>;
}

export async function openApplyTarget(request: ApplyTargetRequest): Promise<ApplyTarget> {
  const retries = new RetryFeed();
  if (request.sim) {
    const simClock = new ScaledClock({ speed: request.simSpeed ?? 20 });
    const sim = await startSim({ schemaSource: builtInSource(), clock: simClock, controllers: builtinControllers() });
    try {
      const session = await connectCluster({
        kubeconfigText: sim.kubeconfig(request.namespace === undefined ? {} : { namespace: request.namespace }),
        env: {},
        cacheDir: false,
        onRetry: retries.push,
        ...rateLimit(request),
      });
      const clock = scaledClusterClock(simClock);
      return {
        client: session.client,
        clock,
        namespace: session.connection.namespace,
        description: `kd sim (in-process, ${sim.url})`,
        retries,
        ports: releasePorts(session.client, clock, request.version, { ...historyOf(request), storage: storageOf(request) }),
        storage: storageOf(request),
        async close() {
          session.close();
          await sim.stop();
          simClock.dispose();
        },
      };
    } catch (error) {
      await sim.stop();
      simClock.dispose();
      throw error;
    }
  }
  const session = await connectCluster({
    env: request.env,
    onRetry: retries.push,
    ...rateLimit(request),
    ...(request.kubeconfig === undefined ? {} : { kubeconfig: request.kubeconfig }),
    ...(request.context === undefined ? {} : { context: request.context }),
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
  });
  return {
    client: session.client,
    clock: systemClock,
    namespace: session.connection.namespace,
    description: `context ${session.connection.context}`,
    retries,
    ports: releasePorts(session.client, systemClock, request.version, { ...historyOf(request), storage: storageOf(request) }),
    storage: storageOf(request),
    close: async () => session.close(),
  };
}

function rateLimit(request: ApplyTargetRequest): { qps?: number; burst?: number } {
  return { ...(request.qps === undefined ? {} : { qps: request.qps }), ...(request.burst === undefined ? {} : { burst: request.burst }) };
}

function historyOf(request: ApplyTargetRequest): { historyMax?: number } {
  return request.historyMax === undefined ? {} : { historyMax: request.historyMax };
}

function storageOf(request: ApplyTargetRequest): StorageChoice {
  return request.storage ?? { kind: 'secret' };
}

/** The release store, lock and inventory of kd, over one client. */
export function releasePorts(client: ClusterClient, clock: ClusterClock, version: string, options: { historyMax?: number; storage?: StorageChoice } = {}): ReleasePorts {
  const { store, lock } = openStorage(options.storage ?? { kind: 'secret' }, { client, clock, kdVersion: version, ...(options.historyMax === undefined ? {} : { historyMax: options.historyMax }) });
  return { releases: store, lock, inventory: inventoryFor(options.storage ?? { kind: 'secret' }, client, version) };
}

/** The executor's clock on a simulator's scaled time, so timeouts match what the simulator does. */
export function scaledClusterClock(simClock: ScaledClock): ClusterClock {
  return {
    now: () => simClock.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          cancel();
          reject(signal!.reason);
        };
        const cancel = simClock.setTimer(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
