/**
 * The bundle's validation-only documents (`schemas/kubernetes/lean/`, issue 17): commands that
 * validate parse them instead of the whole documents, so they must give the registry exactly what
 * the whole ones give (resources with scope, verbs and subresources, schema names, components),
 * while kd sim keeps serving the whole documents that kubectl reads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle } from '../../scripts/gen-bundle.mjs';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { builtInSource, bundleDir, resolveSchemaSources } from '../../src/io/schema-sources.js';
import { componentUsesCel } from '../../src/schema/cel.js';
import { resourcesFromDocument, schemaNamesByKind, servedResources } from '../../src/schema/resources.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { parseGroupVersionPath, type OpenApiDocument } from '../../src/schema/types.js';
import { validateEach, validateManifests } from '../../src/validate/index.js';
import { loadManifests } from '../../src/manifest/index.js';

let scratch: string;
let outDir: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kd-bundle-lean-'));
  outDir = path.join(scratch, 'kubernetes');
  generateBundle({ outDir, force: true });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;

describe('the validation-only documents of the built-in bundle', () => {
  it('give every group-version the same resources, schema names and components as the whole documents', () => {
    const info = JSON.parse(readFileSync(path.join(outDir, 'bundle.json'), 'utf8')) as { groupVersions: string[]; lean: string };
    expect(info.groupVersions.length).toBeGreaterThan(30);
    for (const gvPath of info.groupVersions) {
      const gv = parseGroupVersionPath(gvPath as never)!;
      const whole = read(path.join(outDir, `${gvPath}.json`));
      const lean = read(path.join(outDir, info.lean, `${gvPath}.json`));
      expect(servedResources(lean, gv), gvPath).toEqual(servedResources(whole, gv));
      expect(resourcesFromDocument(lean, gv), gvPath).toEqual(resourcesFromDocument(whole, gv));
      expect(schemaNamesByKind(lean, gv), gvPath).toEqual(schemaNamesByKind(whole, gv));
      expect(lean.components, gvPath).toEqual(whole.components);
      expect(Object.keys(lean.paths), gvPath).toEqual(Object.keys(whole.paths));
    }
    // The point of them: a fraction of the bytes (the core group's document above all).
    const size = (p: string) => readFileSync(p).length;
    expect(size(path.join(outDir, info.lean, 'api/v1.json'))).toBeLessThan(size(path.join(outDir, 'api/v1.json')) / 2);
    // Every resource's watch verb survives: it comes from the list operation's `watch` parameter.
    const pods = resourcesFromDocument(read(path.join(outDir, info.lean, 'api/v1.json')), { group: '', version: 'v1' }).get('Pod')!;
    expect(pods.verbs).toContain('watch');
    expect(pods.subresources).toEqual(expect.arrayContaining(['status', 'log', 'exec']));
  });

  it('validate the same objects to the same diagnostics as the whole documents', async () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "two"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          portz: []\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 1\n',
      'apiVersion: v1\nkind: Servic\nmetadata:\n  name: s\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: j\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Sometimes\n          containers: [{name: j, image: busybox}]\n',
    ].join('---\n');
    const run = async (dir: string) => {
      const { manifests } = loadManifests([{ path: 'inputs.yaml', text }]);
      return (await validateManifests(manifests, new SchemaRegistry([new SchemaDirSource(dir)]), { strict: true })).diagnostics;
    };
    const whole = await run(outDir);
    expect(whole.length).toBeGreaterThan(3);
    expect(await run(path.join(outDir, 'lean'))).toEqual(whole);
  });
});

describe('the per-kind documents of the built-in bundle', () => {
  const info = () => JSON.parse(readFileSync(path.join(outDir, 'bundle.json'), 'utf8')) as { groupVersions: string[]; lean: string; kinds: string };
  // Descriptions are what the per-kind documents leave out; written here independently of the generator.
  const strip = (schema: unknown): unknown => {
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k === 'description' && typeof v === 'string') continue;
      if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as object).map(([n, x]) => [n, strip(x)]));
      else if (['items', 'additionalProperties', 'not'].includes(k)) out[k] = strip(v);
      else if (['allOf', 'anyOf', 'oneOf'].includes(k)) out[k] = (v as unknown[]).map(strip);
      else out[k] = v;
    }
    return out;
  };

  it('exist for every kind with a resource and a schema, and give it what the group-version document gives', () => {
    const { groupVersions, lean, kinds } = info();
    let count = 0;
    for (const gvPath of groupVersions) {
      const gv = parseGroupVersionPath(gvPath as never)!;
      const whole = read(path.join(outDir, lean, `${gvPath}.json`));
      const resources = resourcesFromDocument(whole, gv);
      const names = schemaNamesByKind(whole, gv);
      for (const [kind, resource] of resources) {
        if (!names.has(kind)) continue;
        const doc = read(path.join(outDir, lean, kinds, gvPath, `${kind}.json`));
        count++;
        expect(resourcesFromDocument(doc, gv).get(kind), `${gvPath} ${kind}`).toEqual(resource);
        expect(schemaNamesByKind(doc, gv).get(kind), `${gvPath} ${kind}`).toBe(names.get(kind));
        expect((doc as { 'x-kd-cel'?: boolean })['x-kd-cel'], `${gvPath} ${kind}`).toBe(componentUsesCel(names.get(kind)!, whole.components.schemas));
        const schemas = doc.components.schemas;
        for (const [name, schema] of Object.entries(schemas)) expect(schema, `${gvPath} ${kind} ${name}`).toEqual(strip(whole.components.schemas[name]));
        // The closure is complete: every reference resolves inside the kind's document.
        JSON.stringify(schemas, (key, value: unknown) => {
          if (key === '$ref' && typeof value === 'string') expect(schemas[String(value).replace('#/components/schemas/', '')], `${gvPath} ${kind} ${String(value)}`).toBeDefined();
          return value;
        });
      }
    }
    expect(count).toBeGreaterThan(80);
    // The point of them: a ConfigMap's schemas are a sliver of the core group's document.
    expect(readFileSync(path.join(outDir, lean, kinds, 'api/v1/ConfigMap.json')).length).toBeLessThan(readFileSync(path.join(outDir, lean, 'api/v1.json')).length / 20);
  });

  it('validate an object of every kind to the same diagnostics as the group-version documents', async () => {
    const { groupVersions, lean, kinds } = info();
    const leanDir = path.join(outDir, lean);
    const docs: string[] = [];
    for (const gvPath of groupVersions) {
      const gv = parseGroupVersionPath(gvPath as never)!;
      const apiVersion = gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
      for (const kind of resourcesFromDocument(read(path.join(leanDir, `${gvPath}.json`)), gv).keys()) {
        // Wrong types, unknown fields and bad names, so that every kind has diagnostics to compare.
        docs.push(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: Bad_Name\n  labels: {"a/b/c": x}\nspec:\n  bogus: 1\n  replicas: "two"\n  template: {spec: {containers: [{name: c, image: i, ports: [{containerPort: "80"}]}]}}\nbogusTop: true\n`);
      }
    }
    docs.push('apiVersion: v1\nkind: DeleteOptions\nmetadata: {name: d}\n', 'apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: d}\n', 'apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: d}\n');
    const text = docs.join('---\n');
    const run = async (source: SchemaDirSource) => {
      const { manifests } = loadManifests([{ path: 'inputs.yaml', text }]);
      const registry = new SchemaRegistry([source]);
      const result = await validateManifests(manifests, registry, { strict: true });
      return { diagnostics: result.diagnostics, resources: manifests.map((m) => registry.resource(m.ref)) };
    };
    const whole = await run(new SchemaDirSource(leanDir));
    expect(whole.diagnostics.length).toBeGreaterThan(docs.length);
    expect(await run(new SchemaDirSource(leanDir, { kindsDir: path.join(leanDir, kinds) }))).toEqual(whole);
    // Each kind alone too: then no group-version document is read at all (the error cases above read them all).
    for (const doc of docs.slice(0, -3)) {
      const one = async (source: SchemaDirSource) => {
        const { manifests } = loadManifests([{ path: 'one.yaml', text: doc }]);
        return (await validateManifests(manifests, new SchemaRegistry([source]), { strict: true })).diagnostics;
      };
      expect(await one(new SchemaDirSource(leanDir, { kindsDir: path.join(leanDir, kinds) })), doc.split('\n').slice(0, 2).join(' ')).toEqual(await one(new SchemaDirSource(leanDir)));
    }
  });

  it('are all a valid release reads: no group-version document for a ConfigMap, a Service and a Deployment', async () => {
    const [source] = resolveSchemaSources({ env: {}, cwd: process.cwd() });
    const read: string[] = [];
    const spy = {
      description: source!.description,
      groupVersions: () => source!.groupVersions(),
      document: (gv: string) => (read.push(gv), source!.document(gv)),
      kindDocument: (gv: string, kind: string) => (read.push(`${gv} ${kind}`), source!.kindDocument!(gv, kind)),
    };
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\n',
    ].join('---\n');
    const { manifests } = loadManifests([{ path: 'release.yaml', text }]);
    const result = await validateManifests(manifests, new SchemaRegistry([spy]), { strict: true, defaultNamespace: 'default' });
    expect(result.diagnostics).toEqual([]);
    expect(read.sort()).toEqual(['api/v1 ConfigMap', 'api/v1 Service', 'apis/apps/v1 Deployment']);
    // A misspelt kind still reads the whole documents, for its "did you mean" message.
    const typo = loadManifests([{ path: 'typo.yaml', text: 'apiVersion: v1\nkind: ConfigMapp\nmetadata: {name: c}\n' }]).manifests;
    read.length = 0;
    const diagnostics = (await validateManifests(typo, new SchemaRegistry([spy]), { strict: true })).diagnostics;
    expect(diagnostics.map((d) => d.message)).toEqual(['no kind "ConfigMapp" in apiVersion "v1"; did you mean "ConfigMap"?']);
    expect(read).toContain('api/v1');
  });

  it('give a long-lived registry (kd-lsp prepares it document by document) the answers of whole documents', async () => {
    const leanDir = path.join(outDir, info().lean);
    const perKind = new SchemaRegistry([new SchemaDirSource(leanDir, { kindsDir: path.join(leanDir, info().kinds) })]);
    const whole = new SchemaRegistry([new SchemaDirSource(leanDir)]);
    // Kinds met one document at a time: found ones, then a typo (which reads whole documents), then more.
    for (const text of [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: 1}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: x}\n',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: 1\n',
      'apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: d}\n',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: -1}\n',
      'apiVersion: v1\nkind: ConfigMapp\nmetadata: {name: c}\n',
    ]) {
      const { manifests } = loadManifests([{ path: 'doc.yaml', text }]);
      const check = async (registry: SchemaRegistry) => {
        await registry.prepare(manifests.map((m) => m.ref));
        return { diagnostics: validateEach(manifests, registry, { strict: true }), namespaced: manifests.map((m) => registry.isNamespaced(m.ref)) };
      };
      expect(await check(perKind), text).toEqual(await check(whole));
    }
  });

  it('leave a kind with a schema but no resource (DeleteOptions, Eviction) to the documents it was looked up in, as before', async () => {
    // Its message lists kinds of the loaded documents only: reading every document would change it.
    const leanDir = path.join(outDir, info().lean);
    for (const text of ['apiVersion: v1\nkind: DeleteOptions\nmetadata: {name: d}\n', 'apiVersion: policy/v1\nkind: Eviction\nmetadata: {name: e}\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: apps/v1\nkind: DeleteOptions\nmetadata: {name: d}\n']) {
      const run = async (source: SchemaDirSource) => {
        const { manifests } = loadManifests([{ path: 'd.yaml', text }]);
        const registry = new SchemaRegistry([source]);
        const { diagnostics } = await validateManifests(manifests, registry, { strict: true });
        // What unknown-kind messages choose from: the kinds of the loaded documents.
        return { diagnostics, known: registry.knownKinds() };
      };
      const whole = await run(new SchemaDirSource(leanDir));
      expect(whole.diagnostics.some((d) => /DeleteOptions|Eviction/.test(d.message)), text).toBe(true);
      expect(await run(new SchemaDirSource(leanDir, { kindsDir: path.join(leanDir, info().kinds) })), text).toEqual(whole);
    }
  });

  it('are looked up only for plain kind names', async () => {
    const leanDir = path.join(outDir, info().lean);
    const source = new SchemaDirSource(leanDir, { kindsDir: path.join(leanDir, info().kinds) });
    expect(await source.kindDocument('api/v1', '../v1')).toBeUndefined();
    expect(await source.kindDocument('api/v1', 'ConfigMap.json#')).toBeUndefined();
    expect((await source.kindDocument('api/v1', 'ConfigMap'))?.components.schemas['io.k8s.api.core.v1.ConfigMap']).toBeDefined();
    expect(await source.kindDocument('api/v1', 'NoSuchKind')).toBeUndefined();
  });
});

describe('which documents a command gets', () => {
  it('validating commands read the validation-only documents; kd sim gets the whole ones', async () => {
    const [forValidation] = resolveSchemaSources({ env: {}, cwd: process.cwd() });
    const lean = await forValidation!.document('api/v1');
    const whole = await builtInSource().document('api/v1');
    expect(forValidation!.description).toBe(builtInSource().description);
    const list = (doc: OpenApiDocument | undefined) => (doc!.paths['/api/v1/namespaces/{namespace}/configmaps'] as Record<string, { description?: string }>).get;
    expect(list(whole)!.description).toBeTruthy();
    expect(list(lean)!.description).toBeUndefined();
  });
});

describe('the built-in listing of group-versions', () => {
  it('comes from bundle.json, in the order a folder scan gives, for the whole and the validation-only documents', async () => {
    const scanned = await new SchemaDirSource(bundleDir()).groupVersions();
    expect(scanned.length).toBeGreaterThan(30);
    expect(await builtInSource().groupVersions()).toEqual(scanned);
    expect(await resolveSchemaSources({ env: {}, cwd: process.cwd() })[0]!.groupVersions()).toEqual(scanned);
  });

  it('reads no folder when it is given', async () => {
    // A scan of a missing folder is an environment error; a given listing is taken as it is, sorted.
    const missing = path.join(scratch, 'no-such-folder');
    await expect(new SchemaDirSource(missing).groupVersions()).rejects.toThrow(/cannot be read/);
    const listed = new SchemaDirSource(missing, { groupVersions: ['apis/batch/v1', 'apis/apps/v1', 'api/v1', 'apis/apps/v1beta1'] });
    expect(await listed.groupVersions()).toEqual(['api/v1', 'apis/apps/v1', 'apis/apps/v1beta1', 'apis/batch/v1']);
  });
});
