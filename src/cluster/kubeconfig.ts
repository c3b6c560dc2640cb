/**
 * Which cluster, as whom, in which namespace — decided the way kubectl (client-go's clientcmd)
 * decides it, with our own small loader (js-yaml's event parser; no Kubernetes client library):
 *  1. `--kubeconfig FILE` alone (it must exist); else every file in `KUBECONFIG` (path-list,
 *     missing files skipped, duplicates dropped), merged so that the first file to set
 *     `current-context`, or a cluster, user or context name, wins (clientcmd's merge: map keys
 *     are never overwritten); else `~/.kube/config`;
 *  2. when none of those exists and the process runs in a pod, the in-cluster service account;
 *  3. `--context` over `current-context`;
 *  4. namespace: `-n/--namespace`, else the context's, else (in a pod) the service account's,
 *     else `default`.
 * Relative paths (certificate-authority, client-certificate, client-key, tokenFile, and an exec
 * command that contains a path separator) are resolved against the folder of the file that
 * names them (clientcmd's ResolveLocalPaths), before merging.
 *
 * Errors never quote the file's content (it holds tokens and keys): a malformed file is named
 * with a line and column and the kind of mistake, a wrong shape with the key's path only.
 * Credentials are turned into request headers and TLS material in credentials.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentError, usageError, type KdError } from '../errors.js';
import { parseSimpleDocument } from '../manifest/simple-yaml.js';
import { jsYamlLibrary } from '../manifest/yaml-library.js';
import { resolveCoreScalar } from '../manifest/yaml-schema.js';

export interface KubeconfigRequest {
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** Kubeconfig YAML given directly (e.g. `kd sim`'s); wins over files. Relative paths in it are resolved against the current folder. */
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

/** A cluster entry, paths absolute. Field names follow client-go's api.Cluster. */
export interface KubeconfigCluster {
  name: string;
  server: string;
  certificateAuthority?: string;
  certificateAuthorityData?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  disableCompression: boolean;
  /** `extensions[name=client.authentication.k8s.io/exec].extension`: handed to exec plugins. */
  execExtension?: unknown;
}

export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

export interface ExecConfig {
  /** Absolute when the kubeconfig named a path (it contained a separator); else looked up in PATH. */
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  /** As written ('' when unset and not defaulted); checked when the user is used. */
  interactiveMode: ExecInteractiveMode | (string & {});
}

/** A user entry, paths absolute. Field names follow client-go's api.AuthInfo. */
export interface KubeconfigUser {
  name: string;
  token?: string;
  tokenFile?: string;
  clientCertificate?: string;
  clientCertificateData?: Buffer;
  clientKey?: string;
  clientKeyData?: Buffer;
  username?: string;
  password?: string;
  impersonate?: string;
  impersonateUid?: string;
  impersonateGroups?: string[];
  impersonateUserExtra?: Record<string, string[]>;
  exec?: ExecConfig;
  /** Legacy `auth-provider`: only `oidc`'s current id-token is used (see credentials.ts). */
  authProvider?: { name: string; config: Record<string, string> };
}

export interface ClusterConnection {
  /** The context in use (`in-cluster` for the service account). */
  context: string;
  clusterName: string;
  userName: string;
  /** The API server URL, without a trailing slash. */
  server: string;
  cluster: KubeconfigCluster;
  /** Undefined when the context names no user (no credentials). */
  user: KubeconfigUser | undefined;
  namespace: string;
  namespaceSource: NamespaceSource;
  /** The kubeconfig files that were read, in precedence order. */
  files: string[];
  inCluster: boolean;
}

interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace: string;
}

