/**
 * From flags to a working client: resolve the kubeconfig (kubeconfig.ts), derive credentials,
 * and wire the transport (rate limit, retries), discovery (disk-cached per server) and the
 * client. This is the one place that knows the defaults: no client-side rate limit (kubectl's
 * effective default; see rate-limiter.ts for the source), burst 10 when `--qps` is given,
 * discovery TTL 6 hours, cache folder `$XDG_CACHE_HOME/kd`.
 */
import path from 'node:path';
import { environmentError, KdError } from '../errors.js';
import type { ClusterClock, RandomSource } from './clock.js';
import { KubeClient } from './client.js';
import { Discovery } from './discovery.js';
import { DiskCache, kdCacheDir, serverFolderName } from './disk-cache.js';
import { loadKubeconfig, type ClusterConnection, type KubeconfigRequest } from './kubeconfig.js';
import { DEFAULT_BURST, DEFAULT_RATE_LIMIT } from './rate-limiter.js';
import type { RetryOptions } from './retry.js';
import { ClusterSchemaSource } from './schema-source.js';
import { credentialsForConnection } from './credentials.js';
import { HttpTransport, type RetryNotice } from './transport.js';

export interface ConnectOptions extends KubeconfigRequest {
  /** Requests per second after the burst (`--qps`); 0 disables limiting. Default 0, like kubectl. */
  qps?: number;
  /** Requests allowed at once before QPS applies (`--burst`). Default 10 (client-go's). */
  burst?: number;
  retry?: Partial<RetryOptions>;
  /** Per-request timeout in ms (`--request-timeout`). Default 60 s. */
  timeoutMs?: number;
  /** Cache root; default `$XDG_CACHE_HOME/kd` or `~/.cache/kd`. `false` disables the disk cache. */
  cacheDir?: string | false;
  discoveryTtlMs?: number;
  clock?: ClusterClock;
  random?: RandomSource;
  userAgent?: string;
  onRetry?: (notice: RetryNotice) => void;
  onWarning?: (warning: string) => void;
}

export interface ConnectedCluster {
  connection: ClusterConnection;
  client: KubeClient;
  /** The live-cluster schema source (lazy: nothing is fetched until the registry asks). */
  schemaSource: ClusterSchemaSource;
  close(): void;
}

export async function connectCluster(options: ConnectOptions = {}): Promise<ConnectedCluster> {
  const connection = await loadKubeconfig(options);
  let credentials;
  try {
    credentials = credentialsForConnection(connection, { env: options.env ?? process.env, ...(options.clock ? { clock: options.clock } : {}) });
  } catch (e) {
    if (e instanceof KdError) throw e;
    throw environmentError(`the credentials of context ${connection.context} cannot be used: ${(e as Error).message}`, 'check the user entry of the context in the kubeconfig');
  }
  const transport = new HttpTransport({
    credentials,
    rateLimit: { qps: options.qps ?? DEFAULT_RATE_LIMIT.qps, burst: options.burst ?? DEFAULT_BURST },
    userAgent: options.userAgent ?? 'kubectl-kd',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  const cacheRoot = options.cacheDir === false ? undefined : options.cacheDir ?? kdCacheDir(options.env ?? process.env, options.home);
  const cache = cacheRoot === undefined ? undefined : new DiskCache(path.join(cacheRoot, serverFolderName(connection.server)));
  const discovery = new Discovery({
    transport,
    ...(cache ? { cache } : {}),
    ...(options.discoveryTtlMs !== undefined ? { ttlMs: options.discoveryTtlMs } : {}),
  });
  const client = new KubeClient({ transport, discovery, namespace: connection.namespace, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  const schemaSource = new ClusterSchemaSource({ transport, name: connection.context, ...(cache ? { cache } : {}) });
  return { connection, client, schemaSource, close: () => client.close() };
}
