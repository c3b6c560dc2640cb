/**
 * Which cluster, as whom, in which namespace — decided the way kubectl decides it:
 *  1. `--kubeconfig FILE` alone; else every file in `KUBECONFIG` (path-list, missing files
 *     skipped), merged with the first file winning for `current-context` and for each named
 *     cluster, user and context; else `~/.kube/config`;
 *  2. when none of those exists and the process runs in a pod, the in-cluster service account;
 *  3. `--context` over `current-context`;
 *  4. namespace: `-n/--namespace`, else the context's, else (in a pod) the service account's,
 *     else `default`.
 * Relative certificate and token paths are resolved against the file that names them.
 *
 * @kubernetes/client-node is loaded lazily: offline commands never pay for it.
 * Errors are KdErrors that say what is wrong and what to do about it.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { environmentError, usageError } from '../errors.js';

export interface KubeconfigRequest {
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** Kubeconfig YAML given directly (e.g. `kd sim`'s); wins over files. */
  kubeconfigText?: string;
  /** `--context`. */
  context?: string;
  /** `-n/--namespace`. */
  namespace?: string;
  /** Home folder for `~/.kube/config`; defaults to `HOME` or the OS's. */
  home?: string;
  /** Prefix of the service-account folder, for tests of in-cluster config. Default ''. */
  inClusterRoot?: string;
}

export type NamespaceSource = 'flag' | 'context' | 'service-account' | 'default';

export interface ClusterConnection {
  kubeConfig: KubeConfig;
  /** The context in use (`in-cluster` for the service account). */
  context: string;
  clusterName: string;
  userName: string;
  /** The API server URL, without a trailing slash. */
  server: string;
  namespace: string;
  namespaceSource: NamespaceSource;
  /** The kubeconfig files that were read, in precedence order. */
  files: string[];
  inCluster: boolean;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Where kubectl would look, in precedence order, and whether the list was asked for explicitly. */
export function kubeconfigPaths(request: KubeconfigRequest): { files: string[]; explicit: boolean; fromEnv: boolean } {
  const env = request.env ?? process.env;
  if (request.kubeconfig) return { files: [request.kubeconfig], explicit: true, fromEnv: false };
  const list = env.KUBECONFIG;
  if (list) return { files: dedupe(list.split(path.delimiter).filter((f) => f !== '')), explicit: false, fromEnv: true };
  const home = request.home ?? env.HOME ?? os.homedir();
  return { files: [path.join(home, '.kube', 'config')], explicit: false, fromEnv: false };
}

function dedupe(files: string[]): string[] {
  return [...new Set(files)];
}

interface Layer {
  file: string;
  config: KubeConfig;
}

export async function loadKubeconfig(request: KubeconfigRequest = {}): Promise<ClusterConnection> {
  const env = request.env ?? process.env;
  const { KubeConfig } = await import('@kubernetes/client-node');
  const layers: Layer[] = [];
  let files: string[] = [];
  if (request.kubeconfigText !== undefined) {
    const kc = new KubeConfig();
    try {
      kc.loadFromString(request.kubeconfigText);
    } catch (e) {
      throw environmentError(`the kubeconfig given cannot be read: ${(e as Error).message}`);
    }
    layers.push({ file: '<kubeconfig text>', config: kc });
  } else {
    const paths = kubeconfigPaths(request);
    for (const file of paths.files) {
      if (!existsSync(file)) {
        if (paths.explicit) throw usageError(`kubeconfig ${file} does not exist`, 'check the path given to --kubeconfig');
        continue;
      }
      const kc = new KubeConfig();
      try {
        kc.loadFromFile(file);
      } catch (e) {
        throw environmentError(`kubeconfig ${file} cannot be read: ${(e as Error).message}`, 'fix the file, or point --kubeconfig or KUBECONFIG at another one');
      }
      layers.push({ file, config: kc });
      files.push(file);
    }
    if (layers.length === 0) {
      const inCluster = inClusterConfig(env, request.inClusterRoot ?? '');
      if (inCluster) return finishInCluster(new KubeConfig(), inCluster, request);
      const looked = paths.fromEnv ? `KUBECONFIG (${paths.files.join(path.delimiter)}) names no existing file` : `${paths.files[0]} does not exist`;
      throw environmentError(`no kubeconfig found: ${looked}, and kd is not running inside a cluster`, 'set KUBECONFIG or pass --kubeconfig, or use --sim to try kd against its embedded simulator');
    }
  }
  files = layers.map((l) => l.file).filter((f) => f !== '<kubeconfig text>');

  const merged = mergeLayers(layers);
  const kc = new KubeConfig();
  kc.loadFromOptions(merged);

  const contextName = request.context ?? merged.currentContext;
  const where = files.length > 0 ? files.join(', ') : 'the kubeconfig given';
  const available = merged.contexts.map((c) => c.name);
  if (!contextName) {
    throw environmentError(
      `no current context in ${where}${available.length > 0 ? `; available: ${available.join(', ')}` : ''}`,
      available.length > 0 ? `pass --context ${available[0]}, or run \`kubectl config use-context NAME\`` : 'add a context to the kubeconfig (kubectl config set-context)',
    );
  }
  const context = merged.contexts.find((c) => c.name === contextName);
  if (!context) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    const message = `context ${contextName} not found in kubeconfig; available: ${list}`;
    const hint = `${request.context !== undefined ? 'pass one of the available contexts to --context' : 'fix current-context, or pass --context'} (kubectl config get-contexts lists them)`;
    throw request.context !== undefined ? usageError(message, hint) : environmentError(message, hint);
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster);
  if (!cluster) {
    throw environmentError(
      `context ${contextName} refers to cluster ${context.cluster || '""'}, which is not in the kubeconfig (${where})`,
      'add the cluster (kubectl config set-cluster) or fix the context',
    );
  }
  if (context.user && !merged.users.some((u) => u.name === context.user)) {
    throw environmentError(`context ${contextName} refers to user ${context.user}, which is not in the kubeconfig (${where})`, 'add the user (kubectl config set-credentials) or fix the context');
  }
  kc.setCurrentContext(contextName);
  let namespace: string;
  let namespaceSource: NamespaceSource;
  if (request.namespace) {
    namespace = request.namespace;
    namespaceSource = 'flag';
  } else if (context.namespace) {
    namespace = context.namespace;
    namespaceSource = 'context';
  } else {
    namespace = 'default';
    namespaceSource = 'default';
  }
  return {
    kubeConfig: kc,
    context: contextName,
    clusterName: cluster.name,
    userName: context.user,
    server: cluster.server.replace(/\/+$/, ''),
    namespace,
    namespaceSource,
    files,
    inCluster: false,
  };
}