/** One file after reading and resolving its paths; entries keep their order. */
interface KubeconfigFile {
  file: string;
  currentContext: string;
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const EXEC_API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** Where kubectl would look, in precedence order, and whether the list was asked for explicitly. */
export function kubeconfigPaths(request: KubeconfigRequest): { files: string[]; explicit: boolean; fromEnv: boolean } {
  const env = request.env ?? process.env;
  if (request.kubeconfig) return { files: [request.kubeconfig], explicit: true, fromEnv: false };
  const list = env.KUBECONFIG;
  if (list) return { files: [...new Set(list.split(path.delimiter).filter((f) => f !== ''))], explicit: false, fromEnv: true };
  const home = request.home ?? env.HOME ?? os.homedir();
  return { files: [path.join(home, '.kube', 'config')], explicit: false, fromEnv: false };
}

export async function loadKubeconfig(request: KubeconfigRequest = {}): Promise<ClusterConnection> {
  const env = request.env ?? process.env;
  const layers: KubeconfigFile[] = [];
  if (request.kubeconfigText !== undefined) {
    layers.push(parseKubeconfig(request.kubeconfigText, 'the kubeconfig given', process.cwd()));
  } else {
    const paths = kubeconfigPaths(request);
    for (const file of paths.files) {
      if (!existsSync(file)) {
        if (paths.explicit) throw usageError(`kubeconfig ${file} does not exist`, 'check the path given to --kubeconfig');
        continue;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw environmentError(`kubeconfig ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'read error'}`, 'fix its permissions, or point --kubeconfig or KUBECONFIG at another file');
      }
      layers.push(parseKubeconfig(text, `kubeconfig ${file}`, path.dirname(path.resolve(file)), file));
    }
    if (layers.length === 0) {
      const inCluster = inClusterConfig(env, request.inClusterRoot ?? '');
      if (inCluster) return finishInCluster(inCluster, request);
      const looked = paths.fromEnv ? `KUBECONFIG (${paths.files.join(path.delimiter)}) names no existing file` : `${paths.files[0]} does not exist`;
      throw environmentError(`no kubeconfig found: ${looked}, and kd is not running inside a cluster`, 'set KUBECONFIG or pass --kubeconfig, or use --sim to try kd against its embedded simulator');
    }
  }
  const files = layers.map((l) => l.file).filter((f) => f !== '');
  const merged = mergeLayers(layers);

  const contextName = request.context ?? merged.currentContext;
  const where = files.length > 0 ? files.join(', ') : 'the kubeconfig given';
  const available = [...merged.contexts.keys()];
  if (!contextName) {
    throw environmentError(
      `no current context in ${where}${available.length > 0 ? `; available: ${available.join(', ')}` : ''}`,
      available.length > 0 ? `pass --context ${available[0]}, or run \`kubectl config use-context NAME\`` : 'add a context to the kubeconfig (kubectl config set-context)',
    );
  }
  const context = merged.contexts.get(contextName);
  if (!context) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    const message = `context ${contextName} not found in kubeconfig; available: ${list}`;
    const hint = `${request.context !== undefined ? 'pass one of the available contexts to --context' : 'fix current-context, or pass --context'} (kubectl config get-contexts lists them)`;
    throw request.context !== undefined ? usageError(message, hint) : environmentError(message, hint);
  }
  const cluster = merged.clusters.get(context.cluster);
  if (!cluster) {
    throw environmentError(
      `context ${contextName} refers to cluster ${context.cluster || '""'}, which is not in the kubeconfig (${where})`,
      'add the cluster (kubectl config set-cluster) or fix the context',
    );
  }
  const user = context.user ? merged.users.get(context.user) : undefined;
  if (context.user && !user) {
    throw environmentError(`context ${contextName} refers to user ${context.user}, which is not in the kubeconfig (${where})`, 'add the user (kubectl config set-credentials) or fix the context');
  }
  validateCluster(cluster, where);
  if (user) validateUser(user, where);
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
    context: contextName,
    clusterName: cluster.name,
    userName: context.user,
    server: cluster.server.replace(/\/+$/, ''),
    cluster,
    user,
    namespace,
    namespaceSource,
    files,
    inCluster: false,
  };
}

/** First file wins for current-context and for every named entry (clientcmd's merge rule). */
function mergeLayers(layers: readonly KubeconfigFile[]): Omit<KubeconfigFile, 'file'> {
  const clusters = new Map<string, KubeconfigCluster>();
  const users = new Map<string, KubeconfigUser>();
  const contexts = new Map<string, KubeconfigContext>();
  let currentContext = '';
  for (const layer of layers) {
    if (!currentContext && layer.currentContext) currentContext = layer.currentContext;
    for (const [k, v] of layer.clusters) if (!clusters.has(k)) clusters.set(k, v);
    for (const [k, v] of layer.users) if (!users.has(k)) users.set(k, v);
    for (const [k, v] of layer.contexts) if (!contexts.has(k)) contexts.set(k, v);
  }
  return { clusters, users, contexts, currentContext };
}

