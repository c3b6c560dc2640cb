/**
 * Storage drivers end to end (issue 14): `runCli` in-process against kd sim through a kubeconfig
 * file, as a user would. `--storage configmap --storage-namespace NS` keeps the records (and the
 * lock) as ConfigMaps in NS, which history, list and rollback read back; `--storage file:DIR`
 * keeps everything in DIR and leaves no Secret, ConfigMap or Lease of kd's in the cluster.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kdInProcess, type KdResult } from '../cli/support/cli-sim.js';
import { startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);
const dir = mkdtempSync(path.join(tmpdir(), 'kd-storage-'));

async function kd(args: string[], env: NodeJS.ProcessEnv = {}): Promise<KdResult> {
  return kdInProcess([...args, '--kubeconfig', rs.kubeconfigPath], { cwd: dir, env: { HOME: dir, ...env } });
}

/** A release file: a ConfigMap and a Secret whose value must never reach a record in clear outside the payload. */
function manifest(name: string, value: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-settings\ndata:\n  mode: "${value}"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}-token\nstringData:\n  token: s3cr3t-${value}\n`,
  );
  return file;
}

async function kdObjects(kind: 'Secret' | 'ConfigMap' | 'Lease', namespace?: string): Promise<Array<{ metadata: { name: string; namespace: string; labels?: Record<string, string> } }>> {
  const group = kind === 'Lease' ? 'coordination.k8s.io' : '';
  const list = await rs.session.client.list({ group, version: 'v1', kind }, namespace === undefined ? { allNamespaces: true } : { namespace });
  return list.items as never;
}

describe('--storage configmap --storage-namespace', () => {
  it('keeps the records as ConfigMaps in the storage namespace, which history and rollback read', async () => {
    const ns = await rs.namespace('cm-app');
    const storage = ['--storage', 'configmap', '--storage-namespace', 'kd-records'];
    const first = await kd(['apply', manifest('shop', 'one'), '--release', 'shop', '-n', ns, ...storage]);
    expect(first.code, first.stderr).toBe(0);
    const second = await kd(['apply', manifest('shop', 'two'), '--release', 'shop', '-n', ns, ...storage]);
    expect(second.code, second.stderr).toBe(0);

    // The storage namespace was created; the records are ConfigMaps there, labelled like the Secrets.
    const records = (await kdObjects('ConfigMap', 'kd-records')).filter((c) => c.metadata.labels?.['owner'] === 'kubectl-kd');
    expect(records.map((r) => r.metadata.name).sort()).toEqual([`kd.release.v1.${ns}.shop.v1`, `kd.release.v1.${ns}.shop.v2`]);
    expect(records[0]!.metadata.labels).toMatchObject({ name: 'shop', 'kd.io/namespace': ns });
    const raw = (await rs.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'kd-records', name: `kd.release.v1.${ns}.shop.v2` })) as Record<string, unknown>;
    expect(Object.keys(raw['binaryData'] as object)).toEqual(['release']);
    expect(JSON.stringify(raw)).not.toContain('s3cr3t');
    // No record Secret anywhere, and the lock was released from the storage namespace.
    expect((await kdObjects('Secret')).filter((s) => s.metadata.labels?.['owner'] === 'kubectl-kd')).toEqual([]);
    // Where Secrets are out of bounds, the ApplySet parent is a ConfigMap too (kubectl accepts either).
    expect((await kdObjects('Secret', ns)).map((s) => s.metadata.name)).toEqual(['shop-token']);
    expect((await kdObjects('ConfigMap', ns)).map((s) => s.metadata.name)).toContain('kd-applyset-shop');
    expect((await kdObjects('Lease', 'kd-records')).map((l) => l.metadata.name)).toEqual([]);

    const history = await kd(['history', 'shop', '-n', ns, '-o', 'json', ...storage]);
    expect(history.code, history.stderr).toBe(0);
    expect((JSON.parse(history.stdout) as { revisions: Array<{ revision: number; status: string }> }).revisions.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    // The same through the environment.
    const byEnv = await kd(['history', 'shop', '-n', ns, '-o', 'json'], { KD_STORAGE: 'configmap', KD_STORAGE_NAMESPACE: 'kd-records' });
    expect(byEnv.stdout).toBe(history.stdout);

    const list = await kd(['list', '-A', '-o', 'json', ...storage]);
    expect((JSON.parse(list.stdout) as { items: Array<{ name: string; namespace: string; revision: number }> }).items).toEqual([
      expect.objectContaining({ name: 'shop', namespace: ns, revision: 2 }),
    ]);

    const rollback = await kd(['rollback', 'shop', '1', '-n', ns, ...storage]);
    expect(rollback.code, rollback.stderr).toBe(0);
    const live = await rs.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'shop-settings' });
    expect((live as { data: Record<string, string> }).data['mode']).toBe('one');
    const after = await kd(['history', 'shop', '-n', ns, '-o', 'json', ...storage]);
    expect((JSON.parse(after.stdout) as { revisions: Array<{ revision: number; status: string }> }).revisions.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
  }, 60_000);

  it('delete --keep-history deletes the release\'s own Namespace when the records live elsewhere, and history still reads them', async () => {
    const ns = `own-ns-${Date.now() % 100000}`;
    const file = path.join(dir, 'own-ns.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  mode: one\n`);
    const storage = ['--storage', 'configmap', '--storage-namespace', 'kd-records'];
    expect((await kd(['apply', file, '--release', 'own', '-n', ns, ...storage])).code).toBe(0);
    const deleted = await kd(['delete', 'own', '-n', ns, '--keep-history', ...storage]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).not.toContain('it holds the release\'s history');
    expect(deleted.stdout).toContain(`Namespace ${ns}`);
    const history = await kd(['history', 'own', '-n', ns, '-o', 'json', ...storage]);
    expect((JSON.parse(history.stdout) as { revisions: Array<{ status: string }> }).revisions.map((r) => r.status)).toEqual(['deleted']);
  }, 60_000);

  it('says where history looked when it finds nothing, and names the other drivers', async () => {
    const ns = await rs.namespace('cm-missing');
    expect((await kd(['apply', manifest('moved', 'one'), '--release', 'moved', '-n', ns, '--storage', 'configmap'])).code).toBe(0);
    const history = await kd(['history', 'moved', '-n', ns]);
    expect(history.code).toBe(2);
    expect(history.stderr).toContain(`release moved not found in namespace ${ns} (looked in Secrets in namespace ${ns}; storage secret)`);
    expect(history.stderr).toContain('--storage configmap, --storage file:DIR');
    const found = await kd(['history', 'moved', '-n', ns, '--storage', 'configmap']);
    expect(found.code, found.stderr).toBe(0);
  }, 60_000);

  it('refuses a storage it does not know, with exit 2', async () => {
    const bad = await kd(['history', 'x', '--storage', 'sql']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--storage "sql" is not a storage driver');
    const badNs = await kd(['list', '--storage-namespace', 'Not_A_Namespace']);
    expect(badNs.code).toBe(2);
    expect(badNs.stderr).toContain('--storage-namespace "Not_A_Namespace" is not a namespace name');
  });
});

