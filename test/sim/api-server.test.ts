import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { coreValidatorFor } from '../../src/sim/embedded.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simFetch } from '../support/sim-fetch.js';

let sim: SimHandle;
const source = new SchemaDirSource(SCHEMA_DIR);
let n = 0;

beforeAll(async () => {
  sim = await startSim({ schemaSource: source, validator: await coreValidatorFor(source), bookmarkIntervalMs: 200 });
});
afterAll(async () => {
  await sim?.stop();
});

type Json = Record<string, any>;

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; headers: Headers }> {
  const r = await simFetch(sim, p, { method, headers: { 'Content-Type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

async function namespace(prefix: string): Promise<string> {
  const name = `${prefix}-${++n}`;
  const r = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  expect(r.status).toBe(201);
  return name;
}

const cm = (name: string, data: Record<string, string> = { a: '1' }, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

/** Reads watch events until `count` arrived or the stream ended. */
async function watchEvents(p: string, count: number, during?: () => Promise<void>): Promise<Json[]> {
  const ac = new AbortController();
  const r = await simFetch(sim, p, { signal: ac.signal });
  expect(r.status).toBe(200);
  const reader = r.body!.getReader();
  const events: Json[] = [];
  let buf = '';
  const pending = during?.();
  const timer = setTimeout(() => ac.abort(), 5000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)) as Json);
        buf = buf.slice(i + 1);
      }
    }
  } catch {
    // aborted
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  await pending;
  return events;
}

describe('discovery and OpenAPI', () => {
  it('serves /version for the kubectl dispatcher', async () => {
    const r = await call('GET', '/version?timeout=5s');
    expect(r.json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' });
  });

  it('answers aggregated discovery with its exact content type, and legacy discovery otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const agg = await call('GET', '/apis', undefined, { Accept: accept });
    expect(agg.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = agg.json.items.find((g: Json) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: Json) => r.resource === 'deployments');
    expect(deployments).toEqual({
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    const core = await call('GET', '/api', undefined, { Accept: accept });
    expect(core.json.items).toHaveLength(1);
    expect(core.json.items[0].metadata).toEqual({});
    const legacy = await call('GET', '/api');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await call('GET', '/apis');
    expect(groups.json.groups.find((g: Json) => g.name === 'autoscaling').preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    const list = await call('GET', '/apis/apps/v1');
    expect(list.json.resources.map((r: Json) => r.name)).toContain('deployments/scale');
  });

  it('serves the OpenAPI v3 index with hashes, immutable documents, and redirects stale hashes', async () => {
    const index = await call('GET', '/openapi/v3');
    expect(index.headers.get('cache-control')).toBe('no-cache, private');
    const url: string = index.json.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await simFetch(sim, url);
    expect(doc.headers.get('cache-control')).toBe('public, immutable');
    expect(doc.headers.get('expires')).not.toBeNull();
    const body = (await doc.json()) as Json;
    expect(body.paths['/apis/apps/v1/namespaces/{namespace}/deployments']).toBeDefined();
    const stale = await simFetch(sim, '/openapi/v3/apis/apps/v1?hash=0000');
    expect(stale.status).toBe(301);
    expect(stale.headers.get('location')).toBe(url);
  });

  it('answers /openapi/v2 protobuf requests with the empty fallback kubectl accepts', async () => {
    const r = await simFetch(sim, '/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect((await r.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('errors as kube-apiserver sends them', () => {
  it('NotFound, AlreadyExists, Conflict, BadRequest, Invalid, MethodNotAllowed, UnsupportedMediaType', async () => {
    const ns = await namespace('errors');
    const missing = await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/x`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "x" not found', reason: 'NotFound', details: { name: 'x', group: 'apps', kind: 'deployments' }, code: 404 });
    expect((await call('GET', '/apis/nothing/v1/things')).json).toMatchObject({ code: 404, message: 'the server could not find the requested resource' });
    expect((await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('c'))).status).toBe(201);
    expect((await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('c'))).json).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "c" already exists' });
    const stale = await call('PUT', `/api/v1/namespaces/${ns}/configmaps/c`, { ...cm('c', { a: '2' }), metadata: { name: 'c', resourceVersion: '1' } });
    expect(stale.json).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    });
    const withRv = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...cm('d'), metadata: { name: 'd', resourceVersion: '5' } });
    expect(withRv.json).toMatchObject({ code: 400, reason: 'BadRequest', message: 'resourceVersion should not be set on objects to be created' });
    const badName = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('Bad_Name'));
    expect(badName.status).toBe(422);
    expect(badName.json.details).toMatchObject({ name: 'Bad_Name', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] });
    expect(badName.json.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const noImage = await call('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'x' }] } });
    expect(noImage.json).toMatchObject({ code: 422, message: 'Pod "p" is invalid: spec.containers[0].name: Required value' });
    const notAllowed = await call('PUT', '/api/v1/componentstatuses/x', {});
    expect(notAllowed.json).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    const media = await call('PATCH', `/api/v1/namespaces/${ns}/configmaps/c`, '{}', { 'Content-Type': 'text/plain' });
    expect(media.json).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
  });

  it('needs an existing, active namespace for namespaced writes', async () => {
    const nope = await call('POST', '/api/v1/namespaces/nope/configmaps', cm('c'));
    expect(nope.json).toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "nope" not found' });
  });

  it('Strict rejects unknown fields, Warn answers a Warning header, Ignore drops them silently', async () => {
    const ns = await namespace('fv');
    const body = { ...cm('u'), extra: 1 };
    const strict = await call('POST', `/api/v1/namespaces/${ns}/configmaps?fieldValidation=Strict`, body);
    expect(strict.json).toMatchObject({ code: 400, message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"' });
    const warn = await call('POST', `/api/v1/namespaces/${ns}/configmaps?fieldValidation=Warn`, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe('299 - "unknown field \\"extra\\""');
    expect(warn.json.extra).toBeUndefined();
    const ignore = await call('POST', `/api/v1/namespaces/${ns}/configmaps?fieldValidation=Ignore`, { ...body, metadata: { name: 'u2' } });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.get('warning')).toBeNull();
  });
});

describe('object metadata and server-set fields', () => {
  it('bumps one cluster-wide resourceVersion and generation only on spec changes; dryRun stores nothing', async () => {
    const ns = await namespace('meta');
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const created = await call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, d);
    expect(created.json.metadata.generation).toBe(1);
    expect(created.json.spec.replicas).toBe(1);
    expect(created.json.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    const rv1 = Number(created.json.metadata.resourceVersion);
    const labelled = await call('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web`, { metadata: { labels: { x: 'y' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(labelled.json.metadata.generation).toBe(1);
    expect(Number(labelled.json.metadata.resourceVersion)).toBeGreaterThan(rv1);
    const dry = await call('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web?dryRun=All`, { spec: { replicas: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(dry.json.spec.replicas).toBe(5);
    expect(dry.json.metadata.generation).toBe(2);
    const after = await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(after.json.spec.replicas).toBe(1);
    expect(after.json.metadata.resourceVersion).toBe(labelled.json.metadata.resourceVersion);
    const scaled = await call('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(scaled.json.metadata.generation).toBe(2);
    const status = await call('PUT', `/apis/apps/v1/namespaces/${ns}/deployments/web/status`, { ...scaled.json, spec: { ...scaled.json.spec, replicas: 9 }, status: { replicas: 3 } });
    expect(status.json.status).toEqual({ replicas: 3 });
    expect(status.json.spec.replicas).toBe(3);
    expect(status.json.metadata.generation).toBe(2);
    const cmCreated = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('g'));
    expect(cmCreated.json.metadata.generation).toBeUndefined();
  });

  it('allocates Service cluster IPs and node ports, and keeps the cluster IP immutable', async () => {
    const ns = await namespace('svc');
    const svc = await call('POST', `/api/v1/namespaces/${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] } });
    expect(svc.json.spec).toMatchObject({ type: 'NodePort', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', externalTrafficPolicy: 'Cluster' });
    expect(svc.json.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.json.spec.clusterIPs).toEqual([svc.json.spec.clusterIP]);
    expect(svc.json.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(svc.json.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    const change = await call('PATCH', `/api/v1/namespaces/${ns}/services/s`, { spec: { clusterIP: '10.96.200.200', clusterIPs: ['10.96.200.200'] } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(change.status).toBe(422);
    expect(change.json.message).toContain('spec.clusterIPs[0]: Invalid value: []string{"10.96.200.200"}: may not change once set');
  });

  it('scale subresource speaks autoscaling/v1 Scale', async () => {
    const ns = await namespace('scale');
    await call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const scale = await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/w/scale`);
    expect(scale.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'a=b' } });
    const patched = await call('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/w/scale`, { spec: { replicas: 7 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.json).toMatchObject({ kind: 'Scale', spec: { replicas: 7 } });
    expect((await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/w`)).json.spec.replicas).toBe(7);
  });

  it('scale patches apply each patch type to the Scale, and a patch that is not an object is a bad request', async () => {
    const ns = await namespace('scale-patch');
    await call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/w/scale`;
    const json = await call('PATCH', path, [{ op: 'replace', path: '/spec/replicas', value: 3 }], { 'Content-Type': 'application/json-patch+json' });
    expect(json.json).toMatchObject({ kind: 'Scale', spec: { replicas: 3 } });
    const strategic = await call('PATCH', path, { spec: { replicas: 4 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(strategic.json).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
    // Before, an array merge patch replaced the whole Scale and was answered 422 "Invalid value: undefined".
    const merge = await call('PATCH', path, [{ spec: { replicas: 5 } }], { 'Content-Type': 'application/merge-patch+json' });
    expect(merge.status).toBe(400);
    expect(merge.json.message).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
    const smp = await call('PATCH', path, [{ spec: { replicas: 5 } }], { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(smp.status).toBe(400);
    expect((await call('GET', `/apis/apps/v1/namespaces/${ns}/deployments/w`)).json.spec.replicas).toBe(4);
  });
});

describe('lists and watches', () => {
  it('filters by label and field selectors and pages with limit/continue', async () => {
    const ns = await namespace('list');
    for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web'], ['d', 'cache']] as const) await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(name, {}, { tier }));
    const names = (r: { json: Json }) => r.json.items.map((i: Json) => i.metadata.name);
    expect(names(await call('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=tier%3Dweb`))).toEqual(['a', 'c']);
    expect(names(await call('GET', `/api/v1/namespaces/${ns}/configmaps?labelSelector=tier%20in%20(db,cache)`))).toEqual(['b', 'd']);
    expect(names(await call('GET', `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Db`))).toEqual(['b']);
    expect((await call('GET', `/api/v1/namespaces/${ns}/configmaps?fieldSelector=spec.foo%3Db`)).json).toMatchObject({ code: 400, message: 'field label not supported: spec.foo' });
    const page1 = await call('GET', `/api/v1/namespaces/${ns}/configmaps?limit=2`);
    expect(names(page1)).toEqual(['a', 'b']);
    expect(page1.json.metadata.remainingItemCount).toBe(3);
    const page2 = await call('GET', `/api/v1/namespaces/${ns}/configmaps?limit=2&continue=${encodeURIComponent(page1.json.metadata.continue)}`);
    expect(names(page2)).toEqual(['c', 'd']);
  });

  it('renders Tables for kubectl get', async () => {
    const ns = await namespace('table');
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('t', { a: '1', b: '2' }));
    const r = await call('GET', `/api/v1/namespaces/${ns}/configmaps/t`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(r.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(r.json.columnDefinitions.map((c: Json) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(r.json.rows[0].cells.slice(0, 2)).toEqual(['t', 2]);
    expect(r.json.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 't', namespace: ns } });
  });

  it('replays from a resourceVersion, sends synthetic ADDED for rv=0, and turns selector exits into DELETED', async () => {
    const ns = await namespace('watch');
    const c1 = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('w1', {}, { keep: 'yes' }));
    const rv = c1.json.metadata.resourceVersion as string;
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('w2', {}, { keep: 'yes' }));
    await call('PATCH', `/api/v1/namespaces/${ns}/configmaps/w1`, { data: { x: 'y' } }, { 'Content-Type': 'application/merge-patch+json' });
    const replay = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`, 2);
    expect(replay.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'w2'], ['MODIFIED', 'w1']]);
    const synthetic = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=0&labelSelector=keep%3Dyes`, 2);
    expect(synthetic.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'w1'], ['ADDED', 'w2']]);
    const now = (await call('GET', `/api/v1/namespaces/${ns}/configmaps`)).json.metadata.resourceVersion as string;
    const leaving = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${now}&labelSelector=keep%3Dyes`, 2, async () => {
      await new Promise((r) => setTimeout(r, 100));
      await call('PATCH', `/api/v1/namespaces/${ns}/configmaps/w2`, { metadata: { labels: { keep: 'no' } } }, { 'Content-Type': 'application/merge-patch+json' });
      await call('DELETE', `/api/v1/namespaces/${ns}/configmaps/w1`);
    });
    expect(leaving.map((e) => [e.type, e.object.metadata.name])).toEqual([['DELETED', 'w2'], ['DELETED', 'w1']]);
  });

  it('answers 410 Expired for a compacted resourceVersion, sends bookmarks, and honours timeoutSeconds', async () => {
    const ns = await namespace('gone');
    const rv = (await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('g'))).json.metadata.resourceVersion as string;
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('h'));
    sim.storage.store.compact();
    const expired = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`, 1);
    expect(expired[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 } });
    expect(expired[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    const current = String(sim.storage.store.resourceVersion);
    const started = Date.now();
    const events = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${current}`, 100);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'BOOKMARK')).toBe(true);
    expect(events[0]!.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: current } });
  });
});

describe('deletion', () => {
  const rsBody = (name: string, owner?: { name: string; uid: string }) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, labels: { a: name }, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, blockOwnerDeletion: true }] } : {}) },
    spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  });
  // The garbage collector runs all its passes in one setImmediate scheduled by the write: one
  // event-loop turn after the answer it has run, whatever the load.
  const settle = () => new Promise((r) => setImmediate(r));

  it('Orphan strips ownerReferences and keeps dependents; Background deletes them', async () => {
    const ns = await namespace('gc');
    const owner = (await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('owner'))).json;
    await call('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rsBody('dep', { name: 'owner', uid: owner.metadata.uid }));
    const del = await call('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`, { propagationPolicy: 'Orphan' });
    expect(del.json.metadata.finalizers).toEqual(['orphan']);
    await settle();
    const dep = await call('GET', `/apis/apps/v1/namespaces/${ns}/replicasets/dep`);
    expect(dep.status).toBe(200);
    expect(dep.json.metadata.ownerReferences).toBeUndefined();
    expect((await call('GET', `/api/v1/namespaces/${ns}/configmaps/owner`)).status).toBe(404);
    const owner2 = (await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('owner2'))).json;
    await call('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rsBody('dep2', { name: 'owner2', uid: owner2.metadata.uid }));
    const bg = await call('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner2`, { propagationPolicy: 'Background' });
    expect(bg.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'owner2', kind: 'configmaps', uid: owner2.metadata.uid } });
    await settle();
    expect((await call('GET', `/apis/apps/v1/namespaces/${ns}/replicasets/dep2`)).status).toBe(404);
  });

  it('Foreground keeps the owner (foregroundDeletion) until its dependents are gone', async () => {
    const ns = await namespace('fg');
    const owner = (await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('owner'))).json;
    await call('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rsBody('dep', { name: 'owner', uid: owner.metadata.uid }));
    const events = await watchEvents(`/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${String(sim.storage.store.resourceVersion)}&fieldSelector=metadata.name%3Downer`, 2, async () => {
      const del = await call('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`, { propagationPolicy: 'Foreground' });
      expect(del.json.metadata.finalizers).toEqual(['foregroundDeletion']);
      expect(del.json.metadata.deletionTimestamp).toBeDefined();
    });
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect((await call('GET', `/apis/apps/v1/namespaces/${ns}/replicasets/dep`)).status).toBe(404);
  });

  it('a namespace goes Terminating, refuses new content, deletes its contents, then disappears', async () => {
    const ns = await namespace('doomed');
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('x'));
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...cm('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await call('DELETE', `/api/v1/namespaces/${ns}`);
    expect(del.status).toBe(200);
    expect(del.json.status.phase).toBe('Terminating');
    await settle();
    const refused = await call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('y'));
    expect(refused.json).toMatchObject({ code: 403, reason: 'Forbidden', message: `configmaps "y" is forbidden: unable to create new content in namespace ${ns} because it is being terminated` });
    expect((await call('GET', `/api/v1/namespaces/${ns}/configmaps/x`)).status).toBe(404);
    const held = await call('GET', `/api/v1/namespaces/${ns}/configmaps/held`);
    expect(held.json.metadata.deletionTimestamp).toBeDefined();
    expect((await call('GET', `/api/v1/namespaces/${ns}`)).json.status.phase).toBe('Terminating');
    await call('PATCH', `/api/v1/namespaces/${ns}/configmaps/held`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await settle();
    expect((await call('GET', `/api/v1/namespaces/${ns}`)).status).toBe(404);
    expect(sim.storage.store.list('', 'configmaps', ns)).toEqual([]);
  });
});

describe('state file', () => {
  it('persists objects across restarts with the resourceVersion counter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-sim-state-'));
    const statePath = path.join(dir, 'state.json');
    const a = await startSim({ schemaSource: source, validator: await coreValidatorFor(source), statePath });
    const created = await simFetch(a, `/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cm('kept')) });
    const rv = Number(((await created.json()) as Json).metadata.resourceVersion);
    await a.stop();
    expect(existsSync(statePath)).toBe(true);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).resourceVersion).toBe(rv);
    const b = await startSim({ schemaSource: source, validator: await coreValidatorFor(source), statePath });
    try {
      const got = (await (await simFetch(b, `/api/v1/namespaces/default/configmaps/kept`)).json()) as Json;
      expect(got.data).toEqual({ a: '1' });
      const next = (await (await simFetch(b, `/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cm('later')) })).json()) as Json;
      expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(rv);
    } finally {
      await b.stop();
    }
  });
});