/** First file wins for current-context and for every named entry (kubectl's merge rule). */
function mergeLayers(layers: readonly Layer[]): { clusters: Cluster[]; users: User[]; contexts: Context[]; currentContext: string } {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const { config } of layers) {
    if (!currentContext && config.currentContext) currentContext = config.currentContext;
    for (const c of config.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of config.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of config.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  return { clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext };
}

interface InCluster {
  server: string;
  caFile: string;
  tokenFile: string;
  namespace?: string;
}

/** The service account's config when running in a pod (host and port env, token file present). */
export function inClusterConfig(env: Readonly<Record<string, string | undefined>>, root = ''): InCluster | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const dir = `${root}${SERVICE_ACCOUNT_DIR}`;
  const tokenFile = `${dir}/token`;
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const out: InCluster = { server: `https://${h}:${port}`, caFile: `${dir}/ca.crt`, tokenFile };
  try {
    const ns = readFileSync(`${dir}/namespace`, 'utf8').trim();
    if (ns) out.namespace = ns;
  } catch {
    // no namespace file: `default`, as kubectl does
  }
  return out;
}

function finishInCluster(kc: KubeConfig, ic: InCluster, request: KubeconfigRequest): ClusterConnection {
  if (request.context !== undefined && request.context !== 'in-cluster')
    throw usageError(`context ${request.context} not found in kubeconfig; available: in-cluster (no kubeconfig file exists, so kd uses the pod's service account)`);
  const name = 'in-cluster';
  const context: Context = { name, cluster: name, user: name };
  kc.loadFromOptions({
    clusters: [{ name, server: ic.server, caFile: ic.caFile, skipTLSVerify: false }],
    users: [{ name, authProvider: { name: 'tokenFile', config: { tokenFile: ic.tokenFile } } }],
    contexts: [context],
    currentContext: name,
  });
  const namespace = request.namespace || ic.namespace || 'default';
  const namespaceSource: NamespaceSource = request.namespace ? 'flag' : ic.namespace ? 'service-account' : 'default';
  return { kubeConfig: kc, context: name, clusterName: name, userName: name, server: ic.server, namespace, namespaceSource, files: [], inCluster: true };
}
