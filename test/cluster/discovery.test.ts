import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery, DiskCache, HttpTransport, serverFolderName, type HttpRequest, type HttpResponse } from '../../src/cluster/index.js';
import { FakeClock, startTestSim, widgetCrd, type TestSim } from './support/sim.js';

/** A transport that never asks for aggregated discovery: the server answers with legacy documents. */
class LegacyOnlyTransport extends HttpTransport {
  override request(req: HttpRequest): Promise<HttpResponse> {
    const { accept: _accept, ...rest } = req;
    return super.request(rest);
  }
}

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(() => t.stop());

const discoveryRequests = () => t.requests.filter((r) => /^GET \/(api|apis)(\/[^/]+(\/[^/]+)?)? /.test(r));

describe('discovery', () => {
  it('uses aggregated discovery (two requests) and maps kinds to resources and scope', async () => {
    const session = await t.connect({ cacheDir: false });
    const before = discoveryRequests().length;
    const d = session.client.discovery;
    const deployment = await d.resourceFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(d.mode).toBe('aggregated');
    expect(discoveryRequests().slice(before)).toEqual(['GET /api 200', 'GET /apis 200']);
    expect(deployment).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      singular: 'deployment',
      namespaced: true,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: ['scale', 'status'],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    expect(await d.resourceFor({ group: '', version: 'v1', kind: 'Namespace' })).toMatchObject({ plural: 'namespaces', namespaced: false });
    expect(await d.versionsOf({ group: 'autoscaling', kind: 'HorizontalPodAutoscaler' })).toEqual(['autoscaling/v2', 'autoscaling/v1']);
  });

  it('falls back to the legacy documents with the same answers', async () => {
    const session = await t.connect({ cacheDir: false });
    const legacy = new Discovery({ transport: new LegacyOnlyTransport({ credentials: { server: t.sim.url, tls: { ca: Buffer.from(t.sim.caCert!) }, headers: async () => t.sim.authHeaders() } }) });
    const aggregated = session.client.discovery;
    const a = await legacy.resources();
    expect(legacy.mode).toBe('legacy');
    const b = await aggregated.resources();
    const key = (r: { group: string; version: string; kind: string }) => `${r.group}/${r.version}/${r.kind}`;
    const sort = <T extends { group: string; version: string; kind: string }>(xs: T[]) => [...xs].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    expect(sort(a)).toEqual(sort(b));
  });

  it('caches on disk per server with a TTL, and refreshes on a miss so a new CRD is found', async () => {
    const cacheDir = path.join(t.tmp, 'discovery-cache');
    const clock = new FakeClock();
    const first = await t.connect({ cacheDir, clock });
    await first.client.discovery.resources();
    expect(first.client.discovery.lastSource).toBe('server');

    // A second process (a new client) reads the cache: no discovery request.
    const before = discoveryRequests().length;
    const second = await t.connect({ cacheDir, clock });
    expect(await second.client.discovery.resourceFor({ group: 'batch', version: 'v1', kind: 'Job' })).toMatchObject({ plural: 'jobs' });
    expect(second.client.discovery.lastSource).toBe('disk');
    expect(discoveryRequests().length).toBe(before);
    const cache = new DiskCache(path.join(cacheDir, serverFolderName(t.sim.url)));
    expect(cache.read<{ mode: string }>('discovery.json')?.mode).toBe('aggregated');

    // A CRD created after the cache was written: the miss refreshes and finds it.
    await first.client.apply(widgetCrd());
    const third = await t.connect({ cacheDir, clock });
    const widget = await third.client.discovery.resourceFor({ group: 'example.com', version: 'v1', kind: 'Widget' });
    expect(widget).toMatchObject({ plural: 'widgets', namespaced: true, subresources: ['status'], shortNames: ['wd'] });
    expect(third.client.discovery.lastSource).toBe('server');
    expect(discoveryRequests().slice(before)).toEqual(['GET /api 200', 'GET /apis 200']);

    // A kind that does not exist costs one refresh and answers undefined.
    expect(await third.client.discovery.resourceFor({ group: 'example.com', version: 'v1', kind: 'Gadget' })).toBeUndefined();

    // An hour later a new process still reads the cache (the TTL is kubectl's 6 hours, not 10
    // minutes: every short command would otherwise pay two discovery requests).
    const n = discoveryRequests().length;
    clock.time += 60 * 60 * 1000;
    const hourLater = await t.connect({ cacheDir, clock });
    await hourLater.client.discovery.resourceFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(hourLater.client.discovery.lastSource).toBe('disk');
    expect(discoveryRequests().length).toBe(n);

    // After the TTL the cache is stale: the next lookup refetches.
    const fourth = await t.connect({ cacheDir, clock });
    clock.time += 6 * 60 * 60 * 1000;
    await fourth.client.discovery.resourceFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(fourth.client.discovery.lastSource).toBe('server');
    expect(discoveryRequests().length).toBe(n + 2);
  });

  it('names the kind and the served versions when a kind is not served', async () => {
    const session = await t.connect({ cacheDir: false });
    const e = await session.client.apply({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }).catch((err: unknown) => err as Error & { hint?: string });
    expect(e.message).toBe('apply Deployment: the server does not serve kind Deployment in apps/v1beta1');
    expect(e.hint).toBe('it serves Deployment as apps/v1: change apiVersion');
    const crd = await session.client.apply({ apiVersion: 'acme.io/v1', kind: 'Rocket', metadata: { name: 'x' } }).catch((err: unknown) => err as Error & { hint?: string });
    expect(crd.hint).toBe('install the CustomResourceDefinition for it first (or apply it in an earlier wave)');
  });
});
