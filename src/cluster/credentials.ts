/**
 * From a resolved kubeconfig context to what goes on the wire, by client-go's rules
 * (clientcmd's ClientConfig, rest.Config, transport):
 *  - Credentials and server identification are used only for an https server: to a plain
 *    `http://` server kd sends no token, password, client certificate or exec credential, and
 *    runs no exec plugin, as kubectl does ("only try to read the auth information if we are
 *    secure"). Impersonation headers and the proxy apply either way.
 *  - TLS: CA, client certificate and key from `-data` or from files (data wins), `insecure-skip-
 *    tls-verify`, `tls-server-name`.
 *  - User: `token` and/or `tokenFile` (the file wins while readable; it is re-read at most once a
 *    minute, whitespace trimmed, as client-go's cachingTokenSource), else basic auth; the exec
 *    plugin only when the user has no token, basic auth or client certificate.
 *  - Exec plugin (client.authentication.k8s.io/v1 and v1beta1): the process environment plus
 *    `env`, `args`, `KUBERNETES_EXEC_INFO` (with the cluster when `provideClusterInfo`), stdin
 *    only when interactive (`interactiveMode`: Never; IfAvailable when stdin is a terminal;
 *    Always, which fails without one), stderr passed through; the credential is cached until its
 *    `expirationTimestamp` and the plugin runs again after a 401 with it. A missing command is
 *    reported with the `installHint`.
 * Error messages name files and users, never a credential.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { environmentError, KdError } from '../errors.js';
import { systemClock, type ClusterClock } from './clock.js';
import type { ClusterConnection, ExecConfig, KubeconfigCluster, KubeconfigUser } from './kubeconfig.js';
import { proxyFromEnvironment, type Env } from './proxy.js';
import type { ServerCredentials } from './transport.js';

// node:child_process (with net and dgram behind it) and node:tty are loaded only for an exec
// plugin: most kubeconfigs (certificates, tokens, kd sim's) never run one, and every cluster
// command reaches this module (issue 17).
const builtin = createRequire(import.meta.url);
const isatty = (fd: number): boolean => (builtin('node:tty') as typeof import('node:tty')).isatty(fd);

export interface CredentialOptions {
  /** The process environment: proxies, and the base of an exec plugin's. Default `process.env`. */
  env?: Env;
  clock?: ClusterClock;
  /** Whether standard input is a terminal (exec interactiveMode). Default: whether fd 0 is a TTY. */
  stdinIsTerminal?: boolean;
}

/** How long a token read from `tokenFile` is used before the file is read again (client-go's period). */
export const TOKEN_FILE_PERIOD_MS = 60_000;

export function credentialsForConnection(connection: ClusterConnection, options: CredentialOptions = {}): ServerCredentials {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const { cluster, user } = connection;
  const server = new URL(connection.server);
  const proxy = cluster.proxyUrl !== undefined ? new URL(cluster.proxyUrl) : proxyFromEnvironment(server, env);
  const impersonation = impersonationHeaders(user);
  if (server.protocol !== 'https:') {
    return { server: connection.server, tls: {}, ...(proxy ? { proxy } : {}), headers: async () => ({ ...impersonation }) };
  }
  const tls: ServerCredentials['tls'] = {};
  const ca = cluster.certificateAuthorityData ?? readPem(cluster.certificateAuthority, `certificate-authority of cluster ${cluster.name}`);
  if (ca) tls.ca = ca;
  if (cluster.insecureSkipTLSVerify) tls.rejectUnauthorized = false;
  if (cluster.tlsServerName) tls.servername = cluster.tlsServerName;
  if (!user) return { server: connection.server, tls, ...(proxy ? { proxy } : {}), headers: async () => ({ ...impersonation }) };

  const cert = user.clientCertificateData ?? readPem(user.clientCertificate, `client-certificate of user ${user.name}`);
  const key = user.clientKeyData ?? readPem(user.clientKey, `client-key of user ${user.name}`);
  if (cert && key) {
    tls.cert = cert;
    tls.key = key;
  }
  const base = { server: connection.server, tls, ...(proxy ? { proxy } : {}) };

  if (user.token !== undefined || user.tokenFile !== undefined) {
    const bearer = bearerSource(user, clock);
    return { ...base, headers: async () => ({ ...impersonation, Authorization: `Bearer ${bearer()}` }) };
  }
  if (user.username !== undefined || user.password !== undefined) {
    const basic = `Basic ${Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64')}`;
    return { ...base, headers: async () => ({ ...impersonation, Authorization: basic }) };
  }
  if (user.authProvider?.name === 'oidc') {
    const token = oidcIdToken(user.name, user.authProvider.config, clock);
    return { ...base, headers: async () => ({ ...impersonation, Authorization: `Bearer ${token}` }) };
  }
  if (user.authProvider) {
    // kubectl itself dropped gcp and azure (1.26): they name their exec plugins.
    throw environmentError(
      `user ${user.name} uses the auth-provider ${user.authProvider.name || '(unnamed)'}, which kd does not support`,
      'use the provider\'s exec credential plugin (e.g. gke-gcloud-auth-plugin, kubelogin), as current kubectl versions require',
    );
  }
  if (user.exec && !(cert && key)) {
    const plugin = new ExecPlugin(user.exec, user.name, cluster, server, env, clock, options.stdinIsTerminal ?? isatty(0));
    return {
      ...base,
      headers: async () => {
        const c = await plugin.credential();
        return c.token ? { ...impersonation, Authorization: `Bearer ${c.token}` } : { ...impersonation };
      },
      clientCertificate: async () => {
        const c = await plugin.credential();
        return c.cert && c.key ? { cert: c.cert, key: c.key } : undefined;
      },
      unauthorized: (sent) => plugin.rejected(sent),
    };
  }
  return { ...base, headers: async () => ({ ...impersonation }) };
}

