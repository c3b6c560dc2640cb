/**
 * The rules for revisions (issue 11, item 7), end to end against kd sim through the CLI: an apply
 * that changes nothing writes no revision; --history-max (and KD_HISTORY_MAX) bounds the records;
 * a record is decompressed under a cap; a damaged record names itself, a rollback to a readable
 * revision still works, and apply and drift say how to proceed (exit 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ApplyLoop } from '../../plugin/watch/apply-loop.js';
import type { LoopEvent } from '../../plugin/watch/loop-events.js';
import { decodeRecord, encodeRecord, releasePorts, runApply, SecretReleaseStore, recordName, type Manifest, type RecordPayload } from '../../src/index.js';
import { applyNamespaceDefaults, loadManifests } from '../../src/manifest/index.js';
import { systemClock } from '../../src/cluster/clock.js';
import { kdInProcess, type KdResult } from '../cli/support/cli-sim.js';
import { startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);
const home = mkdtempSync(path.join(tmpdir(), 'kd-history-home-'));

async function kd(args: string[], env: Record<string, string> = {}): Promise<KdResult> {
  return kdInProcess([...args, '--kubeconfig', rs.kubeconfigPath], { env: { HOME: home, ...env } });
}

/** A folder holding one ConfigMap file; `value` varies it. */
function files(value: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-history-'));
  writeFileSync(path.join(dir, 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`);
  return dir;
}

const store = () => new SecretReleaseStore({ client: rs.session.client, now: () => systemClock.now(), kdVersion: 'test' });
const revisionsOf = async (name: string, namespace: string) => (await store().revisions({ name, namespace })).map((r) => `${r.revision} ${r.state}`);

describe('revisions', () => {
  it('an apply that changes nothing writes no revision and says `unchanged: revision N`', async () => {
    const ns = await rs.namespace('same');
    const dir = files('one');
    expect((await kd(['apply', dir, '--release', 'app', '-n', ns])).code).toBe(0);
    const again = await kd(['apply', dir, '--release', 'app', '-n', ns]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/done\s+succeeded in \S+ \(unchanged: revision 1, 0 applied, 1 unchanged\)/);
    const jsonl = await kd(['apply', dir, '--release', 'app', '-n', ns, '-o', 'jsonl']);
    expect(JSON.parse(jsonl.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'done', status: 'succeeded', revision: 1, unchanged: true });
    expect(await revisionsOf('app', ns)).toEqual(['1 deployed']);
    // A change does write one.
    expect((await kd(['apply', files('two'), '--release', 'app', '-n', ns])).stdout).toMatch(/\(revision 2, 1 applied/);
    expect(await revisionsOf('app', ns)).toEqual(['1 superseded', '2 deployed']);
  }, 60_000);

  it('--history-max N keeps the newest N revisions; 0 keeps all; KD_HISTORY_MAX when the flag is absent', async () => {
    const ns = await rs.namespace('histmax');
    for (let i = 1; i <= 5; i++) expect((await kd(['apply', files(`v${i}`), '--release', 'app', '-n', ns, '--history-max', '3'])).code).toBe(0);
    expect(await revisionsOf('app', ns)).toEqual(['3 superseded', '4 superseded', '5 deployed']);
    for (let i = 6; i <= 7; i++) expect((await kd(['apply', files(`v${i}`), '--release', 'app', '-n', ns, '--history-max', '0'])).code).toBe(0);
    expect(await revisionsOf('app', ns)).toHaveLength(5);
    expect((await kd(['apply', files('v8'), '--release', 'app', '-n', ns], { KD_HISTORY_MAX: '2' })).code).toBe(0);
    expect(await revisionsOf('app', ns)).toEqual(['7 superseded', '8 deployed']);
    const bad = await kd(['apply', files('v9'), '--release', 'app', '-n', ns, '--history-max', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--history-max must be a whole number');
  }, 60_000);

  it('apply --watch: a save (or `a`) that changes nothing writes no revision either', async () => {
    const ns = await rs.namespace('watch-same');
    const loaded = loadManifests([{ path: 'config.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: one\n' }]);
    const manifests: Manifest[] = applyNamespaceDefaults(loaded.manifests, { defaultNamespace: ns, isNamespaced: () => true });
    const snapshot = { manifests, diagnostics: [], files: 1 };
    const events: LoopEvent[] = [];
    const ports = releasePorts(rs.session.client, systemClock, 'test');
    const loop = new ApplyLoop({
      source: { loadAll: async () => snapshot, reload: async (batch) => ({ ...snapshot, reread: batch.changed, removed: batch.removed }) },
      request: { release: { name: 'app', namespace: ns } },
      apply: (request, signal) => runApply(request, { client: rs.session.client, clock: systemClock, signal, ports }),
      emit: (e) => events.push(e),
      now: () => 0,
    });
    await loop.start();
    loop.applyNow();
    await loop.idle();
    await loop.stop();
    const dones = events.flatMap((e) => (e.type === 'apply' && e.event.type === 'done' ? [e.event] : []));
    expect(dones.map((d) => [d.status, d.revision, d.unchanged ?? false])).toEqual([
      ['succeeded', 1, false],
      ['succeeded', 1, true],
    ]);
    expect(await revisionsOf('app', ns)).toEqual(['1 deployed']);
  }, 60_000);

  it('the default keeps 10 revisions', async () => {
    const ns = await rs.namespace('histdefault');
    for (let i = 1; i <= 12; i++) expect((await kd(['apply', files(`v${i}`), '--release', 'app', '-n', ns])).code).toBe(0);
    expect((await revisionsOf('app', ns)).map((r) => Number(r.split(' ')[0]))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  }, 120_000);
});

describe('damaged records', () => {
  it('caps decompression and names the record', () => {
    const payload: RecordPayload = { apiVersion: 'kd.io/release.v1', name: 'app', namespace: 'ns', revision: 4, kdVersion: 't', startedAt: 'x', paths: [], description: 'apply', objects: [] };
    const [main] = encodeRecord(payload, { state: 'deployed', updated: 'x', message: '' });
    // 65 MiB of zeros compress to ~65 KiB: a tampered record that would balloon in memory.
    const bomb = { ...main!, data: { release: gzipSync(Buffer.alloc(65 * 2 ** 20)).toString('base64') } };
    expect(decodeRecord(bomb, [])).toEqual({ problem: `${recordName('app', 4)}: the record decompresses to more than 64 MiB (the limit); it was not written by kd` });
    expect('payload' in decodeRecord(main!, [])).toBe(true);
  });

  it('a damaged deployed record: apply and drift say how to proceed (exit 2); rollback to a readable revision works', async () => {
    const ns = await rs.namespace('corrupt');
    expect((await kd(['apply', files('one'), '--release', 'app', '-n', ns])).code).toBe(0);
    expect((await kd(['apply', files('two'), '--release', 'app', '-n', ns])).code).toBe(0);
    const secret = recordName('app', 2);
    await rs.session.client.patch({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: secret }, { data: { release: Buffer.from('not gzip').toString('base64') } }, { type: 'merge' });

    const applied = await kd(['apply', files('three'), '--release', 'app', '-n', ns]);
    expect(applied.code).toBe(2);
    const said = applied.stdout + applied.stderr;
    expect(said).toContain(`revision 2 of release app (Secret ${secret} in namespace ${ns}) cannot be read`);
    expect(said).toContain(`kubectl kd rollback app <revision> -n ${ns}`);
    expect(said).toContain(`kubectl delete secret ${secret} -n ${ns}`);
    expect(said).not.toContain('roll back to another revision, or');

    const drift = await kd(['drift', files('two'), '--release', 'app', '-n', ns]);
    expect(drift.code).toBe(2);
    expect(drift.stdout + drift.stderr).toContain(`Secret ${secret} in namespace ${ns}) cannot be read`);

    const rollback = await kd(['rollback', 'app', '1', '-n', ns]);
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    expect(await revisionsOf('app', ns)).toEqual(['1 superseded', '2 superseded', '3 deployed']);
    const cm = await rs.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' });
    expect(cm?.['data']).toEqual({ value: 'one' });
    // Revision 2 is still damaged, but no longer in force: apply works again.
    expect((await kd(['apply', files('four'), '--release', 'app', '-n', ns])).code).toBe(0);
  }, 60_000);

  it('a rollback to the damaged revision itself names it', async () => {
    const ns = await rs.namespace('corrupt-target');
    expect((await kd(['apply', files('one'), '--release', 'app', '-n', ns])).code).toBe(0);
    expect((await kd(['apply', files('two'), '--release', 'app', '-n', ns])).code).toBe(0);
    await rs.session.client.patch({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: recordName('app', 1) }, { data: { release: 'AAAA' } }, { type: 'merge' });
    const rollback = await kd(['rollback', 'app', '1', '-n', ns]);
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toContain(`revision 1 of release app (Secret ${recordName('app', 1)} in namespace ${ns}) cannot be read`);
  }, 60_000);
});
