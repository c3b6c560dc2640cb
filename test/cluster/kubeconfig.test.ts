import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KdError } from '../../src/errors.js';
import { connectCluster, loadKubeconfig } from '../../src/cluster/index.js';
import { startTestSim, type TestSim } from './support/sim.js';
import { rejectionOf } from '../support/rejection.js';

let dir: string;

function kubeconfig(file: string, doc: { current?: string; contexts: Array<{ name: string; cluster: string; user?: string; namespace?: string }>; clusters: Array<{ name: string; server: string; ca?: string }>; users?: Array<{ name: string; token?: string; cert?: string }> }): string {
  const p = path.join(dir, file);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(
    p,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      ...(doc.current ? { 'current-context': doc.current } : {}),
      clusters: doc.clusters.map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.ca ? { 'certificate-authority': c.ca } : {}) } })),
      contexts: doc.contexts.map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user ?? 'u', ...(c.namespace ? { namespace: c.namespace } : {}) } })),
      users: (doc.users ?? [{ name: 'u', token: 't' }]).map((u) => ({ name: u.name, user: { ...(u.token ? { token: u.token } : {}), ...(u.cert ? { 'client-certificate': u.cert } : {}) } })),
    }),
  );
  return p;
}

const failure = (p: Promise<unknown>) => rejectionOf(p, KdError);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeconfig resolution', () => {
  it('merges KUBECONFIG files with the first file winning current-context and each named entry', async () => {
    const first = kubeconfig('a/config', {
      current: 'dev',
      clusters: [{ name: 'dev-cluster', server: 'https://dev.example:6443', ca: 'certs/ca.crt' }],
      contexts: [{ name: 'dev', cluster: 'dev-cluster', namespace: 'team-a' }],
    });
    const second = kubeconfig('b/config', {
      current: 'staging',
      clusters: [
        { name: 'dev-cluster', server: 'https://shadowed.example:6443' },
        { name: 'staging-cluster', server: 'https://staging.example:6443/' },
      ],
      contexts: [
        { name: 'dev', cluster: 'staging-cluster', namespace: 'shadowed' },
        { name: 'staging', cluster: 'staging-cluster' },
      ],
    });
    const missing = path.join(dir, 'nope', 'config');
    const env = { KUBECONFIG: [first, missing, second].join(path.delimiter) };
    const dev = await loadKubeconfig({ env });
    expect({ context: dev.context, server: dev.server, namespace: dev.namespace, source: dev.namespaceSource, files: dev.files }).toEqual({
      context: 'dev',
      server: 'https://dev.example:6443',
      namespace: 'team-a',
      source: 'context',
      files: [first, second],
    });
    // Relative certificate paths are resolved against the file that names them.
    expect(dev.cluster.certificateAuthority).toBe(path.join(dir, 'a', 'certs', 'ca.crt'));
    const staging = await loadKubeconfig({ env, context: 'staging', namespace: 'ops' });
    expect({ context: staging.context, server: staging.server, namespace: staging.namespace, source: staging.namespaceSource }).toEqual({
      context: 'staging',
      server: 'https://staging.example:6443',
      namespace: 'ops',
      source: 'flag',
    });
    const noNamespace = await loadKubeconfig({ env, context: 'staging' });
    expect([noNamespace.namespace, noNamespace.namespaceSource]).toEqual(['default', 'default']);
  });

  it('--kubeconfig reads that file only, and --context must name one of its contexts', async () => {
    const file = kubeconfig('c/config', {
      current: 'dev',
      clusters: [{ name: 'c', server: 'https://c.example' }],
      contexts: [
        { name: 'dev', cluster: 'c' },
        { name: 'staging', cluster: 'c' },
      ],
    });
    const e = await failure(loadKubeconfig({ env: { KUBECONFIG: '/elsewhere' }, kubeconfig: file, context: 'prod' }));
    expect(e.kind).toBe('usage');
    expect(e.message).toBe('context prod not found in kubeconfig; available: dev, staging');
    expect(e.hint).toBe('pass one of the available contexts to --context (kubectl config get-contexts lists them)');
  });

  it('says what to do when nothing is configured', async () => {
    const noCurrent = kubeconfig('d/config', { clusters: [{ name: 'c', server: 'https://c.example' }], contexts: [{ name: 'dev', cluster: 'c' }] });
    const e1 = await failure(loadKubeconfig({ env: { KUBECONFIG: noCurrent } }));
    expect([e1.kind, e1.message, e1.hint]).toEqual(['environment', `no current context in ${noCurrent}; available: dev`, 'pass --context dev, or run `kubectl config use-context NAME`']);

    const e2 = await failure(loadKubeconfig({ env: {}, home: path.join(dir, 'empty-home') }));
    expect(e2.kind).toBe('environment');
    expect(e2.message).toBe(`no kubeconfig found: ${path.join(dir, 'empty-home', '.kube', 'config')} does not exist, and kd is not running inside a cluster`);
    expect(e2.hint).toContain('--sim');

    const e3 = await failure(loadKubeconfig({ env: {}, kubeconfig: path.join(dir, 'missing.yaml') }));
    expect([e3.kind, e3.message]).toEqual(['usage', `kubeconfig ${path.join(dir, 'missing.yaml')} does not exist`]);

    const dangling = kubeconfig('e/config', { current: 'dev', clusters: [{ name: 'c', server: 'https://c.example' }], contexts: [{ name: 'dev', cluster: 'gone' }] });
    const e4 = await failure(loadKubeconfig({ env: { KUBECONFIG: dangling } }));
    expect([e4.kind, e4.message]).toEqual(['environment', `context dev refers to cluster gone, which is not in the kubeconfig (${dangling})`]);

    // As in kubectl, an entry without a server is an error only when the context uses it.
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: x}\nclusters:\n- name: x\n  cluster: {}\n- name: unused\n  cluster: {}\n');
    const e5 = await failure(loadKubeconfig({ env: {}, kubeconfig: broken }));
    expect([e5.kind, e5.message]).toEqual(['environment', 'no server found for cluster x']);
  });

  it('reads YAML as before the parser change: core-schema scalars, the last of duplicate keys, one document only', async () => {
    const file = path.join(dir, 'scalars.yaml');
    // `yes` and `0x1F` are YAML 1.2 core scalars here (a string; a number read back as "31"); a key set twice: the last wins.
    writeFileSync(file, 'current-context: old\ncurrent-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: yes}\n- name: y\n  context: {cluster: c, user: u, namespace: 0x1F}\nclusters:\n- name: c\n  cluster: {server: "https://c.example", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\n');
    const config = await loadKubeconfig({ env: {}, kubeconfig: file });
    expect([config.context, config.namespace]).toEqual(['x', 'yes']);
    expect((await loadKubeconfig({ env: {}, kubeconfig: file, context: 'y' })).namespace).toBe('31');

    const twoDocs = path.join(dir, 'two-docs.yaml');
    writeFileSync(twoDocs, 'current-context: x\n---\ncurrent-context: y\n');
    const e1 = await failure(loadKubeconfig({ env: {}, kubeconfig: twoDocs }));
    expect([e1.kind, e1.message]).toEqual(['environment', `kubeconfig ${twoDocs} cannot be read: invalid YAML at line 2, column 1 (multiple docs)`]);

    const unclosed = path.join(dir, 'unclosed.yaml');
    writeFileSync(unclosed, 'current-context: x\ncontexts: [\n');
    const e2 = await failure(loadKubeconfig({ env: {}, kubeconfig: unclosed }));
    expect(e2.message).toMatch(/^kubeconfig .*unclosed\.yaml cannot be read: invalid YAML at line 3, column 1 \([a-z ]+\)$/);

    const aliases = path.join(dir, 'aliases.yaml');
    writeFileSync(aliases, `a: &a [1]\n${Array.from({ length: 150 }, (_, i) => `k${i}: *a`).join('\n')}\n`);
    const e3 = await failure(loadKubeconfig({ env: {}, kubeconfig: aliases }));
    expect(e3.message).toBe(`kubeconfig ${aliases} cannot be read: invalid YAML (too many aliases)`);
  });

  it('falls back to the pod service account when no kubeconfig exists', async () => {
    const root = path.join(dir, 'pod');
    const sa = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(path.join(sa, 'token'), 'sa-token');
    writeFileSync(path.join(sa, 'ca.crt'), 'not really a cert');
    writeFileSync(path.join(sa, 'namespace'), 'apps\n');
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const c = await loadKubeconfig({ env, home: path.join(dir, 'empty-home'), inClusterRoot: root });
    expect({ server: c.server, context: c.context, namespace: c.namespace, source: c.namespaceSource, inCluster: c.inCluster }).toEqual({
      server: 'https://10.96.0.1:443',
      context: 'in-cluster',
      namespace: 'apps',
      source: 'service-account',
      inCluster: true,
    });
    expect(c.cluster.certificateAuthority).toBe(path.join(sa, 'ca.crt'));
    const flagged = await loadKubeconfig({ env, home: path.join(dir, 'empty-home'), inClusterRoot: root, namespace: 'other' });
    expect(flagged.namespace).toBe('other');
    // Without the token file this is not a pod.
    const e = await failure(loadKubeconfig({ env, home: path.join(dir, 'empty-home'), inClusterRoot: path.join(dir, 'not-a-pod') }));
    expect(e.kind).toBe('environment');
  });
});

