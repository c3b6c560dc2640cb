/**
 * The composition layer's one opener: from kubectl-style choices (a kubeconfig context, or
 * `--sim`) to everything a command works on — the client, the executor's clock, the default
 * namespace, a retry feed, and the release ports (record store, lock, inventory) built once over
 * that client — and `close()`. apply, `apply --watch`, drift (once per context), history, list,
 * rollback, recover and delete all open their target here; the shells only turn flags into a
 * `SessionRequest`.
 *
 * The connection under it (connection.ts) is the one every command opens, ports or not:
 * `--sim` starts kd sim exactly as `kubectl kd sim` does (sim/embedded.ts), so the core
 * validator stands behind its writes and `--sim` rejects what the simulator command rejects.
 */
import type { ClusterClock } from '../cluster/clock.js';
import type { ClusterClient } from '../cluster/types.js';
import { RetryFeed } from '../apply/retry-feed.js';
import type { ReleasePorts } from '../apply/ports.js';
import type { ApplyDeps } from '../apply/run-apply.js';
import { releasePorts, type StoragePorts, type StorageChoice } from '../apply/release/storage.js';
import { openConnection, type ConnectionRequest } from './connection.js';

export { SIM_COMMAND_SPEED } from './connection.js';

export interface SessionRequest extends ConnectionRequest {
  /** kd's version, for records and the ApplySet tooling annotation. */
  version: string;
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

/** A connection (connection.ts) with the release ports built once over its client. */
export async function openSession(request: SessionRequest): Promise<Session> {
  const { client, clock, namespace, context, description, retries, close } = await openConnection(request);
  return sessionOver(client, request, { clock, namespace, context, description, retries, close });
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