/**
 * The oidc auth-provider's `id-token` while it is valid. kubectl would refresh an expired one
 * with the refresh-token at the issuer and write it back into the kubeconfig; kd does not write
 * kubeconfigs, so it says how to get a fresh one instead.
 */
function oidcIdToken(userName: string, config: Record<string, string>, clock: ClusterClock): string {
  const token = config['id-token'] ?? '';
  let exp: number | undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') exp = payload.exp * 1000;
  } catch {
    // not a JWT: treated as missing below
  }
  if (!token || exp === undefined || exp <= clock.now())
    throw environmentError(
      `the oidc id-token of user ${userName} is ${token ? (exp === undefined ? 'not a JWT with an expiry' : 'expired') : 'missing'}; kd does not refresh oidc tokens`,
      'run any kubectl command with this context (kubectl refreshes the token and saves it in the kubeconfig), or switch to an exec plugin such as kubelogin',
    );
  return token;
}

function readPem(file: string | undefined, what: string): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw environmentError(`unable to read the ${what}: ${file}: ${(e as NodeJS.ErrnoException).code ?? 'read error'}`, 'fix the path in the kubeconfig (relative paths are relative to the kubeconfig file)');
  }
}

function impersonationHeaders(user: KubeconfigUser | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!user?.impersonate) return out;
  out['Impersonate-User'] = user.impersonate;
  if (user.impersonateUid) out['Impersonate-Uid'] = user.impersonateUid;
  // One header line per value (an array): the API server does not split a line on commas.
  if (user.impersonateGroups?.length) out['Impersonate-Group'] = user.impersonateGroups;
  for (const [k, values] of Object.entries(user.impersonateUserExtra ?? {})) if (values.length) out[`Impersonate-Extra-${encodeURIComponent(k)}`] = values;
  return out;
}

/**
 * The bearer token: the file's (trimmed, re-read at most every TOKEN_FILE_PERIOD_MS; the last
 * good one while it cannot be read) over the literal `token`, as client-go's
 * NewBearerAuthWithRefreshRoundTripper.
 */
function bearerSource(user: KubeconfigUser, clock: ClusterClock): () => string {
  const file = user.tokenFile;
  if (file === undefined) return () => user.token ?? '';
  let cached: string | undefined;
  let readAt = -Infinity;
  const read = (): string | undefined => {
    try {
      const t = readFileSync(file, 'utf8').trim();
      return t === '' ? undefined : t;
    } catch {
      return undefined;
    }
  };
  const first = read();
  if (first === undefined && user.token === undefined)
    throw environmentError(`cannot read a token from the tokenFile of user ${user.name}: ${file} is missing, unreadable or empty`, 'fix the path in the kubeconfig (relative paths are relative to the kubeconfig file)');
  cached = first;
  readAt = clock.now();
  return () => {
    if (clock.now() - readAt >= TOKEN_FILE_PERIOD_MS) {
      const fresh = read();
      if (fresh !== undefined) cached = fresh;
      readAt = clock.now();
    }
    return cached ?? user.token ?? '';
  };
}

interface ExecCredential {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** ms since the epoch; undefined: until rejected. */
  expiresAt?: number;
}

class ExecPlugin {
  #cached: ExecCredential | undefined;
  #running: Promise<ExecCredential> | undefined;

  constructor(
    readonly config: ExecConfig,
    readonly userName: string,
    readonly cluster: KubeconfigCluster,
    readonly server: URL,
    readonly env: Env,
    readonly clock: ClusterClock,
    readonly stdinIsTerminal: boolean,
  ) {}