/** The checks clientcmd's ConfirmUsable makes, for the entries in use only (others may be incomplete). */
function validateCluster(cluster: KubeconfigCluster, where: string): void {
  const fix = `fix cluster ${cluster.name} in ${where} (kubectl config set-cluster)`;
  if (!cluster.server) throw environmentError(`no server found for cluster ${cluster.name}`, fix);
  if (cluster.certificateAuthority && cluster.certificateAuthorityData)
    throw environmentError(`certificate-authority-data and certificate-authority are both specified for ${cluster.name}`, `${fix}: keep one of them`);
  if (cluster.insecureSkipTLSVerify && (cluster.certificateAuthority || cluster.certificateAuthorityData))
    throw environmentError(`cluster ${cluster.name} sets both insecure-skip-tls-verify and a certificate authority; kubectl refuses that too (specifying a root certificates file with the insecure flag is not allowed)`, fix);
  if (cluster.proxyUrl !== undefined) {
    let scheme: string;
    try {
      scheme = new URL(cluster.proxyUrl).protocol;
    } catch {
      throw environmentError(`cluster ${cluster.name} has a proxy-url that is not a URL`, fix);
    }
    if (!['http:', 'https:', 'socks5:'].includes(scheme)) throw environmentError(`cluster ${cluster.name} has a proxy-url with the unsupported scheme ${JSON.stringify(scheme.replace(/:$/, ''))}; it must be http, https, or socks5`, fix);
  }
}

