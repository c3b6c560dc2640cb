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
import { resourcesFromDocument, schemaNamesByKind, servedResources } from '../../src/schema/resources.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { parseGroupVersionPath, type OpenApiDocument } from '../../src/schema/types.js';
import { validateManifests } from '../../src/validate/index.js';
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
