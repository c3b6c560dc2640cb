/**
 * The composition layer's opener (src/session/open.ts): `--sim` is kd sim exactly as
 * `kubectl kd sim` starts it, the core validator behind its writes (before, `apply --sim`
 * started the bare simulator, which stored what `kubectl kd sim` rejects); the ports are built
 * once, over the session's client and storage. Under it, `openConnection` (connection.ts)
 * resolves a kubeconfig's context and namespace for every command, validate --cluster and
 * kd-lsp's live hover included.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ClusterRequestError } from '../../src/cluster/errors.js';
import type { KubeObject } from '../../src/model/index.js';
import { FileLock, FileRecordDriver } from '../../src/apply/release/file-driver.js';
import { openSession, type Session } from '../../src/session/open.js';
import { openConnection } from '../../src/session/connection.js';
import { startEmbeddedSim, type EmbeddedSim } from '../../src/sim/embedded.js';
import { builtInSource } from '../../src/io/schema-sources.js';
import { contextNamespace } from '../../src/io/kubeconfig-namespace.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../fixtures/sim/core-validation');
const SHOP_CRD = path.resolve(here, '../../examples/shop/30-crd.yaml');
const fixture = (name: string) => parseYaml(readFileSync(path.join(FIXTURES, `${name}.yaml`), 'utf8')) as KubeObject;
const expected = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.status.json`), 'utf8')) as { code: number; message: string; reason: string };

async function rejection(write: Promise<unknown>): Promise<ClusterRequestError> {
  try {
    await write;
  } catch (error) {
    if (error instanceof ClusterRequestError) return error;
    throw error;
  }
  throw new Error('the write was accepted');
}

describe('openSession --sim', () => {
  let session: Session;
  beforeAll(async () => {
    session = await openSession({ sim: true, env: {}, version: '0.1.0-test', namespace: 'shop' });
    await session.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { fieldManager: 'kd-test' });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('names the simulator and takes the namespace asked for', () => {
    expect(session.context).toBe('kd-sim');
    expect(session.namespace).toBe('shop');
    expect(session.description).toMatch(/^kd sim \(in-process, https?:\/\/127\.0\.0\.1:\d+\)$/);
  });

  it('rejects what kubectl kd sim rejects: a Deployment with two containers of one name (422)', async () => {
    const deployment = { ...fixture('deployment-duplicate-container'), metadata: { name: 'twins', namespace: 'shop' } };
    const error = await rejection(session.client.apply(deployment, { fieldManager: 'kd-test' }));
    expect(error.code).toBe(422);
    expect(error.status?.message).toBe(expected('deployment-duplicate-container').message);
    expect(await session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'twins' })).toBeUndefined();
  });

  it("loads CEL on first use: a custom resource breaking its CRD's rule is refused (422), a fixed one is stored", async () => {
    await session.client.apply(parseYaml(readFileSync(SHOP_CRD, 'utf8')) as KubeObject, { fieldManager: 'kd-test' });
    const promotion = { ...fixture('promotion-cel-rule-violated'), metadata: { name: 'spring', namespace: 'shop' } } as KubeObject & { spec: Record<string, unknown> };
    // The CRD is served once established; the client's discovery is refreshed on a miss.
    let error: ClusterRequestError | undefined;
    for (let i = 0; i < 50 && error === undefined; i++) {
      try {
        await session.client.apply(promotion, { fieldManager: 'kd-test' });
        throw new Error('the Promotion was accepted');
      } catch (e) {
        if (e instanceof ClusterRequestError && e.code === 422) error = e;
        else if (e instanceof Error && e.message === 'the Promotion was accepted') throw e;
        else await new Promise((r) => setTimeout(r, 20));
      }
    }
    expect(error?.code).toBe(422);
    expect(error?.status?.message).toBe(expected('promotion-cel-rule-violated').message);
    const stored = await session.client.apply({ ...promotion, spec: { ...promotion.spec, code: 'VIPSPRING' } }, { fieldManager: 'kd-test' });
    expect((stored.metadata as { name?: string }).name).toBe('spring');
  });
});

describe('openSession ports', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kd-session-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the store and lock on the storage asked for', async () => {
    const session = await openSession({ sim: true, env: {}, version: '0.1.0-test', storage: { kind: 'file', dir } });
    try {
      expect(session.storage).toEqual({ kind: 'file', dir });
      expect(session.ports.releases.where('default')).toContain(dir);
      expect(session.ports.releases.driver).toBeInstanceOf(FileRecordDriver);
      expect(session.ports.lock).toBeInstanceOf(FileLock);
    } finally {
      await session.close();
    }
  });
});

describe('openConnection against a kubeconfig', () => {
  // A real cluster as commands see it: a kubeconfig file naming a context, here kd sim's.
  let dir: string;
  let sim: EmbeddedSim;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kd-connection-'));
    sim = await startEmbeddedSim({ schemaSource: builtInSource() });
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, sim.kubeconfig({ context: 'staging', namespace: 'shop' }));
    env = { KUBECONFIG: kubeconfig, HOME: dir };
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the context's namespace (as offline validate defaults it), then -n over it, and the cluster's schemas", async () => {
    const connection = await openConnection({ sim: false, env });
    try {
      expect(connection.context).toBe('staging');
      expect(connection.description).toBe('context staging');
      expect(connection.namespace).toBe('shop');
      expect(connection.namespace).toBe(contextNamespace({ env }));
      expect(await connection.schemaSource.groupVersions()).toContain('apis/apps/v1');
      expect(await connection.client.get({ group: '', version: 'v1', kind: 'Namespace', name: 'default' })).toMatchObject({ metadata: { name: 'default' } });
    } finally {
      await connection.close();
    }
    const other = await openConnection({ sim: false, env, context: 'staging', namespace: 'web' });
    try {
      expect(other.namespace).toBe('web');
    } finally {
      await other.close();
    }
  });

  it('refuses a context the kubeconfig lacks, naming it (a usage error, exit 2)', async () => {
    await expect(openConnection({ sim: false, env, context: 'prod' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('context prod not found') });
  });
});