function validateUser(user: KubeconfigUser, where: string): void {
  const fix = `fix user ${user.name} in ${where} (kubectl config set-credentials)`;
  const hasCert = user.clientCertificate !== undefined || user.clientCertificateData !== undefined;
  const hasKey = user.clientKey !== undefined || user.clientKeyData !== undefined;
  if (hasCert) {
    if (user.clientCertificate !== undefined && user.clientCertificateData !== undefined) throw environmentError(`client-certificate-data and client-certificate are both specified for ${user.name}`, `${fix}: keep one of them`);
    if (user.clientKey !== undefined && user.clientKeyData !== undefined) throw environmentError(`client-key-data and client-key are both specified for ${user.name}`, `${fix}: keep one of them`);
    if (!hasKey) throw environmentError(`client-key-data or client-key must be specified for ${user.name} to use the clientCert authentication method`, fix);
  }
  if ((user.impersonateUid || user.impersonateGroups?.length || Object.keys(user.impersonateUserExtra ?? {}).length) && !user.impersonate)
    throw environmentError(`requesting uid, groups or user-extra for ${user.name} without impersonating a user`, `${fix}: set as, or drop as-uid, as-groups and as-user-extra`);
  const methods: string[] = [];
  if (user.token !== undefined || user.tokenFile !== undefined) methods.push('token');
  if (user.username !== undefined || user.password !== undefined) methods.push('basicAuth');
  if (methods.length > 1) throw environmentError(`more than one authentication method found for ${user.name}; found ${methods.join(', ')}, only one is allowed`, fix);
  if (user.exec) {
    if (user.authProvider) throw environmentError(`authProvider cannot be provided in combination with an exec plugin for ${user.name}`, fix);
    if (!user.exec.command) throw environmentError(`command must be specified for ${user.name} to use exec authentication plugin`, fix);
    if (!user.exec.apiVersion) throw environmentError(`apiVersion must be specified for ${user.name} to use exec authentication plugin`, fix);
    if (!EXEC_API_VERSIONS.has(user.exec.apiVersion)) throw environmentError(`exec plugin of user ${user.name}: invalid apiVersion ${JSON.stringify(user.exec.apiVersion)} (kd supports client.authentication.k8s.io/v1 and v1beta1)`, fix);
    for (const e of user.exec.env) if (!e.name) throw environmentError(`env variable name must be specified for ${user.name} to use exec authentication plugin`, fix);
    const mode = user.exec.interactiveMode;
    if (mode === '') throw environmentError(`interactiveMode must be specified for ${user.name} to use exec authentication plugin`, `${fix}: Never, IfAvailable or Always (client.authentication.k8s.io/v1 has no default)`);
    if (mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') throw environmentError(`invalid interactiveMode for ${user.name}: ${JSON.stringify(mode)}`, `${fix}: Never, IfAvailable or Always`);
  }
}

// ---- parsing ----------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

class ShapeError extends Error {}

/**
 * Parses one kubeconfig. `label` names it in errors ("kubeconfig /path"); `base` is the folder
 * relative paths are resolved against; `file` is recorded as where it came from.
 */
export function parseKubeconfig(text: string, label: string, base: string, file = ''): KubeconfigFile {
  const fail = (what: string): KdError => environmentError(`${label} cannot be read: ${what}`, 'fix the file, or point --kubeconfig or KUBECONFIG at another one');
  // An empty file is an empty config, as in clientcmd.
  if (text.trim() === '') return { file, currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
  const root = readYaml(text, fail);
  if (root === null || root === undefined) return { file, currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
  try {
    return shape(root, base, file);
  } catch (e) {
    if (e instanceof ShapeError) throw fail(e.message);
    throw e;
  }
}

/**
 * The file's one document, read with the parsers the manifests are read with: simple-yaml.ts for
 * plain block YAML (what kubectl writes), else js-yaml, loaded only then (the `yaml` library cost
 * each cluster command ~10 ms more, js-yaml ~5). YAML 1.2's core schema (js-yaml's default) as
 * before: `yes` stays a string here. Duplicate keys are allowed, the last one winning, as
 * clientcmd's non-strict decoding allows them (simple-yaml leaves such a file to js-yaml).
 */
function readYaml(text: string, fail: (what: string) => KdError): unknown {
  const simple = parseSimpleDocument(text, 100, resolveCoreScalar);
  if (simple) return simple.value;
  // Only the position and the kind of mistake: a parser's message can quote the lines around it.
  const invalid = (offset: number, what: string) => {
    const at = lineColumn(text, offset);
    return fail(`invalid YAML at line ${at.line}, column ${at.col} (${what})`);
  };
  let values: unknown[];
  const { constructFromEvents, EVENT_ID, parseEvents, YAMLException } = jsYamlLibrary();
  try {
    const events = parseEvents(text, { maxDepth: 100 });
    let documents = 0;
    for (const event of events) {
      if (event.type !== EVENT_ID.DOCUMENT || ++documents < 2) continue;
      // Where the second document starts: its `---` line (kubectl reads only the first; kd refuses to guess).
      const next = events[events.indexOf(event) + 1];
      const first = next && 'start' in next ? next.start : next && 'valueStart' in next ? next.valueStart : text.length;
      const marker = text.lastIndexOf('---', first);
      throw invalid(marker >= 0 ? marker : first, 'multiple docs');
    }
    values = constructFromEvents(events, { source: text, json: true, maxAliases: 100 });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const reason = error.reason || error.message;
    if (/maxAliases/.test(reason)) throw fail('invalid YAML (too many aliases)');
    if (/maxDepth/.test(reason)) throw invalid(error.mark?.position ?? 0, 'nested too deeply');
    throw invalid(error.mark?.position ?? 0, /^[a-z ]*[a-z]/.exec(reason.toLowerCase())?.[0] ?? 'syntax error');
  }
  return values[0];
}

function lineColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

function shape(root: unknown, base: string, file: string): KubeconfigFile {
  const top = obj(root, '(top level)');
  const out: KubeconfigFile = { file, currentContext: str(top, 'current-context', '') ?? '', clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const { name, body: c, at } of namedEntries(top, 'clusters', 'cluster', out.clusters)) {
    const cluster: KubeconfigCluster = {
      name,
      server: normalizeServer(str(c, 'server', at) ?? ''),
      insecureSkipTLSVerify: bool(c, 'insecure-skip-tls-verify', at),
      disableCompression: bool(c, 'disable-compression', at),
    };
    setDefined(cluster, 'certificateAuthority', resolvePath(str(c, 'certificate-authority', at), base));
    setDefined(cluster, 'certificateAuthorityData', bytes(c, 'certificate-authority-data', at));
    setDefined(cluster, 'tlsServerName', str(c, 'tls-server-name', at));
    setDefined(cluster, 'proxyUrl', str(c, 'proxy-url', at));
    for (const [j, ext] of list(c, 'extensions', at).entries()) {
      if (ext['name'] === EXEC_EXTENSION) cluster.execExtension = ext['extension'];
      void j;
    }
    out.clusters.set(name, cluster);
  }
  for (const { name, body: u, at } of namedEntries(top, 'users', 'user', out.users)) {
    const user: KubeconfigUser = { name };
    setDefined(user, 'token', str(u, 'token', at));
    setDefined(user, 'tokenFile', resolvePath(str(u, 'tokenFile', at), base));
    setDefined(user, 'clientCertificate', resolvePath(str(u, 'client-certificate', at), base));
    setDefined(user, 'clientCertificateData', bytes(u, 'client-certificate-data', at));
    setDefined(user, 'clientKey', resolvePath(str(u, 'client-key', at), base));
    setDefined(user, 'clientKeyData', bytes(u, 'client-key-data', at));
    setDefined(user, 'username', str(u, 'username', at));
    setDefined(user, 'password', str(u, 'password', at));
    setDefined(user, 'impersonate', str(u, 'as', at));
    setDefined(user, 'impersonateUid', str(u, 'as-uid', at));
    if (u['as-groups'] !== undefined && u['as-groups'] !== null) user.impersonateGroups = strings(u['as-groups'], `${at}.as-groups`);
    if (u['as-user-extra'] !== undefined && u['as-user-extra'] !== null) {
      const extra = obj(u['as-user-extra'], `${at}.as-user-extra`);
      user.impersonateUserExtra = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strings(v ?? [], `${at}.as-user-extra.${k}`)]));
    }
    if (u['auth-provider'] !== undefined && u['auth-provider'] !== null) {
      const ap = obj(u['auth-provider'], `${at}.auth-provider`);
      const config = obj(ap['config'] ?? {}, `${at}.auth-provider.config`);
      user.authProvider = {
        name: str(ap, 'name', `${at}.auth-provider`) ?? '',
        config: Object.fromEntries(Object.keys(config).map((k) => [k, str(config, k, `${at}.auth-provider.config`) ?? ''])),
      };
    }
    if (u['exec'] !== undefined && u['exec'] !== null) user.exec = execConfig(obj(u['exec'], `${at}.exec`), `${at}.exec`, base);
    out.users.set(name, user);
  }
  for (const { name, body: c, at } of namedEntries(top, 'contexts', 'context', out.contexts)) {
    out.contexts.set(name, { name, cluster: str(c, 'cluster', at) ?? '', user: str(c, 'user', at) ?? '', namespace: str(c, 'namespace', at) ?? '' });
  }
  return out;
}