describe('--storage-namespace with Secrets', () => {
  it('keeps same-named releases of two namespaces apart in one storage namespace, with their locks beside the records', async () => {
    const a = await rs.namespace('team-a');
    const b = await rs.namespace('team-b');
    const storage = ['--storage-namespace', 'kd-shared'];
    expect((await kd(['apply', manifest('api', 'a1'), '--release', 'api', '-n', a, ...storage])).code).toBe(0);
    expect((await kd(['apply', manifest('api', 'a2'), '--release', 'api', '-n', a, ...storage])).code).toBe(0);
    expect((await kd(['apply', manifest('api', 'b1'), '--release', 'api', '-n', b, ...storage])).code).toBe(0);
    const records = (await kdObjects('Secret', 'kd-shared')).filter((x) => x.metadata.labels?.['owner'] === 'kubectl-kd').map((x) => x.metadata.name);
    expect(records.sort()).toEqual([`kd.release.v1.${a}.api.v1`, `kd.release.v1.${a}.api.v2`, `kd.release.v1.${b}.api.v1`].sort());
    const historyOf = async (ns: string) =>
      (JSON.parse((await kd(['history', 'api', '-n', ns, '-o', 'json', ...storage])).stdout) as { revisions: Array<{ revision: number }> }).revisions.map((r) => r.revision);
    expect(await historyOf(a)).toEqual([1, 2]);
    expect(await historyOf(b)).toEqual([1]);
    const inA = JSON.parse((await kd(['list', '-n', a, '-o', 'json', ...storage])).stdout) as { items: Array<{ namespace: string; revision: number }> };
    expect(inA.items).toEqual([expect.objectContaining({ namespace: a, revision: 2 })]);
    const all = JSON.parse((await kd(['list', '-A', '-o', 'json', ...storage])).stdout) as { items: Array<{ namespace: string }> };
    expect(all.items.map((r) => r.namespace).sort()).toEqual([a, b].sort());

    // The Lease lives in the storage namespace, named after the release's namespace and name.
    const { LeaseLock } = await import('../../src/index.js');
    const { systemClock } = await import('../../src/cluster/clock.js');
    const lock = new LeaseLock({ client: rs.session.client, clock: systemClock, storageNamespace: 'kd-shared', identity: 'test/1/000000' });
    const held = await lock.acquire({ name: 'api', namespace: a }, { wait: false, signal: new AbortController().signal });
    expect((await kdObjects('Lease', 'kd-shared')).map((l) => l.metadata.name)).toEqual([`kd-lock-${a}.api`]);
    const busy = await kd(['apply', manifest('api', 'a3'), '--release', 'api', '-n', a, ...storage]);
    expect(busy.code).toBe(1);
    expect(busy.stdout + busy.stderr).toContain(`Lease kd-lock-${a}.api in namespace kd-shared`);
    await held.release();
  }, 60_000);
});

