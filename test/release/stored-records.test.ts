/**
 * Records already stored stay readable: test/fixtures/release/stored-v1 holds two revisions
 * exactly as kd 0.1.0 wrote them (the Secret shape every driver stores, here as the file
 * driver's files). kd's in-memory names may change (a revision's `state`, its `objectCount`,
 * a recorded revision's `objects`); the labels, annotations and payload keys they are read
 * from may not, or history, rollback and drift would lose every release recorded before.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecordDriver, RecordStore, renderHistoryText } from '../../src/index.js';
import { formatHistoryJson } from '../../plugin/output/releases-json.js';
import { fixturesDir } from './support.js';

const release = { name: 'shop', namespace: 'prod' };

function storeOverFixtures(): RecordStore {
  // A copy: the store may repair or prune what it reads, and tests never write into the tree.
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-stored-records-'));
  cpSync(path.join(fixturesDir, 'stored-v1'), dir, { recursive: true });
  return new RecordStore({ driver: new FileRecordDriver(dir), now: () => Date.parse('2025-03-11T00:00:00Z'), kdVersion: '9.9.9' });
}

const image = (objects: readonly { kind?: unknown; spec?: unknown }[]): unknown =>
  (objects.find((o) => o.kind === 'Deployment')?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image;

describe('records stored by an earlier kd', () => {
  it('read back as revisions with their state, object count, message and version', async () => {
    const store = storeOverFixtures();
    const revisions = await store.revisions(release);
    expect(revisions.map((r) => ({ revision: r.revision, state: r.state, objectCount: r.objectCount, description: r.description, kdVersion: r.kdVersion, updated: r.updated }))).toEqual([
      { revision: 1, state: 'deployed', objectCount: 2, description: 'apply', kdVersion: '0.1.0', updated: '2025-03-10T09:02:02Z' },
      { revision: 2, state: 'failed', objectCount: 2, description: 'apply', kdVersion: '0.1.0', updated: '2025-03-10T09:04:04Z' },
    ]);
    expect(revisions[1]!.message).toBe('health: Deployment prod/web: Failed ImagePullBackOff: Back-off pulling image "ghcr.io/example/shop-web:1.5.0"');
    expect((await store.releases({ namespace: 'prod' })).map((r) => [r.name, r.revision, r.state])).toEqual([['shop', 2, 'failed']]);
  });

  it('decode to the objects kd applied, and the last deployed one is what the next plan compares with', async () => {
    const store = storeOverFixtures();
    const second = await store.record(release, 2);
    expect(second?.objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`)).toEqual(['Deployment/web', 'Service/web']);
    expect(image(second!.objects)).toBe('ghcr.io/example/shop-web:1.5.0');
    expect(second).toMatchObject({ startedAt: '2025-03-10T09:03:03Z', paths: ['deploy/'] });
    const deployed = await store.lastDeployed(release);
    expect(deployed?.revision).toBe(1);
    expect(image(deployed!.objects)).toBe('ghcr.io/example/shop-web:1.4.0');
  });

  it('print under their public field names (history -o json keeps status and objects)', async () => {
    const revisions = await storeOverFixtures().revisions(release);
    const doc = JSON.parse(formatHistoryJson(release, revisions)) as { revisions: Array<Record<string, unknown>> };
    expect(doc.revisions[0]).toEqual({ revision: 1, updated: '2025-03-10T09:02:02Z', status: 'deployed', objects: 2, description: 'apply', message: 'applied 2 objects', kdVersion: '0.1.0' });
    expect(renderHistoryText(revisions).split('\n')[2]).toMatch(/^2 +2025-03-10T09:04:04Z +failed +2 +apply: health: Deployment prod\/web/);
  });
});
