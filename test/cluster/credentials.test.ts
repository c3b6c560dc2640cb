/**
 * Kubeconfig credentials against kd sim, by kubectl's rules: nothing secret to a plain http
 * server; tokenFile (trimmed, re-read each minute) and certificate files relative to the
 * kubeconfig's folder; client certificates, CA, tls-server-name, insecure-skip-tls-verify;
 * exec plugins (args, env, KUBERNETES_EXEC_INFO, caching, re-run after 401, installHint,
 * interactiveMode); proxies (proxy-url, HTTPS_PROXY/NO_PROXY, CONNECT, absolute-form, socks5);
 * and errors that never quote a credential.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { KdError } from '../../src/errors.js';
import { connectCluster, credentialsForConnection, loadKubeconfig, proxyFromEnvironment, type ConnectedCluster, type ConnectOptions } from '../../src/cluster/index.js';
import { FakeClock, startTestSim, type TestSim } from './support/sim.js';
import { startHttpProxy, startSocksProxy } from './support/proxy.js';
import { runKdAsync } from '../cli/run-kd.js';

const TOKEN = 'kd-test-bearer-7f3a9c';
const PASSWORD = 'hunter2-kd-secret';
let dir: string;
let tok: TestSim; // https, bearer token
let cert: TestSim; // https, client certificate
let plain: TestSim; // http, bearer token required
let ca: string; // PEM of the https sims' CA (each sim has its own)
let certCa: string;
let clientCert: string;
let clientKey: string;

const NS = { group: '', version: 'v1', kind: 'Namespace', name: 'kube-system' } as const;
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function simPort(t: TestSim): string {
  return new URL(t.sim.url).port;
}

function writeKubeconfig(folder: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const d = path.join(dir, folder);
  mkdirSync(d, { recursive: true });
  const file = path.join(d, 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'c', cluster }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      users: [{ name: 'u', user }],
    }),
  );
  return file;
}

async function connect(kubeconfig: string, options: Partial<ConnectOptions> = {}): Promise<ConnectedCluster> {
  return connectCluster({ kubeconfig, env: baseEnv, cacheDir: false, retry: { maxRetries: 0 }, ...options });
}

async function outcome(kubeconfig: string, options: Partial<ConnectOptions> = {}): Promise<string> {
  let session: ConnectedCluster | undefined;
  try {
    session = await connect(kubeconfig, options);
    await session.client.get(NS);
    return 'ok';
  } catch (e) {
    const err = e as KdError & { code?: number };
    return err.code === 401 ? '401' : `${err.kind}: ${err.message}`;
  } finally {
    session?.close();
  }
}

/** Every credential used in this file: none may appear in any message kd gives. */
function expectNoSecret(text: string): void {
  for (const secret of [TOKEN, PASSWORD, 'wrong-token-1', 'MIIB', 'BEGIN', 'LS0tLS1CRUdJTi']) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-credentials-'));
  [tok, cert, plain] = await Promise.all([
    // The proxy tests reach the sims under a name no DNS resolves, which they must answer to.
    startTestSim({ tls: true, token: TOKEN, hostNames: ['kd-sim.invalid'] }),
    startTestSim({ tls: true }),
    startTestSim({ token: TOKEN, insecureHttp: true, hostNames: ['kd-sim.invalid'] }),
  ]);
  ca = Buffer.from((parse(tok.sim.kubeconfig()) as { clusters: Array<{ cluster: Record<string, string> }> }).clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString();
  const c = parse(cert.sim.kubeconfig()) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
  certCa = Buffer.from(c.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString();
  clientCert = Buffer.from(c.users[0]!.user['client-certificate-data']!, 'base64').toString();
  clientKey = Buffer.from(c.users[0]!.user['client-key-data']!, 'base64').toString();
});
afterAll(async () => {
  await Promise.all([tok?.stop(), cert?.stop(), plain?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('no credentials over plain http', () => {
  it('sends no bearer token, password or exec credential to an http:// server, as kubectl', async () => {
    // The sim wants the token; kd has it but must not send it over http: 401.
    expect(await outcome(writeKubeconfig('http-token', { server: plain.sim.url }, { token: TOKEN }))).toBe('401');
    expect(await outcome(writeKubeconfig('http-basic', { server: plain.sim.url }, { username: 'admin', password: PASSWORD }))).toBe('401');
    // The exec plugin is not even run.
    const marker = path.join(dir, 'http-exec-ran');
    const plugin = path.join(dir, 'http-exec.sh');
    writeFileSync(plugin, `#!/bin/sh\ntouch '${marker}'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}"}}'\n`);
    chmodSync(plugin, 0o755);
    expect(await outcome(writeKubeconfig('http-exec', { server: plain.sim.url }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } }))).toBe('401');
    expect(existsSync(marker)).toBe(false);
    // A server without a scheme is plain http too (rest.DefaultServerURL).
    expect(await outcome(writeKubeconfig('http-noscheme', { server: `127.0.0.1:${simPort(plain)}` }, { token: TOKEN }))).toBe('401');
    // The same token over https works.
    expect(await outcome(writeKubeconfig('https-token', { server: tok.sim.url, 'certificate-authority-data': Buffer.from(ca).toString('base64') }, { token: TOKEN }))).toBe('ok');
  });

  it('the wire shows no Authorization header to an http server (seen by a proxy in between)', async () => {
    const proxy = await startHttpProxy();
    try {
      const kc = writeKubeconfig('http-wire', { server: `http://kd-sim.invalid:${simPort(plain)}`, 'proxy-url': proxy.url }, { token: TOKEN, as: 'jane', 'as-groups': ['dev', 'ops, oncall'] });
      expect(await outcome(kc)).toBe('401');
      expect(proxy.seen[0]).toBe(`GET http://kd-sim.invalid:${simPort(plain)}/api`);
      expect(proxy.headers.every((h) => h.authorization === undefined)).toBe(true);
      // Impersonation is not a credential: kubectl sends it either way.
      expect(proxy.headers[0]!['impersonate-user']).toBe('jane');
      // One header line per group (the API server does not split a line on commas).
      const raw = proxy.rawHeaders[0]!;
      expect(raw.filter((_, i) => i % 2 === 0 && raw[i]!.toLowerCase() === 'impersonate-group').length).toBe(2);
      expect(raw.filter((v, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'impersonate-group')).toEqual(['dev', 'ops, oncall']);
    } finally {
      await proxy.stop();
    }
  });
});

describe('paths relative to the kubeconfig file', () => {
  it('reads tokenFile and certificate-authority next to the kubeconfig, whatever the current folder, and trims the token', async () => {
    const kc = writeKubeconfig('rel-token', { server: tok.sim.url, 'certificate-authority': 'pki/ca.crt' }, { tokenFile: 'secrets/token' });
    mkdirSync(path.join(dir, 'rel-token', 'pki'));
    mkdirSync(path.join(dir, 'rel-token', 'secrets'));
    writeFileSync(path.join(dir, 'rel-token', 'pki', 'ca.crt'), ca);
    writeFileSync(path.join(dir, 'rel-token', 'secrets', 'token'), `${TOKEN}\n`);
    expect(process.cwd()).not.toBe(path.join(dir, 'rel-token'));
    expect(await outcome(kc)).toBe('ok');
    // Through KUBECONFIG as well, listed after another file.
    const other = writeKubeconfig('rel-other', { server: 'https://127.0.0.1:1' }, { token: 'x' });
    const merged = await loadKubeconfig({ env: { KUBECONFIG: [kc, other].join(path.delimiter) } });
    expect(merged.user?.tokenFile).toBe(path.join(dir, 'rel-token', 'secrets', 'token'));
  });

  it('re-reads tokenFile after a minute, like client-go, not on every request', async () => {
    const kc = writeKubeconfig('rotate', { server: tok.sim.url, 'certificate-authority-data': Buffer.from(ca).toString('base64') }, { tokenFile: 'token' });
    const file = path.join(dir, 'rotate', 'token');
    writeFileSync(file, 'wrong-token-1\n');
    const clock = new FakeClock();
    const session = await connect(kc, { clock });
    try {
      await expect(session.client.get(NS)).rejects.toMatchObject({ code: 401 });
      writeFileSync(file, `  ${TOKEN}\r\n`);
      clock.time += 30_000;
      await expect(session.client.serverVersion()).rejects.toMatchObject({ code: 401 });
      clock.time += 30_000;
      expect(await session.client.get(NS)).toBeDefined();
    } finally {
      session.close();
    }
  });

  it('client-certificate and client-key files, tls-server-name and insecure-skip-tls-verify', async () => {
    const folder = path.join(dir, 'certs');
    mkdirSync(path.join(folder, 'pki'), { recursive: true });
    writeFileSync(path.join(folder, 'pki', 'ca.crt'), certCa);
    writeFileSync(path.join(folder, 'pki', 'client.crt'), clientCert);
    writeFileSync(path.join(folder, 'pki', 'client.key'), clientKey);
    const user = { 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' };
    expect(await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'certificate-authority': 'pki/ca.crt' }, user))).toBe('ok');
    // The server's certificate names 127.0.0.1 and localhost: tls-server-name decides which name is checked.
    expect(await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'certificate-authority': 'pki/ca.crt', 'tls-server-name': 'localhost' }, user))).toBe('ok');
    const wrongName = await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'certificate-authority': 'pki/ca.crt', 'tls-server-name': 'api.example.com' }, user));
    expect(wrongName).toMatch(/^cluster: .*cannot reach the cluster at .*api\.example\.com/);
    // Without the CA the server is not trusted, unless verification is skipped.
    expect(await outcome(writeKubeconfig('certs', { server: cert.sim.url }, user))).toMatch(/^cluster: .*cannot reach the cluster at .*(self-signed|issuer|unable to verify)/);
    expect(await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'insecure-skip-tls-verify': true }, user))).toBe('ok');
    // kubectl refuses a CA together with insecure-skip-tls-verify; so does kd.
    expect(await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'insecure-skip-tls-verify': true, 'certificate-authority': 'pki/ca.crt' }, user))).toMatch(/insecure/);
    // A missing file is named, relative to the kubeconfig.
    const missing = await outcome(writeKubeconfig('certs', { server: cert.sim.url, 'certificate-authority': 'pki/ca.crt' }, { 'client-certificate': 'pki/nope.crt', 'client-key': 'pki/client.key' }));
    expect(missing).toBe(`environment: unable to read the client-certificate of user u: ${path.join(folder, 'pki', 'nope.crt')}: ENOENT`);
  });
});

