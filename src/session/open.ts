/**
 * The composition layer's one opener: from kubectl-style choices (a kubeconfig context, or
 * `--sim`) to everything a command works on — the client, the executor's clock, the default
 * namespace, a retry feed, and the release ports (record store, lock, inventory) built once over
 * that client — and `close()`. apply, `apply --watch`, drift (once per context), history, list,
 * rollback, recover and delete all open their target here; the shells only turn flags into a
 * `SessionRequest`.
 *
 * `--sim` starts kd sim exactly as `kubectl kd sim` does (sim/embedded.ts), so the core
 * validator stands behind its writes and `--sim` rejects what the simulator command rejects.
 * The simulator is loaded only under `--sim`: it is most of the core's code, and a command
 * against a real cluster should not pay for loading it.
 */
import { systemClock, type ClusterClock } from '../cluster/clock.js';
import { connectCluster } from '../cluster/connect.js';
import type { ClusterClient } from '../cluster/types.js';
import { RetryFeed } from '../apply/retry-feed.js';
import type { ReleasePorts } from '../apply/ports.js';
import type { ApplyDeps } from '../apply/run-apply.js';
import { releasePorts, type StoragePorts, type StorageChoice } from '../apply/release/storage.js';
import { builtInSource } from '../io/schema-sources.js';
import type { ScaledClock } from '../sim/controllers/index.js';

export interface SessionRequest {
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
  /**
   * Aborts the record store's own requests (history, list, recover, delete, drift). Left unset
   * for apply and rollback: after an interrupt their run still marks its revision failed.
   */
  signal?: AbortSignal;
}

export interface Session {
  client: ClusterClient;
  clock: ClusterClock;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** The context name as reports name it; `kd-sim` under `--sim`. */
  context: string;
  /** `kd sim (in-process, URL)` or `context NAME`. */
  description: string;
  retries: RetryFeed;
  /** The record store, the lock and the inventory of the chosen storage, over `client`. */
  ports: StoragePorts;
  /** The storage the ports use. */
  storage: StorageChoice;
  close(): Promise<void>;
}

/** The simulator's default speed for commands: a 1 s pod start takes 50 ms. */
export const SIM_COMMAND_SPEED = 20;

export async function openSession(request: SessionRequest): Promise<Session> {
  const retries = new RetryFeed();
  if (request.sim) {
    const { startEmbeddedSim } = await import('../sim/embedded.js');
    const sim = await startEmbeddedSim({ schemaSource: builtInSource(), speed: request.simSpeed ?? SIM_COMMAND_SPEED });
    try {
      const cluster = await connectCluster({
        kubeconfigText: sim.kubeconfig(request.namespace === undefined ? {} : { namespace: request.namespace }),
        env: {},
        cacheDir: false,
        onRetry: retries.push,
        ...rateLimit(request),
      });
      return sessionOver(cluster.client, request, {
        clock: scaledClusterClock(sim.clock),
        namespace: cluster.connection.namespace,
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
  return sessionOver(cluster.client, request, {
    clock: systemClock,
    namespace: cluster.connection.namespace,
    context: cluster.connection.context,
    description: `context ${cluster.connection.context}`,
    retries,
    close: async () => cluster.close(),
  });
}

/**
 * A session over a client that is already connected: the ports built once for the request's
 * storage. `openSession` ends here; tests that hold a client of their own start here too.
 */
export function sessionOver(
  client: ClusterClient,
  request: Pick<SessionRequest, 'version' | 'historyMax' | 'storage' | 'signal'>,
  rest: Omit<Session, 'client' | 'ports' | 'storage' | 'retries'> & { retries?: RetryFeed },
): Session {
  const storage = request.storage ?? { kind: 'secret' };
  return {
    ...rest,
    client,
    retries: rest.retries ?? new RetryFeed(),
    storage,
    ports: releasePorts(client, rest.clock, request.version, {
      storage,
      ...(request.historyMax === undefined ? {} : { historyMax: request.historyMax }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    }),
  };
}

/** What a run takes of a session; rollback swaps in ports that tolerate a corrupt deployed record. */
export type ExecutorTarget = Pick<Session, 'client' | 'clock' | 'retries'> & { ports: ReleasePorts };

/** What the executor needs of a session for one run, stopped by `signal`. */
export function executorDeps(session: ExecutorTarget, signal: AbortSignal): ApplyDeps {
  return { client: session.client, clock: session.clock, signal, ports: session.ports, retries: session.retries };
}

function rateLimit(request: SessionRequest): { qps?: number; burst?: number } {
  return { ...(request.qps === undefined ? {} : { qps: request.qps }), ...(request.burst === undefined ? {} : { burst: request.burst }) };
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