function execConfig(e: Obj, at: string, base: string): ExecConfig {
  const apiVersion = str(e, 'apiVersion', at) ?? '';
  let command = str(e, 'command', at) ?? '';
  // Only a command with a path separator is a path (clientcmd): a bare name is looked up in PATH.
  if (command.includes(path.sep) || command.includes('/')) command = resolvePath(command, base) ?? command;
  // clientcmd's defaulting: only the beta API has an implied mode; v1 must say (checked on use).
  const mode = str(e, 'interactiveMode', at) ?? '';
  const interactiveMode = mode === '' && apiVersion === 'client.authentication.k8s.io/v1beta1' ? 'IfAvailable' : mode;
  const env = list(e, 'env', at).map((v, i) => ({ name: str(v, 'name', `${at}.env[${i}]`) ?? '', value: str(v, 'value', `${at}.env[${i}]`) ?? '' }));
  const out: ExecConfig = {
    command,
    args: e['args'] === undefined || e['args'] === null ? [] : strings(e['args'], `${at}.args`),
    env,
    apiVersion,
    provideClusterInfo: bool(e, 'provideClusterInfo', at),
    interactiveMode,
  };
  const hint = str(e, 'installHint', at);
  if (hint !== undefined) out.installHint = cleanControlCharacters(hint);
  return out;
}