  credential(): Promise<ExecCredential> {
    const c = this.#cached;
    if (c && (c.expiresAt === undefined || this.clock.now() <= c.expiresAt)) return Promise.resolve(c);
    // One run at a time: concurrent requests share it (the plugin may be interactive).
    this.#running ??= this.#run().then(
      (fresh) => {
        this.#cached = fresh;
        this.#running = undefined;
        return fresh;
      },
      (e: unknown) => {
        this.#running = undefined;
        throw e;
      },
    );
    return this.#running;
  }

  /** The server answered 401 to `sent` (the Authorization header used): run the plugin again next time, unless it already was. */
  rejected(sent: string | undefined): void {
    const c = this.#cached;
    if (!c) return;
    if (sent === undefined || !c.token || sent === `Bearer ${c.token}`) this.#cached = undefined;
  }

  #interactive(): boolean {
    switch (this.config.interactiveMode) {
      case 'Never':
        return false;
      case 'IfAvailable':
        return this.stdinIsTerminal;
      case 'Always':
        if (!this.stdinIsTerminal) throw this.#error('exec plugin cannot support interactive mode: standard input is not a terminal', 'run kd in a terminal, or set interactiveMode to IfAvailable or Never in the kubeconfig');
        return true;
      default:
        throw this.#error(`unknown interactiveMode: ${JSON.stringify(this.config.interactiveMode)}`);
    }
  }

  #execInfo(interactive: boolean): string {
    const spec: Record<string, unknown> = { interactive };
    if (this.config.provideClusterInfo) {
      const c = this.cluster;
      const cluster: Record<string, unknown> = { server: c.server };
      if (c.tlsServerName) cluster['tls-server-name'] = c.tlsServerName;
      if (c.insecureSkipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
      let ca = c.certificateAuthorityData;
      if (!ca && c.certificateAuthority) ca = readPem(c.certificateAuthority, `certificate-authority of cluster ${c.name}`);
      if (ca) cluster['certificate-authority-data'] = ca.toString('base64');
      if (c.proxyUrl) cluster['proxy-url'] = c.proxyUrl;
      if (c.disableCompression) cluster['disable-compression'] = true;
      if (c.execExtension !== undefined) cluster['config'] = c.execExtension;
      spec['cluster'] = cluster;
    }
    return JSON.stringify({ kind: 'ExecCredential', apiVersion: this.config.apiVersion, spec });
  }

  #error(message: string, hint?: string): KdError {
    return environmentError(`the credential plugin of user ${this.userName} failed: ${message}`, hint ?? `check the exec section of user ${this.userName} in the kubeconfig`);
  }

  async #run(): Promise<ExecCredential> {
    const interactive = this.#interactive();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) env[k] = v;
    for (const e of this.config.env) env[e.name] = e.value;
    env['KUBERNETES_EXEC_INFO'] = this.#execInfo(interactive);
    const command = this.config.command;
    const { spawn } = builtin('node:child_process') as typeof import('node:child_process');
    const { stdout, code, spawnError } = await new Promise<{ stdout: string; code: number | null; spawnError?: NodeJS.ErrnoException }>((resolve) => {
      const chunks: Buffer[] = [];
      let child;
      try {
        child = spawn(command, this.config.args, { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
      } catch (e) {
        resolve({ stdout: '', code: null, spawnError: e as NodeJS.ErrnoException });
        return;
      }
      child.stdout!.on('data', (c: Buffer) => chunks.push(c));
      child.once('error', (e: NodeJS.ErrnoException) => resolve({ stdout: '', code: null, spawnError: e }));
      child.once('close', (exitCode) => resolve({ stdout: Buffer.concat(chunks).toString('utf8'), code: exitCode }));
    });
    if (spawnError) {
      if (spawnError.code === 'ENOENT' || spawnError.code === 'EACCES')
        throw this.#error(`exec: executable ${command} not found${spawnError.code === 'EACCES' ? ' (or not executable)' : ''}`, this.config.installHint?.trim() || 'install the plugin, or fix the command in the kubeconfig (a path with a slash is relative to the kubeconfig file)');
      throw this.#error(`exec: ${spawnError.message}`);
    }
    if (code !== 0) throw this.#error(`exec: executable ${command} failed with exit code ${code ?? 'unknown (killed by a signal)'}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout);
    } catch {
      // Never quote the output: it is a credential when it is anything at all.
      throw this.#error('decoding stdout: the plugin did not print an ExecCredential as JSON');
    }
    const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (o['kind'] !== 'ExecCredential' || typeof o['apiVersion'] !== 'string') throw this.#error('decoding stdout: the plugin did not print an ExecCredential (apiVersion and kind)');
    if (o['apiVersion'] !== this.config.apiVersion) throw this.#error(`exec plugin is configured to use API version ${this.config.apiVersion}, plugin returned version ${o['apiVersion']}`);
    const status = o['status'];
    if (typeof status !== 'object' || status === null) throw this.#error("exec plugin didn't return a status field");
    const s = status as Record<string, unknown>;
    const token = typeof s['token'] === 'string' ? s['token'] : '';
    const certData = typeof s['clientCertificateData'] === 'string' ? s['clientCertificateData'] : '';
    const keyData = typeof s['clientKeyData'] === 'string' ? s['clientKeyData'] : '';
    if (!token && !certData && !keyData) throw this.#error("exec plugin didn't return a token or cert/key pair");
    if (!certData !== !keyData) throw this.#error('exec plugin returned only certificate or key, not both');
    const out: ExecCredential = {};
    if (token) out.token = token;
    if (certData) {
      out.cert = Buffer.from(certData);
      out.key = Buffer.from(keyData);
    }
    if (typeof s['expirationTimestamp'] === 'string') {
      const at = Date.parse(s['expirationTimestamp']);
      if (Number.isNaN(at)) throw this.#error('exec plugin returned an expirationTimestamp that is not an RFC 3339 time');
      out.expiresAt = at;
    }
    return out;
  }
}
