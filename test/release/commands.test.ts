/**
 * history, rollback, list and delete end to end: `runCli` in-process against kd sim (through a
 * kubeconfig file, as a user would), releases written by the real executor. Output compared
 * exactly after scrubbing times (the commands use the system clock).
 */
import { describe, expect, it } from 'vitest';
import { collectApply, contentsOf, releasePorts, LeaseLock, SecretReleaseStore } from '../../src/index.js';
import { systemClock } from '../../src/cluster/clock.js';
import { applyNamespaceDefaults, loadManifests } from '../../src/manifest/index.js';
import { kdInProcess, type KdResult } from '../cli/support/cli-sim.js';
import { startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);

async function kd(args: string[], signal = new AbortController().signal): Promise<KdResult> {
  return kdInProcess([...args, '--kubeconfig', rs.kubeconfigPath], { signal });
}

const scrubTimes = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>');

async function apply(namespace: string, release: string, yaml: string, prune = true) {
  const loaded = loadManifests([{ path: `${release}.yaml`, text: yaml }]);
  const manifests = applyNamespaceDefaults(loaded.manifests, { defaultNamespace: namespace, isNamespaced: (gvk) => gvk.kind !== 'Namespace' });
  const events = await collectApply(
    { objects: manifests, release: { name: release, namespace }, paths: [`${release}.yaml`], prune, timeoutMs: 30_000 },
    { client: rs.session.client, clock: systemClock, signal: new AbortController().signal, ports: releasePorts(rs.session.client, systemClock, '0.1.0') },
  );
  const done = events.at(-1);
  if (done?.type !== 'done' || done.status !== 'succeeded') throw new Error(`apply failed: ${JSON.stringify(done)}`);
}

async function seedRelease(namespace: string, release: string, yaml: string) {
  const loaded = loadManifests([{ path: `${release}.yaml`, text: yaml }]);
  const manifests = applyNamespaceDefaults(loaded.manifests, { defaultNamespace: namespace, isNamespaced: (gvk) => gvk.kind !== 'Namespace' });
  const ports = releasePorts(rs.session.client, systemClock, '0.1.0');
  const ref = { name: release, namespace };
  const labels = ports.inventory.memberLabels(ref);
  const objects = manifests.map((m) => ({ ...m.object, metadata: { ...(m.object.metadata as object), namespace, labels } }));
  const revision = await ports.releases.begin(ref, { objects, paths: [`${release}.yaml`], description: 'apply' });
  await ports.inventory.prepare(ref, contentsOf(objects));
  for (const o of objects) if (!JSON.stringify(o).includes('kd.io/hook')) await rs.session.client.apply(o);
  await ports.releases.finish(ref, revision, { state: 'deployed', message: `applied ${objects.length - 1} objects` });
}

