/**
 * A Secret's `stringData` is write-only, as in kube-apiserver's v1 → internal conversion: every
 * write stores its entries base64-encoded in `data` (winning over a `data` entry of the same key)
 * and the object read back has no `stringData`. Re-applying the same `stringData` is a no-op.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import type { SimHandle } from '../../src/sim/server.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simJson, startValidatingSim, type Json } from '../support/validating-sim.js';


let sim: SimHandle;
const source = new SchemaDirSource(SCHEMA_DIR);
const NS = 'secrets';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

beforeAll(async () => {
  sim = await startValidatingSim(source);
  expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
});
afterAll(async () => {
  await sim?.stop();
});

const call = (method: string, p: string, body?: unknown, contentType?: string) => simJson(sim, method, p, body, contentType);

const secret = (name: string, extra: Json) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', ...extra });
const path = (name: string) => `/api/v1/namespaces/${NS}/secrets/${name}`;

describe('Secret stringData', () => {
  it('is stored base64-encoded in data on create, overriding a data entry of the same key', async () => {
    const ok = await call('POST', `/api/v1/namespaces/${NS}/secrets`, secret('created', { data: { user: b64('old'), keep: b64('k') }, stringData: { user: 'shop', password: 'é!' } }));
    expect(ok.status).toBe(201);
    expect(ok.json.stringData).toBeUndefined();
    expect(ok.json.data).toEqual({ user: b64('shop'), keep: b64('k'), password: b64('é!') });
    expect((await call('GET', path('created'))).json.data).toEqual({ user: b64('shop'), keep: b64('k'), password: b64('é!') });
  });

  it('is converted on update too', async () => {
    const live = (await call('GET', path('created'))).json;
    const r = await call('PUT', path('created'), { ...live, stringData: { user: 'other' } });
    expect(r.status).toBe(200);
    expect(r.json.stringData).toBeUndefined();
    expect(r.json.data.user).toBe(b64('other'));
  });

  it('applied twice with Server-Side Apply writes once; the applier owns the stringData fields', async () => {
    const body = secret('applied', { stringData: { username: 'shop', password: 'change-me' } });
    const ssa = () => call('PATCH', `${path('applied')}?fieldManager=kubectl-kd&force=true`, body, 'application/apply-patch+yaml');
    const first = await ssa();
    expect(first.status).toBe(201);
    expect(first.json.data).toEqual({ username: b64('shop'), password: b64('change-me') });
    expect(first.json.stringData).toBeUndefined();
    expect(first.json.metadata.managedFields).toHaveLength(1);
    expect(first.json.metadata.managedFields[0].fieldsV1).toEqual({ 'f:stringData': { 'f:password': {}, 'f:username': {} }, 'f:type': {} });
    const second = await ssa();
    expect(second.status).toBe(200);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    expect(second.json.data).toEqual(first.json.data);
  });

  it('cannot change the data of an immutable Secret', async () => {
    expect((await call('POST', `/api/v1/namespaces/${NS}/secrets`, secret('frozen', { immutable: true, stringData: { a: '1' } }))).status).toBe(201);
    const r = await call('PATCH', path('frozen'), { stringData: { a: '2' } }, 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect(r.json.details.causes).toEqual([{ reason: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' }]);
  });
});