describe('--storage file:DIR', () => {
  it('list --pending and recover work on file records and the lock file', async () => {
    const ns = await rs.namespace('file-recover');
    const records = path.join(dir, 'recover-records');
    const { FileRecordDriver, RecordStore } = await import('../../src/index.js');
    // A run that died after writing its pending revision (and whose lock file has expired).
    const store = new RecordStore({ driver: new FileRecordDriver(records), now: () => Date.now(), kdVersion: '0.1.0' });
    await store.begin({ name: 'stuck', namespace: ns }, { objects: [], paths: ['stuck/'], description: 'apply' });
    const storage = ['--storage', `file:${records}`];
    const pending = await kd(['list', '--pending', '-n', ns, '-o', 'json', ...storage]);
    expect(pending.code, pending.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(pending.stdout))).toContain('"stuck"');
    const recovered = await kd(['recover', 'stuck', '-n', ns, ...storage]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toBe('release stuck: revision 1 marked failed; the next apply or a rollback starts clean\n');
    expect((await store.revisions({ name: 'stuck', namespace: ns })).map((r) => r.state)).toEqual(['failed']);
  }, 60_000);

  it('leaves nothing of kd in the cluster; history, list -A, rollback and delete use the files', async () => {
    const ns = await rs.namespace('file-app');
    const records = path.join(dir, 'records');
    const before = { secrets: (await kdObjects('Secret')).length, configMaps: (await kdObjects('ConfigMap')).length, leases: (await kdObjects('Lease')).length };
    const storage = ['--storage', `file:${records}`];
    expect((await kd(['apply', manifest('web', 'one'), '--release', 'web', '-n', ns, ...storage])).code).toBe(0);
    expect((await kd(['apply', manifest('web', 'two'), '--release', 'web', '-n', ns, ...storage])).code).toBe(0);

    // The release's own ConfigMap and Secret, and nothing else: no record, no lock.
    expect((await kdObjects('Secret')).length).toBe(before.secrets + 1);
    expect((await kdObjects('ConfigMap')).length).toBe(before.configMaps + 1);
    expect((await kdObjects('Lease')).length).toBe(before.leases);
    expect((await kdObjects('Secret')).filter((s) => s.metadata.labels?.['name'] === 'web')).toEqual([]);
    expect((await kdObjects('Secret', ns)).map((s) => s.metadata.name)).toEqual(['web-token']);

    const releaseDir = path.join(records, ns, 'web');
    // The records, and the ApplySet parent that would otherwise be a Secret in the cluster.
    expect(readdirSync(releaseDir).sort()).toEqual(['applyset.json', 'kd.release.v1.web.v1.json', 'kd.release.v1.web.v2.json']);
    expect(statSync(path.join(releaseDir, 'kd.release.v1.web.v2.json')).mode & 0o777).toBe(0o600);
    expect(statSync(releaseDir).mode & 0o777).toBe(0o700);

    const history = await kd(['history', 'web', '-n', ns, '-o', 'json', ...storage]);
    expect((JSON.parse(history.stdout) as { revisions: Array<{ revision: number; status: string }> }).revisions.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    const list = await kd(['list', '-A', '-o', 'json', ...storage]);
    expect((JSON.parse(list.stdout) as { items: Array<{ name: string; namespace: string }> }).items).toEqual([expect.objectContaining({ name: 'web', namespace: ns })]);
    const drift = await kd(['drift', '--all-releases', '-n', ns, '-o', 'json', ...storage]);
    expect(drift.code, drift.stderr).toBe(0);
    expect((JSON.parse(drift.stdout) as { targets: Array<{ release: string; revision: number }> }).targets).toEqual([expect.objectContaining({ release: 'web', revision: 2 })]);

    expect((await kd(['rollback', 'web', '-n', ns, ...storage])).code).toBe(0);
    expect(readdirSync(releaseDir).filter((f) => f.startsWith('kd.release.'))).toHaveLength(3);

    const nothing = await kd(['history', 'web', '-n', ns]);
    expect(nothing.stderr).toContain('--storage file:DIR');
    const deleted = await kd(['delete', 'web', '-n', ns, ...storage]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(readdirSync(releaseDir)).toEqual([]);
    expect((await kdObjects('Lease')).length).toBe(before.leases);
  }, 60_000);
});