/** clientcmd's cleanANSIEscapeCodes: a hint printed to a terminal cannot carry escape sequences. */
function cleanControlCharacters(s: string): string {
  return s.replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z}\t\n\v\f\r]/gu, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** clientcmd keeps the server as written; a server without a scheme is reached over plain http (rest.DefaultServerURL). */
function normalizeServer(server: string): string {
  if (server === '') return '';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`;
}

function resolvePath(p: string | undefined, base: string): string | undefined {
  if (p === undefined || p === '') return undefined;
  return path.isAbsolute(p) ? p : path.join(base, p);
}

/**
 * The entries of one of a kubeconfig's named lists (`clusters`, `users`, `contexts`): each one's
 * name (present and unique among those already in `seen`), its inner mapping (`cluster`, `user`,
 * `context`; empty when absent) and that mapping's place for messages. Lazy, so that the caller
 * records an entry in `seen` before the next one's name is checked.
 */
function* namedEntries(top: Obj, section: string, field: string, seen: Map<string, unknown>): Generator<{ name: string; body: Obj; at: string }> {
  for (const [i, named] of list(top, section).entries()) {
    const where = `${section}[${i}]`;
    const name = entryName(named, where, section, seen);
    const at = `${where}.${field}`;
    yield { name, body: obj(named[field] ?? {}, at), at };
  }
}

function entryName(named: Obj, where: string, section: string, seen: Map<string, unknown>): string {
  const name = str(named, 'name', where) ?? '';
  if (name === '') throw new ShapeError(`${where}.name is missing`);
  if (seen.has(name)) throw new ShapeError(`${section} has two entries named ${name}`);
  return name;
}

function obj(value: unknown, at: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(`${at} must be a mapping`);
  return value as Obj;
}

function list(o: Obj, key: string, at?: string): Obj[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  const where = at ? `${at}.${key}` : key;
  if (!Array.isArray(v)) throw new ShapeError(`${where} must be a list`);
  return v.map((item, i) => obj(item, `${where}[${i}]`));
}

function str(o: Obj, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ShapeError(`${at === '(top level)' || at === '' ? key : `${at}.${key}`} must be a string`);
}

function strings(v: unknown, at: string): string[] {
  if (!Array.isArray(v)) throw new ShapeError(`${at} must be a list of strings`);
  return v.map((s, i) => {
    if (typeof s === 'string') return s;
    if (typeof s === 'number' || typeof s === 'boolean') return String(s);
    throw new ShapeError(`${at}[${i}] must be a string`);
  });
}

function bool(o: Obj, key: string, at: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  throw new ShapeError(`${at}.${key} must be true or false`);
}

/** `[]byte` fields are base64 in the file. */
function bytes(o: Obj, key: string, at: string): Buffer | undefined {
  const v = str(o, key, at);
  if (v === undefined || v === '') return undefined;
  const compact = v.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw new ShapeError(`${at}.${key} is not valid base64`);
  return Buffer.from(compact, 'base64');
}

function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

// ---- in-cluster -------------------------------------------------------------------------------

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

function finishInCluster(ic: InCluster, request: KubeconfigRequest): ClusterConnection {
  if (request.context !== undefined && request.context !== 'in-cluster')
    throw usageError(`context ${request.context} not found in kubeconfig; available: in-cluster (no kubeconfig file exists, so kd uses the pod's service account)`);
  const name = 'in-cluster';
  const namespace = request.namespace || ic.namespace || 'default';
  const namespaceSource: NamespaceSource = request.namespace ? 'flag' : ic.namespace ? 'service-account' : 'default';
  return {
    context: name,
    clusterName: name,
    userName: name,
    server: ic.server,
    // rest.InClusterConfig: the CA file and a token file that is re-read as it rotates.
    cluster: { name, server: ic.server, certificateAuthority: ic.caFile, insecureSkipTLSVerify: false, disableCompression: false },
    user: { name, tokenFile: ic.tokenFile },
    namespace,
    namespaceSource,
    files: [],
    inCluster: true,
  };
}
