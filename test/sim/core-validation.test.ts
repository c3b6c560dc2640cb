import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import type { SimProblem, WriteValidator } from '../../src/sim/rest-storage.js';
import { SCHEMA_DIR } from './sim-support.js';
import { crdWithSpec, simJson, startValidatingSim, type Json } from '../support/validating-sim.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../fixtures/sim/core-validation');
const SHOP_CRD = path.resolve(here, '../../examples/shop/30-crd.yaml');


const call = (sim: SimHandle, method: string, p: string, body?: unknown, query = '') => simJson(sim, method, p + query, body);

const fixture = (name: string) => parseYaml(readFileSync(path.join(FIXTURES, `${name}.yaml`), 'utf8')) as Json;
const expected = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.status.json`), 'utf8')) as Json;

describe('writes go through the core validator', () => {
  let sim: SimHandle;
  const source = new SchemaDirSource(SCHEMA_DIR);

  beforeAll(async () => {
    sim = await startValidatingSim(source);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it.each(['deployment-malformed-quantity', 'deployment-quantity-suffix', 'deployment-duplicate-container'])('%s', async (name) => {
    const r = await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', fixture(name));
    expect(r.json).toEqual(expected(name));
    expect(r.status).toBe(expected(name).code);
    expect(sim.storage.store.list('apps', 'deployments')).toEqual([]);
  });

  it('a CRD created through the API is known at once: its CEL rule rejects a Promotion (422), and a fixed one is stored', async () => {
    const crd = parseYaml(readFileSync(SHOP_CRD, 'utf8')) as Json;
    expect((await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const base = '/apis/shop.example.com/v1/namespaces/default/promotions';
    const bad = await call(sim, 'POST', base, fixture('promotion-cel-rule-violated'));
    expect(bad.json).toEqual(expected('promotion-cel-rule-violated'));
    expect(bad.status).toBe(422);
    const good = fixture('promotion-cel-rule-violated');
    good.spec.code = 'VIPSPRING';
    expect((await call(sim, 'POST', base, good)).status).toBe(201);
  });

  it('a changed CRD schema applies to the next write', async () => {
    const crd = crdWithSpec('core.example.com', 'Gauge', { level: { type: 'integer', maximum: 10 } });
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    expect((await call(sim, 'POST', crdPath, crd)).status).toBe(201);
    const base = '/apis/core.example.com/v1/namespaces/default/gauges';
    const gauge = (name: string, level: number) => ({ apiVersion: 'core.example.com/v1', kind: 'Gauge', metadata: { name }, spec: { level } });
    expect((await call(sim, 'POST', base, gauge('g1', 8))).status).toBe(201);
    const stored = (await call(sim, 'GET', `${crdPath}/gauges.core.example.com`)).json;
    stored.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.level.maximum = 5;
    expect((await call(sim, 'PUT', `${crdPath}/gauges.core.example.com`, stored)).status).toBe(200);
    const r = await call(sim, 'POST', base, gauge('g2', 8));
    expect(r.status).toBe(422);
    expect(r.json.details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.level', message: 'Invalid value: 8: spec.level in body should be less than or equal to 5' },
    ]);
  });
});

describe('unknown fields the write validator finds follow fieldValidation', () => {
  let sim: SimHandle;
  /** A validator that finds one unknown field the server's own decoding does not know about. */
  const validator: WriteValidator = {
    validate(obj): SimProblem[] {
      const data = (obj as Json).data as Json | undefined;
      return data && 'extra' in data ? [{ kind: 'unknown-field', field: 'data.extra', message: 'unknown field "data.extra"' }] : [];
    },
  };

  beforeAll(async () => {
    sim = await startSim({ schemaSource: new SchemaDirSource(SCHEMA_DIR), validator });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1', extra: 'x' } });

  it('Strict: 400 with a strict decoding error', async () => {
    const r = await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', cm('strict'), '?fieldValidation=Strict');
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "data.extra"');
  });

  it('Warn: stored without the field, with a Warning header', async () => {
    const r = await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', cm('warn'), '?fieldValidation=Warn');
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBe('299 - "unknown field \\"data.extra\\""');
    expect(r.json.data).toEqual({ a: '1' });
  });

  it('Ignore: stored without the field, silently', async () => {
    const r = await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', cm('ignore'), '?fieldValidation=Ignore');
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBeNull();
    expect(r.json.data).toEqual({ a: '1' });
  });
});
