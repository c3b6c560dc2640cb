import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterSchemaSource, DiskCache, listCustomResourceDefinitions, serverFolderName } from '../../src/cluster/index.js';
import { loadManifests } from '../../src/manifest/index.js';
import { SchemaRegistry } from '../../src/schema/index.js';
import { validateManifests } from '../../src/validate/index.js';
import { startTestSim, widgetCrd, type TestSim } from './support/sim.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/cluster');

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ serverVersion: 'v1.35.1' });
});
afterAll(() => t.stop());

describe('the live-cluster schema source', () => {
  it('feeds the schema registry so that validation works from a cluster, CRDs included', async () => {
    const session = await t.connect({ cacheDir: path.join(t.tmp, 'schema-cache') });
    await session.client.apply(widgetCrd());
    const crds = await listCustomResourceDefinitions(session.client);
    expect(crds.map((c) => [c.name, c.kind, c.namespaced, c.shortNames])).toEqual([['widgets.example.com', 'Widget', true, ['wd']]]);

    const source = session.schemaSource;
    const registry = new SchemaRegistry([source], { customResources: crds });
    // Documents are fetched lazily: only the group-versions asked for.
    await registry.prepare([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const fetched = t.requests.filter((r) => r.startsWith('GET /openapi/v3/')).map((r) => r.split(' ')[1]!.replace(/\?hash=\w+/, ''));
    expect(fetched).toEqual(['/openapi/v3/apis/apps/v1']);
    const file = 'cluster-schema-unknown-fields.yaml';
    const loaded = loadManifests([{ path: file, text: readFileSync(path.join(fixtures, file), 'utf8') }]);
    const result = await validateManifests(loaded.manifests, registry, { strict: true });
    expect(source.description).toBe('cluster kd-sim (v1.35.1)');
    expect(source.kubernetesVersion).toBe('1.35');
    const lines = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.range.start.column} ${d.rule} ${d.message}`);
    expect(lines.join('\n') + '\n').toBe(readFileSync(path.join(fixtures, 'cluster-schema-unknown-fields.expected.txt'), 'utf8'));
    expect(await source.groupVersions()).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/example.com/v1']));
  });

  it('caches documents on disk per server version and content hash', async () => {
    const cacheDir = path.join(t.tmp, 'schema-cache-2');
    const first = await t.connect({ cacheDir });
    expect((await first.schemaSource.document('apis/batch/v1'))?.components.schemas['io.k8s.api.batch.v1.Job']).toBeDefined();
    expect(first.schemaSource.fetched).toBe(1);

    const second = await t.connect({ cacheDir });
    const before = t.requests.filter((r) => r.startsWith('GET /openapi/v3/apis/batch/v1')).length;
    const doc = await second.schemaSource.document('apis/batch/v1');
    expect(doc?.components.schemas['io.k8s.api.batch.v1.Job']).toBeDefined();
    expect(second.schemaSource.fetched).toBe(0);
    expect(t.requests.filter((r) => r.startsWith('GET /openapi/v3/apis/batch/v1')).length).toBe(before);

    // A CRD that changes gets a new hash: its document is fetched again, not read stale.
    const crd = widgetCrd({ group: 'cache.example.com' });
    await second.client.apply(crd);
    const third = await t.connect({ cacheDir });
    expect(Object.keys((await third.schemaSource.document('apis/cache.example.com/v1'))?.components.schemas ?? {})).toContain('com.example.cache.v1.Widget');
    const versions = (crd.spec as { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> }).versions;
    versions[0]!.schema.openAPIV3Schema.properties.spec.properties.added = { type: 'string' };
    await third.client.apply(crd);
    const fourth = await t.connect({ cacheDir });
    const changed = await fourth.schemaSource.document('apis/cache.example.com/v1');
    expect(fourth.schemaSource.fetched).toBe(1);
    expect(JSON.stringify(changed)).toContain('"added"');

    // Another server version uses another folder.
    const other = new ClusterSchemaSource({ transport: fourth.client.transport, cache: new DiskCache(path.join(cacheDir, serverFolderName(t.sim.url))), gitVersion: 'v1.36.0' });
    await other.document('apis/batch/v1');
    expect(other.fetched).toBe(1);
  });
});
