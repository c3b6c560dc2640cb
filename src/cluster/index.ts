/** The cluster layer's public surface: connect from kubeconfig flags, then use `ClusterClient`. */
export type * from './types.js';
export { connectCluster, type ConnectOptions, type ConnectedCluster } from './connect.js';
export { loadKubeconfig, kubeconfigPaths, inClusterConfig, type ClusterConnection, type KubeconfigRequest, type NamespaceSource, type KubeconfigCluster, type KubeconfigUser, type ExecConfig } from './kubeconfig.js';
export { credentialsForConnection, TOKEN_FILE_PERIOD_MS, type CredentialOptions } from './credentials.js';
export { proxyFromEnvironment } from './proxy.js';
export { KubeClient, FIELD_MANAGER, type KubeClientOptions } from './client.js';
export { Discovery, DEFAULT_DISCOVERY_TTL_MS, type ApiResource, type DiscoveryMode, type DiscoveryOptions } from './discovery.js';
export { HttpTransport, type HttpRequest, type HttpResponse, type RetryNotice, type ServerCredentials, type TransportOptions } from './transport.js';
export { ClusterRequestError, UnknownResourceError, type ClusterFailure, type FieldConflict } from './errors.js';
export type { KubeStatus, StatusCause } from '../model/status.js';
export { TokenBucket, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limiter.js';
export { DEFAULT_RETRY, isRetryable, retryDelayMs, type RetryClass, type RetryOptions } from './retry.js';
export { systemClock, type ClusterClock, type RandomSource } from './clock.js';
export { DiskCache, kdCacheDir, serverFolderName } from './disk-cache.js';
export { ClusterSchemaSource, listCustomResourceDefinitions, type ClusterSchemaSourceOptions } from './schema-source.js';