const cm = (name: string, extra = '') => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  key: ${name}\n`;

async function configMaps(namespace: string): Promise<string[]> {
  const list = await rs.session.client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { namespace });
  return list.items.map((o) => (o.metadata as { name: string }).name).filter((n) => n !== 'kube-root-ca.crt').sort();
}

describe('kubectl kd history / rollback / list', () => {
  it('shows history, rolls back as a new revision with the old objects, and lists releases', async () => {
    const ns = await rs.namespace('cmd');
    await apply(ns, 'shop', cm('a') + cm('b'));
    await apply(ns, 'shop', cm('a') + cm('c'));
    expect(await configMaps(ns)).toEqual(['a', 'c']);

    const history = await kd(['history', 'shop', '-n', ns]);
    expect(history.code).toBe(0);
    expect(scrubTimes(history.stdout).replace(/ +/g, ' ')).toBe(
      ['REVISION UPDATED STATUS OBJECTS DESCRIPTION', '1 <time> superseded 2 apply: 2 applied, 0 unchanged', '2 <time> deployed 2 apply: 1 applied, 1 unchanged, 1 pruned', ''].join('\n'),
    );

    const rollback = await kd(['rollback', 'shop', '-n', ns]);
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    expect(await configMaps(ns)).toEqual(['a', 'b']);
    const revisions = await new SecretReleaseStore({ client: rs.session.client, now: Date.now, kdVersion: '0.1.0' }).revisions({ name: 'shop', namespace: ns });
    expect(revisions.map((r) => [r.revision, r.state, r.description])).toEqual([
      [1, 'superseded', 'apply'],
      [2, 'superseded', 'apply'],
      [3, 'deployed', 'rollback to revision 1'],
    ]);
    const record = await new SecretReleaseStore({ client: rs.session.client, now: Date.now, kdVersion: '0.1.0' }).record({ name: 'shop', namespace: ns }, 3);
    expect(record?.objects.map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['a', 'b']);

    const json = JSON.parse((await kd(['history', 'shop', '-n', ns, '-o', 'json'])).stdout) as { revisions: Array<{ revision: number; status: string }> };
    expect(json.revisions.map((r) => `${r.revision} ${r.status}`)).toEqual(['1 superseded', '2 superseded', '3 deployed']);

    await apply(ns, 'api', cm('x'));
    const list = await kd(['list', '-n', ns]);
    expect(list.code).toBe(0);
    expect(scrubTimes(list.stdout).split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'NAME NAMESPACE REVISION STATUS UPDATED OBJECTS',
      `api ${ns} 1 deployed <time> 1`,
      `shop ${ns} 3 deployed <time> 2`,
      '',
    ]);
    const all = await kd(['list', '-A', '-o', 'json']);
    const names = (JSON.parse(all.stdout) as { items: Array<{ name: string; namespace: string }> }).items.filter((r) => r.namespace === ns).map((r) => r.name);
    expect(names).toEqual(['api', 'shop']);
  }, 60_000);

  it('explains an unknown release and a missing revision with exit 2', async () => {
    const ns = await rs.namespace('unknown');
    const history = await kd(['history', 'nope', '-n', ns]);
    expect(history.code).toBe(2);
    expect(history.stderr).toBe(
      `error: release nope not found in namespace ${ns} (looked in Secrets in namespace ${ns}; storage secret)\n` +
        'hint: if its records were written with another storage, look there: --storage configmap, --storage file:DIR, or --storage-namespace NS; list the releases with `kubectl kd list -A`\n',
    );
    await apply(ns, 'one', cm('a'));
    const rollback = await kd(['rollback', 'one', '7', '-n', ns]);
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toBe('error: release one has no revision 7\nhint: its revisions are 1 (see `kubectl kd history one`)\n');
    const noEarlier = await kd(['rollback', 'one', '-n', ns]);
    expect(noEarlier.code).toBe(2);
    expect(noEarlier.stderr).toContain('error: release one has no earlier deployed revision to roll back to');
    const empty = await kd(['list', '-n', (await rs.namespace('empty'))]);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/^No releases found in namespace empty-\d+\.\n$/);
  }, 60_000);
});

describe('kubectl kd delete', () => {
  it('runs pre-delete hooks, deletes in reverse waves and kinds, spares keep, and removes the records', async () => {
    const ns = await rs.namespace('del');
    const hook = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: goodbye\n  annotations:\n    kd.io/hook: pre-delete\ndata:\n  key: bye\n`;
    const objects =
      cm('first', '  annotations:\n    kd.io/sync-wave: "-1"\n') +
      cm('last', '  annotations:\n    kd.io/sync-wave: "2"\n') +
      cm('kept', '  annotations:\n    kd.io/resource-policy: keep\n') +
      cm('plain') +
      `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: s3cret\n` +
      `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n` +
      hook;
    // The record holds the pre-delete hook (kubectl kd delete runs it from there); the other
    // objects are applied as the executor applies them, labelled as members of the set.
    await seedRelease(ns, 'gone', objects);
    const result = await kd(['delete', 'gone', '-n', ns]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `hook pre-delete ConfigMap ${ns}/goodbye started`,
        `hook pre-delete ConfigMap ${ns}/goodbye completed`,
        `deleted ConfigMap ${ns}/last`,
        `deleted Service ${ns}/web`,
        `deleted ConfigMap ${ns}/plain`,
        `deleted Secret ${ns}/creds`,
        `deleted ConfigMap ${ns}/first`,
        `kept ConfigMap ${ns}/kept (resource-policy: keep)`,
        'release gone deleted: 5 objects deleted, 1 record removed',
        '',
      ].join('\n'),
    );
    expect(await configMaps(ns)).toEqual(['goodbye', 'kept']);
    const secrets = (await rs.session.client.list({ group: '', version: 'v1', kind: 'Secret' }, { namespace: ns })).items.map((o) => (o.metadata as { name: string }).name);
    expect(secrets).toEqual([]);
  }, 60_000);

  it('keeps the records with --keep-history and marks the latest revision deleted', async () => {
    const ns = await rs.namespace('delkeep');
    await apply(ns, 'app', cm('a'));
    const result = await kd(['delete', 'app', '-n', ns, '--keep-history']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted ConfigMap ${ns}/a\nrelease app deleted: 1 object deleted, history kept\n`);
    const history = await kd(['history', 'app', '-n', ns]);
    expect(scrubTimes(history.stdout).replace(/ +/g, ' ')).toBe('REVISION UPDATED STATUS OBJECTS DESCRIPTION\n1 <time> deleted 1 apply; release deleted (deleted 1 object, history kept)\n');
    expect(await configMaps(ns)).toEqual([]);
  }, 60_000);

  it('--keep-history keeps the history of a release that contains its own Namespace: the namespace stays, and says why', async () => {
    const ns = await rs.namespace('delownns');
    await apply(ns, 'app', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n` + cm('a'));
    const result = await kd(['delete', 'app', '-n', ns, '--keep-history']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `deleted ConfigMap ${ns}/a\nkept Namespace ${ns} (it holds the release's history; --keep-history)\nrelease app deleted: 1 object deleted, history kept\n`,
    );
    const history = await kd(['history', 'app', '-n', ns]);
    expect(history.code).toBe(0);
    expect(scrubTimes(history.stdout).replace(/ +/g, ' ')).toBe('REVISION UPDATED STATUS OBJECTS DESCRIPTION\n1 <time> deleted 2 apply; release deleted (deleted 1 object, history kept)\n');
    expect(await rs.session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: ns })).toBeDefined();
    expect(await configMaps(ns)).toEqual([]);
  }, 60_000);

  it('without --keep-history the release\'s own Namespace goes, records and all', async () => {
    const ns = await rs.namespace('delownns-all');
    await apply(ns, 'app', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n` + cm('a'));
    const result = await kd(['delete', 'app', '-n', ns]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`deleted Namespace ${ns}\n`);
    expect(result.stdout).toContain(`release app deleted: 2 objects deleted, 1 record removed\n`);
    expect((await kd(['history', 'app', '-n', ns])).code).toBe(2);
  }, 60_000);

  it('markDeleted refuses to pretend: no records left is an error, not a silent return', async () => {
    const ns = await rs.namespace('delnorec');
    const store = new SecretReleaseStore({ client: rs.session.client, now: () => systemClock.now(), kdVersion: 'test' });
    await expect(store.markDeleted({ name: 'ghost', namespace: ns }, 'deleted')).rejects.toThrow(`the history of release ghost was not found in namespace ${ns}, so it could not be kept`);
  });

  it('fails with exit 1 naming the holder when another run holds the lock', async () => {
    const ns = await rs.namespace('dellock');
    await apply(ns, 'busy', cm('a'));
    const handle = await new LeaseLock({ client: rs.session.client, clock: systemClock, identity: 'ci-runner/42/abcdef' }).acquire({ name: 'busy', namespace: ns }, { wait: false, signal: new AbortController().signal });
    try {
      const result = await kd(['delete', 'busy', '-n', ns]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^error: release busy in namespace ${ns} is locked by ci-runner/42/abcdef since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(Lease kd-lock-busy\\)\\nhint: another run is applying this release: wait for it, or re-run with --wait-for-lock`));
      expect(await configMaps(ns)).toEqual(['a']);
    } finally {
      await handle.release();
    }
  }, 60_000);
});
