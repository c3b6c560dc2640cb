/**
 * The generated bundle as kd and kubectl use it: it loads through SchemaDirSource, its REST
 * paths say what each resource is (scope, verbs, subresources), write operations declare the
 * query parameters kubectl's apply needs, the patched fields carry the server's semantics, and
 * generation is reproducible and skipped when nothing changed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBundle } from '../../scripts/gen-bundle.mjs';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import type { OpenApiDocument, SchemaObject } from '../../src/schema/types.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repo, 'test/fixtures/bundle');

let scratch: string;
let outDir: string;
let source: SchemaDirSource;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kd-bundle-'));
  outDir = path.join(scratch, 'kubernetes');
  generateBundle({ outDir, force: true });
  source = new SchemaDirSource(outDir, { description: 'built-in bundle (Kubernetes 1.36)', kubernetesVersion: '1.36' });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** One line per resource, from the REST paths alone: `deployments Deployment namespaced verbs=... subresources=...`. */
function resourceSummary(doc: OpenApiDocument, base: string): string[] {
  const resources = new Map<string, { kind: string; namespaced: boolean; verbs: Set<string>; subresources: Set<string> }>();
  for (const [p, item] of Object.entries(doc.paths)) {
    const m = /^(?:\/watch)?(\/namespaces\/\{namespace\})?\/([a-z0-9]+)(\/\{name\})?(?:\/([a-z]+))?$/.exec(p.slice(base.length));
    if (!m) continue;
    const plural = m[2]!;
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const o = op as { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: { kind: string } };
      const action = o['x-kubernetes-action'];
      if (action === undefined) continue;
      const r = resources.get(plural) ?? { kind: '', namespaced: false, verbs: new Set<string>(), subresources: new Set<string>() };
      resources.set(plural, r);
      if (m[1] !== undefined) r.namespaced = true;
      if (m[4] !== undefined) {
        r.subresources.add(m[4]);
        continue;
      }
      if (r.kind === '' && o['x-kubernetes-group-version-kind']) r.kind = o['x-kubernetes-group-version-kind'].kind;
      const verb = { post: 'create', put: 'update', watchlist: 'watch' }[action] ?? action;
      r.verbs.add(verb);
    }
  }
  return [...resources]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([plural, r]) => `${plural} ${r.kind} ${r.namespaced ? 'namespaced' : 'cluster'} verbs=${[...r.verbs].sort().join(',')} subresources=${[...r.subresources].sort().join(',')}`);
}

function schemaOf(doc: OpenApiDocument, name: string): SchemaObject {
  const s = doc.components.schemas[name];
  if (s === undefined) throw new Error(`no definition ${name}`);
  return s;
}

