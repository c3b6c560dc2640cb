/**
 * kd sim as a local service that holds Secrets: closed by default (HTTPS, a random token per
 * start, 401 without it), only the body types kube-apiserver decodes (a browser's text/plain POST
 * is 415), only the Host names it listens on, the API server's size limits, and a state file that
 * is private, checked before serving and whose write failures do not stop the server.
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { coreValidatorFor } from '../../src/sim/embedded.js';
import { KdError } from '../../src/errors.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simFetch } from '../support/sim-fetch.js';

const source = new SchemaDirSource(SCHEMA_DIR);
let sim: SimHandle;
const port = () => new URL(sim.url).port;

beforeAll(async () => {
  sim = await startSim({ schemaSource: source, validator: await coreValidatorFor(source) });
});
afterAll(async () => {
  await sim?.stop();
});

const cm = (name: string, data: Record<string, string> = { a: '1' }) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('authentication by default', () => {
  it('serves HTTPS with a per-start token that only the kubeconfig carries', async () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const config = parse(sim.kubeconfig());
    expect(config.users[0].user).toEqual({ token: sim.token });
    expect(config.clusters[0].cluster['certificate-authority-data']).toBe(Buffer.from(sim.caCert!).toString('base64'));
    const other = await startSim({ schemaSource: source });
    try {
      expect(other.token).not.toBe(sim.token);
    } finally {
      await other.stop();
    }
  });

  it('answers 401 with a kube-apiserver Status without the token or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer wrong' }, { Authorization: `Bearer ${sim.token}x` }, { Authorization: `Basic ${sim.token}` }]) {
      const r = await simFetch(sim, '/api/v1/namespaces/default/secrets', { anonymous: true, headers });
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    expect((await simFetch(sim, '/api/v1/namespaces/default/secrets')).status).toBe(200);
  });

  it('with noAuth serves plain HTTP to anyone, but only on loopback', async () => {
    const open = await startSim({ schemaSource: source, noAuth: true });
    try {
      expect(open.url).toMatch(/^http:\/\//);
      expect(open.token).toBeUndefined();
      expect((await fetch(`${open.url}/api/v1/namespaces`)).status).toBe(200);
    } finally {
      await open.stop();
    }
    await expect(startSim({ schemaSource: source, noAuth: true, host: '0.0.0.0' })).rejects.toThrow(/--no-auth cannot be used with --host 0\.0\.0\.0/);
  });

  it('makes certificates valid for a year', async () => {
    const ca = new X509Certificate(sim.caCert!);
    const days = (Date.parse(ca.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    const tls = await import('node:tls');
    const served = await new Promise<X509Certificate>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: Number(port()), ca: sim.caCert, servername: 'localhost' }, () => {
        resolve(s.getPeerX509Certificate()!);
        s.end();
      });
      s.on('error', reject);
    });
    expect((Date.parse(served.validTo) - Date.now()) / 86_400_000).toBeGreaterThan(360);
    expect(served.checkIssued(ca)).toBe(true);
  });
});

describe('request bodies', () => {
  it('answers 415 to a text/plain or form POST (what a web page can send) and stores nothing', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/x-yaml']) {
      const r = await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': type }, body: cm('csrf') });
      expect(r.status, type).toBe(415);
      expect(await r.json()).toMatchObject({
        reason: 'UnsupportedMediaType',
        code: 415,
        message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      });
    }
    expect((await simFetch(sim, '/api/v1/namespaces/default/configmaps/csrf')).status).toBe(404);
  });

  it('accepts JSON (also without a Content-Type, as kube-apiserver does) and YAML', async () => {
    expect((await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: cm('json') })).status).toBe(201);
    expect((await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('untyped') })).status).toBe(201);
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\n';
    expect((await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: yaml })).status).toBe(201);
  });

  it('answers 415 to PUT, PATCH and DELETE bodies of other types', async () => {
    const put = await simFetch(sim, '/api/v1/namespaces/default/configmaps/json', { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: cm('json') });
    expect(put.status).toBe(415);
    const patch = await simFetch(sim, '/api/v1/namespaces/default/configmaps/json', { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: '{"data":{"b":"2"}}' });
    expect(patch.status).toBe(415);
    expect(((await patch.json()) as { message: string }).message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
    const del = await simFetch(sim, '/api/v1/namespaces/default/configmaps/json', { method: 'DELETE', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(del.status).toBe(415);
    expect((await simFetch(sim, '/api/v1/namespaces/default/configmaps/json', { method: 'DELETE', headers: { 'Content-Type': 'text/plain' } })).status).toBe(200);
  });

  it('answers 413 naming the 3 MiB request limit', async () => {
    const body = cm('huge', { a: 'x'.repeat(3 * 1024 * 1024) });
    const r = await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728', code: 413 });
  });

  it('refuses ConfigMap and Secret data over 1 MiB with the validation message', async () => {
    const over = 1024 * 1024 + 1;
    const big = await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: cm('big', { a: 'x'.repeat(over - 10), b: 'y'.repeat(10) }) });
    expect(big.status).toBe(422);
    expect(await big.json()).toMatchObject({
      reason: 'Invalid',
      message: 'ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes',
      details: { causes: [{ reason: 'FieldValueTooLong', field: '[]', message: 'Too long: may not be more than 1048576 bytes' }] },
    });
    const exact = await simFetch(sim, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: cm('exact', { a: 'x'.repeat(over - 1) }) });
    expect(exact.status).toBe(201);
    const secret = (name: string, bytes: number) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { key: Buffer.alloc(bytes, 1).toString('base64') } });
    const bigSecret = await simFetch(sim, '/api/v1/namespaces/default/secrets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: secret('big', over) });
    expect(bigSecret.status).toBe(422);
    expect(((await bigSecret.json()) as { message: string }).message).toBe('Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes');
    // 1 MiB of decoded bytes is 1.33 MiB of base64 in the body: the limit is on the data, not the text.
    expect((await simFetch(sim, '/api/v1/namespaces/default/secrets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: secret('exact', over - 1) })).status).toBe(201);
  });
  it("refuses an object etcd would not store (over 1.5 MiB) with etcd's message, but not on a dry run", async () => {
    const template = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name }, template: { spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'BIG', value: 'x'.repeat(1600 * 1024) }] }] } } });
    const r = await simFetch(sim, '/api/v1/namespaces/default/podtemplates', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: template('big') });
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 });
    expect((await simFetch(sim, '/api/v1/namespaces/default/podtemplates/big')).status).toBe(404);
    const dry = await simFetch(sim, '/api/v1/namespaces/default/podtemplates?dryRun=All', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: template('big') });
    expect(dry.status).toBe(201);
  });
});

describe('Host header (DNS rebinding)', () => {
  it('answers only for the names and addresses it listens on', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `LOCALHOST:${port()}`])
      expect((await simFetch(sim, '/version', { headers: { Host: host } })).status, host).toBe(200);
    for (const host of [`attacker.example:${port()}`, 'attacker.example', `127.0.0.1:${Number(port()) + 1}`, `localhost.attacker.example:${port()}`]) {
      const r = await simFetch(sim, '/version', { headers: { Host: host } });
      expect(r.status, host).toBe(403);
      expect(await r.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, message: `forbidden: kd sim does not answer for host "${host}"; use 127.0.0.1:${port()}, localhost:${port()}` });
    }
  });
});

describe('further host names', () => {
  it('answers for the names it is given, and its certificate names them', async () => {
    const named = await startSim({ schemaSource: source, hostNames: ['devbox.example'] });
    try {
      const p = new URL(named.url).port;
      expect((await simFetch(named, '/version', { headers: { Host: `devbox.example:${p}` } })).status).toBe(200);
      expect((await simFetch(named, '/version', { headers: { Host: `other.example:${p}` } })).status).toBe(403);
      const tls = await import('node:tls');
      const cert = await new Promise<X509Certificate>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: Number(p), ca: named.caCert, servername: 'devbox.example' }, () => {
          resolve(s.getPeerX509Certificate()!);
          s.end();
        });
        s.on('error', reject);
      });
      expect(cert.subjectAltName).toContain('DNS:devbox.example');
    } finally {
      await named.stop();
    }
  });
});

describe('state file', () => {
  it('is created owner-only through an unpredictable temporary name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-sim-state-'));
    chmodSync(dir, 0o755);
    const statePath = path.join(dir, 'state.json');
    const a = await startSim({ schemaSource: source, statePath });
    await simFetch(a, '/api/v1/namespaces/default/secrets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } }) });
    await a.stop();
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('is checked before serving: a missing folder is an environment error', async () => {
    const missing = path.join(tmpdir(), `kd-sim-missing-${process.pid}`, 's.json');
    const err = await startSim({ schemaSource: source, statePath: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdError);
    expect((err as KdError).kind).toBe('environment');
    expect((err as KdError).message).toBe(`the folder of the simulator state file ${missing} does not exist`);
  });

  it('reports a failed write and keeps serving', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-sim-state-'));
    const statePath = path.join(dir, 'state.json');
    const warnings: string[] = [];
    const s = await startSim({ schemaSource: source, statePath, warn: (line) => warnings.push(line) });
    try {
      rmSync(dir, { recursive: true });
      for (const name of ['one', 'two']) {
        const r = await simFetch(s, '/api/v1/namespaces/default/configmaps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: cm(name) });
        expect(r.status).toBe(201);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^cannot write the state file ${statePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT.*\\(still serving; the state is kept in memory\\)$`));
      expect((await simFetch(s, '/api/v1/namespaces/default/configmaps/two')).status).toBe(200);
    } finally {
      await s.stop();
    }
    expect(existsSync(dir)).toBe(false);
  });
});