describe('connecting through a merged kubeconfig', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ tls: true, token: 'secret-token' });
  });
  afterAll(() => t.stop());

  it('authenticates with the selected context and uses its namespace', async () => {
    const good = path.join(dir, 'sim-good.yaml');
    writeFileSync(good, t.sim.kubeconfig({ context: 'sim', namespace: 'kube-public' }));
    const other = kubeconfig('sim-other.yaml', {
      current: 'elsewhere',
      clusters: [{ name: 'x', server: 'https://127.0.0.1:1' }],
      contexts: [{ name: 'elsewhere', cluster: 'x' }],
    });
    const session = await connectCluster({ env: { KUBECONFIG: [other, good].join(path.delimiter) }, context: 'sim', cacheDir: false });
    try {
      expect(session.client.namespace).toBe('kube-public');
      const cm = await session.client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' }, data: { a: 'b' } });
      expect((cm.metadata as { namespace?: string }).namespace).toBe('kube-public');
    } finally {
      session.close();
    }
  });

  it('reports a rejected credential as a cluster error naming the request', async () => {
    const bad = path.join(dir, 'sim-bad.yaml');
    writeFileSync(bad, t.sim.kubeconfig().replace('secret-token', 'wrong-token'));
    const session = await connectCluster({ env: {}, kubeconfig: bad, cacheDir: false });
    try {
      const e = await failure(session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x' }));
      expect(e.kind).toBe('cluster');
      expect(e.message).toBe('discover API groups (/api): Unauthorized: Unauthorized');
      expect(e.hint).toBe('the credentials were rejected: refresh them (log in again) or pick another context with --context');
    } finally {
      session.close();
    }
  });
});

describe('connecting over TLS', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ tls: true });
  });
  afterAll(() => t.stop());

  it('trusts the kubeconfig CA and authenticates with its client certificate', async () => {
    expect(t.sim.url.startsWith('https://')).toBe(true);
    const session = await t.connect({ cacheDir: false });
    try {
      expect((await session.client.serverVersion()).gitVersion).toMatch(/^v1\.\d+\.\d+$/);
      expect(await session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'kube-system' })).toBeDefined();
    } finally {
      session.close();
    }
  });
});