describe('built-in bundle through SchemaDirSource', () => {
  it('lists the core group and the apps group-versions', async () => {
    const gvs = await source.groupVersions();
    expect(gvs).toContain('api/v1');
    expect(gvs).toContain('apis/apps/v1');
    expect(gvs).toContain('apis/batch/v1');
    expect(gvs.every((gv) => /^(api\/v\w+|apis\/[^/]+\/v\w+)$/.test(gv))).toBe(true);
  });

  it('serves apps/v1 with Deployment namespaced and having the status and scale subresources', async () => {
    const doc = await source.document('apis/apps/v1');
    expect(doc).toBeDefined();
    expect(doc!.openapi).toBe('3.0.0');
    const summary = resourceSummary(doc!, '/apis/apps/v1');
    const expected = readFileSync(path.join(fixtures, 'apps-v1-resources.txt'), 'utf8').trimEnd().split('\n');
    expect(summary).toEqual(expected);
  });

  it('serves core v1 with cluster-scoped nodes and namespaced pods with their subresources', async () => {
    const doc = await source.document('api/v1');
    const summary = resourceSummary(doc!, '/api/v1');
    const expected = readFileSync(path.join(fixtures, 'core-v1-resources.txt'), 'utf8').trimEnd().split('\n');
    expect(summary).toEqual(expected);
  });

  it('declares dryRun, fieldManager, fieldValidation and force on writes, as kubectl apply requires', async () => {
    const doc = (await source.document('apis/apps/v1'))!;
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!;
    const names = (method: string) =>
      [...((item.parameters as Array<{ name: string }>) ?? []), ...(((item[method] as { parameters?: Array<{ name: string }> }).parameters) ?? [])].map((p) => p.name).sort();
    expect(names('patch')).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force', 'name', 'namespace', 'pretty']);
    expect(names('put')).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'name', 'namespace', 'pretty']);
    const create = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments']!.post as { parameters: Array<{ name: string }> };
    expect(create.parameters.map((p) => p.name).sort()).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
  });

  it('names the kind of each top-level definition and puts back what the client lost', async () => {
    const apps = (await source.document('apis/apps/v1'))!;
    expect(schemaOf(apps, 'io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schemaOf(apps, 'io.k8s.api.apps.v1.DeploymentSpec').required).toEqual(['selector', 'template']);
    const container = schemaOf(apps, 'io.k8s.api.core.v1.Container').properties!;
    expect(container.ports!['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(container.env!['x-kubernetes-patch-merge-key']).toBe('name');
    const limits = schemaOf(apps, 'io.k8s.api.core.v1.ResourceRequirements').properties!.limits!;
    expect(limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    const maxSurge = schemaOf(apps, 'io.k8s.api.apps.v1.RollingUpdateDeployment').properties!.maxSurge!;
    expect(maxSurge.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
    expect(schemaOf(apps, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString').format).toBe('int-or-string');
    expect(schemaOf(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')['x-kubernetes-map-type']).toBe('atomic');
  });

  it('refers only to definitions the same document holds', async () => {
    for (const gv of await source.groupVersions()) {
      const doc = (await source.document(gv))!;
      const text = JSON.stringify(doc);
      const missing = [...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!).filter((n) => !(n in doc.components.schemas));
      expect({ gv, missing: [...new Set(missing)] }).toEqual({ gv, missing: [] });
    }
  });
});

describe('bundle generation', () => {
  it('records the Kubernetes and client versions and no generation time', () => {
    const meta = JSON.parse(readFileSync(path.join(outDir, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    const pkg = JSON.parse(readFileSync(path.join(repo, 'node_modules/@kubernetes/client-node/package.json'), 'utf8')) as { version: string };
    expect(meta.kubernetesVersion).toBe('1.36');
    expect(meta.source).toEqual({ package: '@kubernetes/client-node', version: pkg.version, specVersion: 'release-1.36' });
    expect(JSON.stringify(meta)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(Array.isArray(meta.losses)).toBe(true);
  });

  it('writes byte-identical documents on every run', () => {
    const again = path.join(scratch, 'again');
    generateBundle({ outDir: again, force: true });
    const files = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== '.stamp')
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
    expect(files(again)).toEqual(files(outDir));
    for (const f of files(outDir)) expect(readFileSync(path.join(again, f), 'utf8') === readFileSync(path.join(outDir, f), 'utf8')).toBe(true);
  });

  it('skips work while the stamp is current, and regenerates when it is not', () => {
    const dir = path.join(scratch, 'stamped');
    expect(generateBundle({ outDir: dir }).skipped).toBe(false);
    const second = generateBundle({ outDir: dir });
    expect(second.skipped).toBe(true);
    writeFileSync(path.join(dir, '.stamp'), 'inputs changed');
    expect(generateBundle({ outDir: dir }).skipped).toBe(false);
  });

  it('is fast enough to run on every build', () => {
    const result = generateBundle({ outDir: path.join(scratch, 'timed'), force: true });
    expect(result.files).toBeGreaterThan(30);
    expect(result.durationMs).toBeLessThan(5000);
  });
});