describe('exec credential plugins', () => {
  const v1 = 'client.authentication.k8s.io/v1';
  let pluginDir: string;
  let log: string;
  beforeAll(() => {
    pluginDir = path.join(dir, 'exec', 'bin');
    mkdirSync(pluginDir, { recursive: true });
    log = path.join(dir, 'exec', 'runs.log');
    // Real-world shape: a shell script printing an ExecCredential; it logs each run with its
    // arguments, one env variable and the KUBERNETES_EXEC_INFO it was given.
    writeFileSync(
      path.join(pluginDir, 'kd-auth.sh'),
      `#!/bin/sh
printf '%s|%s|%s\\n' "$*" "$KD_TEAM" "$KUBERNETES_EXEC_INFO" >> '${log}'
runs=$(wc -l < '${log}')
token="$1"
[ -f '${log}.exp' ] && EXP=$(cat '${log}.exp')
if [ "$2" = "first-wrong" ] && [ "$runs" -eq 1 ]; then token=wrong-token-1; fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' "$API" "$token" "$EXP"
`,
    );
    chmodSync(path.join(pluginDir, 'kd-auth.sh'), 0o755);
  });
  const reset = () => {
    rmSync(log, { force: true });
    rmSync(`${log}.exp`, { force: true });
  };
  const runs = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  const kubeconfigWith = (exec: Record<string, unknown>) =>
    writeKubeconfig('exec', { server: tok.sim.url, 'certificate-authority-data': Buffer.from(ca).toString('base64'), extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kd-tests' } }] }, { exec });

  it('runs ./bin/kd-auth.sh relative to the kubeconfig with args, env and cluster info; caches until expiry', async () => {
    reset();
    const kc = kubeconfigWith({
      apiVersion: v1,
      command: './bin/kd-auth.sh',
      args: [TOKEN, 'always-right'],
      env: [
        { name: 'KD_TEAM', value: 'payments' },
        { name: 'API', value: v1 },
        { name: 'EXP', value: '1970-01-01T00:30:00Z' },
      ],
      provideClusterInfo: true,
      interactiveMode: 'IfAvailable',
    });
    const clock = new FakeClock(); // 1970-01-01T00:16:40Z
    const session = await connect(kc, { clock });
    try {
      expect(await session.client.get(NS)).toBeDefined();
      expect(await session.client.get({ ...NS, name: 'default' })).toBeDefined();
      expect(runs()).toHaveLength(1);
      const [args, team, info] = runs()[0]!.split('|');
      expect([args, team]).toEqual([`${TOKEN} always-right`, 'payments']);
      expect(JSON.parse(info!)).toEqual({
        kind: 'ExecCredential',
        apiVersion: v1,
        spec: { interactive: false, cluster: { server: tok.sim.url, 'certificate-authority-data': Buffer.from(ca).toString('base64'), config: { audience: 'kd-tests' } } },
      });
      // Past its expirationTimestamp the credential is asked for again (once: the new one is valid for an hour).
      writeFileSync(`${log}.exp`, '1970-01-01T01:30:00Z');
      clock.time = Date.UTC(1970, 0, 1, 0, 31);
      expect(await session.client.get({ ...NS, name: 'kube-public' })).toBeDefined();
      expect(await session.client.get({ ...NS, name: 'default' })).toBeDefined();
      expect(runs()).toHaveLength(2);
    } finally {
      session.close();
    }
  });

  it('runs the plugin again after a 401 with its credential', async () => {
    reset();
    const kc = kubeconfigWith({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/kd-auth.sh', args: [TOKEN, 'first-wrong'], env: [{ name: 'API', value: 'client.authentication.k8s.io/v1beta1' }, { name: 'EXP', value: '2999-01-01T00:00:00Z' }] });
    const session = await connect(kc);
    try {
      await expect(session.client.get(NS)).rejects.toMatchObject({ code: 401 });
      expect(await session.client.get(NS)).toBeDefined();
      expect(runs()).toHaveLength(2);
      // v1beta1 without interactiveMode defaults to IfAvailable; no cluster info unless asked.
      expect(JSON.parse(runs()[0]!.split('|')[2]!)).toEqual({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: { interactive: false } });
    } finally {
      session.close();
    }
  });

  it('shows the installHint when the command is not found, and says what failed otherwise', async () => {
    const hint = 'kd-auth is missing: brew install kd-auth';
    const missing = kubeconfigWith({ apiVersion: v1, command: 'kd-auth-not-installed', installHint: hint, interactiveMode: 'Never' });
    const session = await connect(missing);
    try {
      const e = (await session.client.get(NS).catch((x: unknown) => x)) as KdError;
      expect([e.kind, e.message, e.hint]).toEqual(['environment', 'the credential plugin of user u failed: exec: executable kd-auth-not-installed not found', hint]);
    } finally {
      session.close();
    }
    const wrongVersion = await outcome(kubeconfigWith({ apiVersion: v1, command: './bin/kd-auth.sh', args: [TOKEN], env: [{ name: 'API', value: 'client.authentication.k8s.io/v1beta1' }], interactiveMode: 'Never' }));
    expect(wrongVersion).toBe('environment: the credential plugin of user u failed: exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1');
    // A v1 plugin must say how it may interact (clientcmd's validation).
    const noMode = await outcome(kubeconfigWith({ apiVersion: v1, command: './bin/kd-auth.sh' }));
    expect(noMode).toBe('environment: interactiveMode must be specified for u to use exec authentication plugin');
    // An installHint cannot drive the terminal.
    const escapes = writeKubeconfig('exec', { server: tok.sim.url }, { exec: { apiVersion: v1, command: 'kd-auth-not-installed', interactiveMode: 'Never', installHint: 'run \u001b[2Jsetup\nthen retry' } });
    const e2 = (await connect(escapes).then((s) => s.client.get(NS).finally(() => s.close())).catch((x: unknown) => x)) as KdError;
    expect(e2.hint).toBe('run U+001B[2Jsetup\nthen retry');
  });

  it('interactiveMode Always needs a terminal; Never never hands stdin over', async () => {
    reset();
    const kc = kubeconfigWith({ apiVersion: v1, command: './bin/kd-auth.sh', args: [TOKEN], env: [{ name: 'API', value: v1 }], interactiveMode: 'Always' });
    const connection = await loadKubeconfig({ kubeconfig: kc, env: baseEnv });
    const notTerminal = credentialsForConnection(connection, { env: baseEnv, stdinIsTerminal: false });
    await expect(notTerminal.headers()).rejects.toThrow('exec plugin cannot support interactive mode: standard input is not a terminal');
    const never = credentialsForConnection({ ...connection, user: { ...connection.user!, exec: { ...connection.user!.exec!, interactiveMode: 'Never' } } }, { env: { ...baseEnv, EXP: '2999-01-01T00:00:00Z' }, stdinIsTerminal: true });
    expect((await never.headers())['Authorization']).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(runs()[0]!.split('|')[2]!).spec.interactive).toBe(false);
  });

  it('uses a client certificate returned by the plugin', async () => {
    const credential = path.join(pluginDir, 'cert-credential.json');
    writeFileSync(credential, JSON.stringify({ apiVersion: v1, kind: 'ExecCredential', status: { clientCertificateData: clientCert, clientKeyData: clientKey } }));
    const plugin = path.join(pluginDir, 'cert.sh');
    writeFileSync(plugin, `#!/bin/sh\ncat '${credential}'\n`);
    chmodSync(plugin, 0o755);
    const kc = writeKubeconfig('exec', { server: cert.sim.url, 'certificate-authority-data': Buffer.from(certCa).toString('base64') }, { exec: { apiVersion: v1, command: './bin/cert.sh', interactiveMode: 'Never' } });
    expect(await outcome(kc)).toBe('ok');
    const withoutPlugin = writeKubeconfig('exec', { server: cert.sim.url, 'certificate-authority-data': Buffer.from(certCa).toString('base64') }, {});
    expect(await outcome(withoutPlugin)).toBe('401');
  });

  it('never quotes what a broken plugin printed', async () => {
    const leaky = path.join(pluginDir, 'leaky.sh');
    writeFileSync(leaky, `#!/bin/sh\necho 'token: ${TOKEN} is not json'\n`);
    chmodSync(leaky, 0o755);
    const message = await outcome(kubeconfigWith({ apiVersion: v1, command: './bin/leaky.sh', interactiveMode: 'Never' }));
    expect(message).toBe('environment: the credential plugin of user u failed: decoding stdout: the plugin did not print an ExecCredential as JSON');
    expectNoSecret(message);
  });
});

describe('proxies', () => {
  const caData = () => Buffer.from(ca).toString('base64');

  it.each([
    ['an http proxy, https through CONNECT', startHttpProxy, 'CONNECT'],
    ['a socks5 proxy', startSocksProxy, 'SOCKS'],
  ] as const)('proxy-url with %s reaches a name only the proxy resolves', async (_what, start, tunnel) => {
    const proxy = await start();
    try {
      const kc = writeKubeconfig(`proxy-url-${tunnel}`, { server: `https://kd-sim.invalid:${simPort(tok)}`, 'tls-server-name': 'localhost', 'certificate-authority-data': caData(), 'proxy-url': proxy.url }, { token: TOKEN });
      expect(await outcome(kc)).toBe('ok');
      expect(proxy.seen[0]).toBe(`${tunnel} kd-sim.invalid:${simPort(tok)}`);
      // The token travels inside the tunnel only: the proxy never sees it.
      expect(proxy.headers.every((h) => h.authorization === undefined)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('HTTPS_PROXY is used, but not for loopback servers nor hosts in NO_PROXY', async () => {
    const proxy = await startHttpProxy();
    try {
      const viaName = writeKubeconfig('env-proxy', { server: `https://kd-sim.invalid:${simPort(tok)}`, 'tls-server-name': 'localhost', 'certificate-authority-data': caData() }, { token: TOKEN });
      expect(await outcome(viaName, { env: { ...baseEnv, HTTPS_PROXY: proxy.url } })).toBe('ok');
      expect(await outcome(viaName, { env: { ...baseEnv, https_proxy: proxy.url } })).toBe('ok');
      // (Discovery opens two connections at once.)
      const tunnels = proxy.seen.length;
      expect(tunnels).toBeGreaterThanOrEqual(2);
      expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT kd-sim.invalid:${simPort(tok)}`]));
      // Loopback is reached directly, as Go's ProxyFromEnvironment does.
      const loopback = writeKubeconfig('env-loopback', { server: tok.sim.url, 'certificate-authority-data': caData() }, { token: TOKEN });
      expect(await outcome(loopback, { env: { ...baseEnv, HTTPS_PROXY: proxy.url } })).toBe('ok');
      expect(proxy.seen).toHaveLength(tunnels);
      // HTTP_PROXY is for http servers only.
      expect(await outcome(viaName, { env: { ...baseEnv, HTTP_PROXY: proxy.url, NO_PROXY: '' } })).toMatch(/^cluster: .*cannot reach the cluster/);
      expect(proxy.seen).toHaveLength(tunnels);
    } finally {
      await proxy.stop();
    }
  });

  it('follows Go\'s NO_PROXY matching', () => {
    const p = 'http://proxy.corp:3128';
    const via = (url: string, noProxy: string, extra: Record<string, string> = {}) => proxyFromEnvironment(new URL(url), { HTTPS_PROXY: p, HTTP_PROXY: p, NO_PROXY: noProxy, ...extra })?.href;
    const proxied = 'http://proxy.corp:3128/';
    expect(via('https://api.example.com', '')).toBe(proxied);
    expect(via('https://api.example.com', '*')).toBeUndefined();
    expect(via('https://api.example.com', 'example.com')).toBeUndefined(); // subdomains too
    expect(via('https://example.com', 'example.com')).toBeUndefined();
    expect(via('https://example.com', '.example.com')).toBe(proxied); // only subdomains
    expect(via('https://api.example.com', '*.example.com')).toBeUndefined();
    expect(via('https://notexample.com', 'example.com')).toBe(proxied);
    expect(via('https://api.example.com:6443', 'example.com:443')).toBe(proxied);
    expect(via('https://api.example.com:6443', 'example.com:6443')).toBeUndefined();
    expect(via('https://api.example.com', 'example.com:443')).toBeUndefined(); // default port
    expect(via('https://10.1.2.3:6443', '10.0.0.0/8')).toBeUndefined();
    expect(via('https://11.1.2.3:6443', '10.0.0.0/8')).toBe(proxied);
    expect(via('https://10.1.2.3:6443', '10.1.2.3')).toBeUndefined();
    expect(via('https://10.1.2.3:6443', '10.1.2.3:443')).toBe(proxied);
    expect(via('https://[2001:db8::1]:6443', '2001:db8::/32')).toBeUndefined();
    expect(via('https://[2001:db8::1]:6443', '[2001:db8::1]:6443')).toBeUndefined();
    expect(via('https://API.Example.COM', ' other.org , EXAMPLE.com ')).toBeUndefined();
    // Never for loopback or localhost, whatever NO_PROXY says.
    expect(via('https://127.0.0.1:6443', '')).toBeUndefined();
    expect(via('https://127.5.0.1:6443', '')).toBeUndefined();
    expect(via('https://[::1]:6443', '')).toBeUndefined();
    expect(via('https://localhost:6443', '')).toBeUndefined();
    // Upper case wins over lower case; a value without a scheme is http://; CGI ignores HTTP_PROXY.
    expect(proxyFromEnvironment(new URL('https://a.example'), { HTTPS_PROXY: 'upper:1', https_proxy: 'http://lower:2' })?.href).toBe('http://upper:1/');
    expect(proxyFromEnvironment(new URL('https://a.example'), { https_proxy: 'socks5://s:1080' })?.href).toBe('socks5://s:1080');
    expect(via('http://a.example', '', { REQUEST_METHOD: 'GET' })).toBeUndefined();
  });

  it('rejects a proxy-url scheme kubectl rejects', async () => {
    const kc = writeKubeconfig('proxy-bad', { server: tok.sim.url, 'proxy-url': 'ftp://proxy.corp:21' }, { token: TOKEN });
    expect(await outcome(kc)).toBe('environment: cluster c has a proxy-url with the unsupported scheme "ftp"; it must be http, https, or socks5');
  });
});

describe('legacy auth-provider', () => {
  const jwt = (exp: number) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: 'https://idp.example', exp })).toString('base64url')}.c2ln`;
  it("oidc: the current id-token is sent; an expired one is refused without being shown; gcp names its exec plugin", async () => {
    const caData = Buffer.from(ca).toString('base64');
    const valid = jwt(Math.floor(Date.now() / 1000) + 3600);
    const kc = writeKubeconfig('oidc', { server: tok.sim.url, 'certificate-authority-data': caData }, { 'auth-provider': { name: 'oidc', config: { 'client-id': 'kd', 'id-token': valid, 'refresh-token': PASSWORD, 'idp-issuer-url': 'https://idp.example' } } });
    const connection = await loadKubeconfig({ kubeconfig: kc, env: {} });
    expect((await credentialsForConnection(connection).headers())['Authorization']).toBe(`Bearer ${valid}`);
    const expired = writeKubeconfig('oidc', { server: tok.sim.url, 'certificate-authority-data': caData }, { 'auth-provider': { name: 'oidc', config: { 'id-token': jwt(1000), 'refresh-token': PASSWORD } } });
    const message = await outcome(expired);
    expect(message).toBe('environment: the oidc id-token of user u is expired; kd does not refresh oidc tokens');
    expectNoSecret(message);
    const gcp = writeKubeconfig('gcp', { server: tok.sim.url, 'certificate-authority-data': caData }, { 'auth-provider': { name: 'gcp', config: { 'access-token': TOKEN } } });
    expect(await outcome(gcp)).toBe('environment: user u uses the auth-provider gcp, which kd does not support');
  });
});

describe("clientcmd's checks on the entries in use", () => {
  it('refuses what kubectl refuses, naming the entry, and ignores unused entries', async () => {
    const caData = Buffer.from(ca).toString('base64');
    const check = async (cluster: Record<string, unknown>, user: Record<string, unknown>) => {
      const e = (await loadKubeconfig({ kubeconfig: writeKubeconfig('checks', { server: tok.sim.url, ...cluster }, user), env: {} }).catch((x: unknown) => x)) as KdError | { context: string };
      return e instanceof KdError ? e.message : 'ok';
    };
    expect(await check({ 'certificate-authority': 'ca.crt', 'certificate-authority-data': caData }, {})).toBe('certificate-authority-data and certificate-authority are both specified for c');
    expect(await check({}, { 'client-certificate': 'a.crt', 'client-certificate-data': caData, 'client-key': 'a.key' })).toBe('client-certificate-data and client-certificate are both specified for u');
    expect(await check({}, { 'client-certificate': 'a.crt' })).toBe('client-key-data or client-key must be specified for u to use the clientCert authentication method');
    expect(await check({}, { token: TOKEN, username: 'admin', password: PASSWORD })).toBe('more than one authentication method found for u; found token, basicAuth, only one is allowed');
    expect(await check({}, { 'as-groups': ['dev'] })).toBe('requesting uid, groups or user-extra for u without impersonating a user');
    expect(await check({}, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Sometimes' } })).toBe('invalid interactiveMode for u: "Sometimes"');
    // token and tokenFile together are one method: the file wins while readable.
    expect(await check({}, { token: TOKEN, tokenFile: 'token' })).toBe('ok');
  });
});

describe('errors never show kubeconfig content', () => {
  const secretLines = `    token: ${TOKEN}\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n    password: ${PASSWORD}\n`;

  it('a malformed file is named with a position only', async () => {
    const file = path.join(dir, 'malformed.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n${secretLines}   bad-indent: [\ncontexts: []\n`);
    const e = (await loadKubeconfig({ kubeconfig: file, env: {} }).catch((x: unknown) => x)) as KdError;
    expect(e.kind).toBe('environment');
    expect(e.message).toMatch(new RegExp(`^kubeconfig ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read: invalid YAML at line \\d+, column \\d+ \\([a-z ]+\\)$`));
    expectNoSecret(`${e.message}\n${e.hint ?? ''}\n${e.stack ?? ''}`);
  });

  it('a wrong shape is named by its key path only', async () => {
    const file = path.join(dir, 'shape.yaml');
    writeFileSync(file, `users:\n- name: u\n  user:\n${secretLines}    as-groups: ${TOKEN}\n`);
    const e = (await loadKubeconfig({ kubeconfig: file, env: {} }).catch((x: unknown) => x)) as KdError;
    expect(e.message).toBe(`kubeconfig ${file} cannot be read: users[0].user.as-groups must be a list of strings`);
    const badData = path.join(dir, 'bad-data.yaml');
    writeFileSync(badData, `clusters:\n- name: c\n  cluster:\n    server: https://x\n    certificate-authority-data: "${TOKEN}!!"\n`);
    const e2 = (await loadKubeconfig({ kubeconfig: badData, env: {} }).catch((x: unknown) => x)) as KdError;
    expect(e2.message).toBe(`kubeconfig ${badData} cannot be read: clusters[0].cluster.certificate-authority-data is not valid base64`);
    expectNoSecret(e.message + e2.message);
  });

  it('a failed connection through an authenticating proxy does not show its password', async () => {
    const kc = writeKubeconfig('proxy-auth', { server: `https://kd-sim.invalid:${simPort(tok)}`, 'proxy-url': `http://kd:${PASSWORD}@127.0.0.1:1` }, { token: TOKEN });
    const message = await outcome(kc);
    expect(message).toMatch(/^cluster: .*cannot reach the cluster at https:\/\/kd-sim\.invalid:\d+: through the proxy http:\/\/127\.0\.0\.1:1: /);
    expectNoSecret(message);
  });
});

describe('the command line', () => {
  it('kubectl kd list works from another folder with a relative tokenFile, and a malformed kubeconfig prints no content even with --verbose', async () => {
    const kc = writeKubeconfig('cli', { server: tok.sim.url, 'certificate-authority': 'ca.crt' }, { tokenFile: 'token' });
    writeFileSync(path.join(dir, 'cli', 'ca.crt'), ca);
    writeFileSync(path.join(dir, 'cli', 'token'), `${TOKEN}\n`);
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'kd-cwd-'));
    try {
      const ok = await runKdAsync(['list', '--kubeconfig', kc], { cwd: elsewhere, env: { HOME: elsewhere } });
      expect([ok.status, ok.stderr.trim()]).toEqual([0, 'No releases found in namespace default.']);
      const broken = path.join(dir, 'cli', 'broken');
      writeFileSync(broken, `users:\n- name: u\n  user:\n    token: ${TOKEN}\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n  - : [\n`);
      const bad = await runKdAsync(['list', '--verbose', '--kubeconfig', broken], { cwd: elsewhere, env: { HOME: elsewhere } });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`kubeconfig ${broken} cannot be read: invalid YAML at line `);
      expectNoSecret(bad.stdout + bad.stderr);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('no Kubernetes client library at run time', () => {
  it('no source file kd runs imports @kubernetes/client-node (its import alone cost about half a second of start-up)', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const repo = path.resolve(import.meta.dirname, '../..');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx|mjs|js)$/.test(name) && /from ['"]@kubernetes\/client-node['"]|import\(['"]@kubernetes\/client-node['"]\)/.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(repo, p));
      }
    };
    for (const folder of ['src', 'plugin', 'lsp']) walk(path.join(repo, folder));
    expect(offenders).toEqual([]);
  });
});
