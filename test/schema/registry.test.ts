import { describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { SchemaRegistry, type GroupVersionPath, type OpenApiDocument, type SchemaSource } from '../../src/schema/index.js';
import { openapiDir } from './run-fixture.js';

/** Wraps a source to record which documents were read. */
class CountingSource implements SchemaSource {
  readonly description = 'counting';
  readonly reads: string[] = [];
  constructor(private readonly inner: SchemaSource) {}
  groupVersions(): Promise<GroupVersionPath[]> {
    return this.inner.groupVersions();
  }
  document(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    this.reads.push(gv);
    return this.inner.document(gv);
  }
}

const apps = { group: 'apps', version: 'v1' };

describe('SchemaRegistry', () => {
  // How long one document takes is measured by bench/schema.mjs; here: that only it is read.
  it('loads only the group-versions asked for', async () => {
    const counting = new CountingSource(new SchemaDirSource(openapiDir));
    const registry = new SchemaRegistry([counting]);
    await registry.prepare([{ ...apps, kind: 'Deployment' }]);
    expect(registry.kindSchema({ ...apps, kind: 'Deployment' })).toBeDefined();
    expect(counting.reads).toEqual(['apis/apps/v1']);
  });

  it('derives resources from the REST paths', async () => {
    const registry = new SchemaRegistry([new SchemaDirSource(openapiDir)]);
    await registry.ensure(['apis/apps/v1', 'api/v1']);
    const deployment = registry.resource({ ...apps, kind: 'Deployment' });
    expect(deployment).toMatchObject({ plural: 'deployments', namespaced: true, schemaName: 'io.k8s.api.apps.v1.Deployment' });
    expect(deployment?.subresources).toEqual(['scale', 'status']);
    expect(deployment?.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    expect(registry.isNamespaced({ group: '', version: 'v1', kind: 'Namespace' })).toBe(false);
    expect(registry.resource({ group: '', version: 'v1', kind: 'Namespace' })?.subresources).toEqual(['finalize', 'status']);
    expect(registry.isNamespaced({ group: '', version: 'v1', kind: 'Node' })).toBe(false);
    expect(registry.isNamespaced({ group: '', version: 'v1', kind: 'ConfigMap' })).toBe(true);
    expect(registry.resource({ group: '', version: 'v1', kind: 'Pod' })?.subresources).toContain('log');
    // Scale is served only as a subresource: it is no kind of its own here.
    expect(registry.resource({ ...apps, kind: 'Scale' })).toBeUndefined();
    const kinds = registry.knownKinds().filter((k) => k.group === 'apps').map((k) => k.kind).sort();
    expect(kinds).toEqual(['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
    expect(registry.schemaFor({ ...apps, kind: 'Deployment' })?.properties?.spec).toBeDefined();
  });

  it('lists group-versions without reading documents', async () => {
    const counting = new CountingSource(new SchemaDirSource(openapiDir));
    const registry = new SchemaRegistry([counting]);
    const gvs = await registry.groupVersions();
    expect(gvs).toContain('api/v1');
    expect(gvs).toContain('apis/apps/v1');
    expect(counting.reads).toEqual([]);
  });

  it('lets the first source win for a group-version', async () => {
    const fake: SchemaSource = {
      description: 'fake',
      groupVersions: async () => ['apis/apps/v1'],
      document: async () => ({ paths: {}, components: { schemas: {} } }),
    };
    const registry = new SchemaRegistry([fake, new SchemaDirSource(openapiDir)]);
    await registry.ensure(['apis/apps/v1']);
    expect(registry.resource({ ...apps, kind: 'Deployment' })).toBeUndefined();
  });

  it('registers every served CRD version, with names and subresources', () => {
    const registry = new SchemaRegistry([], {
      customResources: [
        {
          name: 'widgets.example.com',
          group: 'example.com',
          kind: 'Widget',
          plural: 'widgets',
          singular: 'widget',
          shortNames: ['wd'],
          categories: ['all'],
          namespaced: false,
          versions: [
            { name: 'v1', served: true, storage: true, subresources: ['scale', 'status'], schema: { type: 'object' } },
            { name: 'v1beta1', served: false, storage: false, subresources: [] },
          ],
        },
      ],
    });
    expect(registry.resource({ group: 'example.com', version: 'v1', kind: 'Widget' })).toMatchObject({
      plural: 'widgets',
      singular: 'widget',
      shortNames: ['wd'],
      categories: ['all'],
      namespaced: false,
      subresources: ['scale', 'status'],
    });
    expect(registry.resource({ group: 'example.com', version: 'v1beta1', kind: 'Widget' })).toBeUndefined();
    expect(registry.kindSchema({ group: 'example.com', version: 'v1', kind: 'Widget' })?.semantics).toBe('crd');
  });

  it('suggests the group-version that has the kind', async () => {
    const registry = new SchemaRegistry([new SchemaDirSource(openapiDir)]);
    await registry.prepare([{ group: 'extensions', version: 'v1beta1', kind: 'Ingress' }]);
    const why = registry.explainUnknownKind({ group: 'extensions', version: 'v1beta1', kind: 'Ingress' });
    expect(why).toMatchObject({ field: 'apiVersion', suggestions: ['networking.k8s.io/v1'] });
  });
});

/** One in-memory group-version document. */
class MemorySource implements SchemaSource {
  readonly description = 'memory';
  constructor(private readonly docs: Record<string, OpenApiDocument>) {}
  async groupVersions(): Promise<GroupVersionPath[]> {
    return Object.keys(this.docs) as GroupVersionPath[];
  }
  async document(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    return this.docs[gv];
  }
}

describe('SchemaRegistry.usesCel', () => {
  // Whether the CEL engine must be loaded is answered per kind, from its schema and what it references.
  const gvk = (kind: string) => ({ group: 'example.com', version: 'v1', kind });
  const kindSchema = (kind: string, properties: Record<string, unknown>) => ({
    type: 'object',
    'x-kubernetes-group-version-kind': [gvk(kind)],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...properties },
  });
  const doc = {
    openapi: '3.0.0',
    paths: {},
    components: {
      schemas: {
        'ex.Plain': kindSchema('Plain', { spec: { $ref: '#/components/schemas/ex.PlainSpec' } }),
        'ex.PlainSpec': { type: 'object', properties: { self: { $ref: '#/components/schemas/ex.PlainSpec' }, n: { type: 'integer' } } },
        'ex.Ruled': kindSchema('Ruled', { spec: { allOf: [{ $ref: '#/components/schemas/ex.Middle' }] } }),
        'ex.Middle': { type: 'object', properties: { deep: { $ref: '#/components/schemas/ex.Deep' } } },
        'ex.Deep': { type: 'object', properties: { x: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self.x != ""' }] },
      },
    },
  } as unknown as OpenApiDocument;

  it('is false for a kind whose schemas have no rules, though other kinds of its document have', async () => {
    const registry = new SchemaRegistry([new MemorySource({ 'apis/example.com/v1': doc })]);
    await registry.ensure(['apis/example.com/v1']);
    expect(registry.usesCel([gvk('Plain')])).toBe(false);
  });

  it('is true for a kind that reaches a rule through references, at any depth', async () => {
    const registry = new SchemaRegistry([new MemorySource({ 'apis/example.com/v1': doc })]);
    await registry.ensure(['apis/example.com/v1']);
    expect(registry.usesCel([gvk('Ruled')])).toBe(true);
    expect(registry.usesCel([gvk('Plain'), gvk('Ruled')])).toBe(true);
  });
});
