/**
 * Server-side apply bodies: kubectl and kd send them as JSON under application/apply-patch+yaml,
 * and the sim decodes those with the JSON parser (its hottest path). What it answers must not
 * depend on which parser decoded the body: the same object from JSON and from YAML, and a body
 * with a duplicate key refused as before (only the YAML parser sees duplicates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { plainJsonObject } from '../../src/sim/http-io.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { coreValidatorFor } from '../../src/sim/embedded.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simFetch } from '../support/sim-fetch.js';

let sim: SimHandle;
const source = new SchemaDirSource(SCHEMA_DIR);

beforeAll(async () => {
  sim = await startSim({ schemaSource: source, validator: await coreValidatorFor(source) });
  const r = await simFetch(sim, '/api/v1/namespaces', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bodies' } }) });
  expect(r.status).toBe(201);
});
afterAll(async () => {
  await sim?.stop();
});

async function apply(name: string, body: string, fieldValidation = 'Strict'): Promise<{ status: number; json: Record<string, any> }> {
  const r = await simFetch(sim, `/api/v1/namespaces/bodies/configmaps/${name}?fieldManager=test&fieldValidation=${fieldValidation}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
    body,
  });
  return { status: r.status, json: (await r.json()) as Record<string, any> };
}

describe('apply-patch+yaml bodies', () => {
  it('applies a JSON body as the same object as its YAML spelling', async () => {
    const json = await apply('from-json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json', labels: { tier: 'web' } }, data: { port: '8080', 'a.b': 'x: "y"' } }));
    const yaml = await apply('from-yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  labels:\n    tier: web\ndata:\n  port: "8080"\n  a.b: \'x: "y"\'\n');
    expect(json.status).toBe(201);
    expect(yaml.status).toBe(201);
    expect(json.json.data).toEqual({ port: '8080', 'a.b': 'x: "y"' });
    expect(json.json.data).toEqual(yaml.json.data);
    expect(json.json.metadata.labels).toEqual(yaml.json.metadata.labels);
    expect(json.json.metadata.managedFields[0].fieldsV1).toEqual(yaml.json.metadata.managedFields[0].fieldsV1);
  });

  it('still refuses a JSON body with a duplicate key, as the YAML decoder does', async () => {
    const r = await apply('dup', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/error decoding YAML/);
  });
});

describe('fieldValidation on server-side apply', () => {
  // kube-apiserver types every apply patch against the schema: an undeclared field fails under
  // every directive (Ignore and Warn included), and is never silently dropped.
  it.each(['Strict', 'Warn', 'Ignore'])('refuses an unknown field under %s', async (directive) => {
    const name = `unknown-${directive.toLowerCase()}`;
    const r = await apply(name, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, bogus: true }), directive);
    expect(r.status).toBe(500);
    expect(r.json.message).toBe(`failed to create typed patch object (bodies/${name}; v1, Kind=ConfigMap): .bogus: field not declared in schema`);
    const get = await simFetch(sim, `/api/v1/namespaces/bodies/configmaps/${name}`);
    expect(get.status).toBe(404);
  });
});

describe('plainJsonObject', () => {
  it('parses a JSON object whose keys are unique in each object', () => {
    expect(plainJsonObject(' {"a":{"x":1},"b":[{"x":2},{"x":3}],"c":"{\\"a\\":1,\\"a\\":2}"}')).toEqual({ a: { x: 1 }, b: [{ x: 2 }, { x: 3 }], c: '{"a":1,"a":2}' });
  });
  it('leaves duplicates, escaped keys, non-objects and non-JSON to the YAML decoder', () => {
    expect(plainJsonObject('{"a":1,"b":{"c":1,"c":2}}')).toBeUndefined();
    expect(plainJsonObject('{"a":[{"k":1}],"a":2}')).toBeUndefined();
    expect(plainJsonObject('{"\\u0061":1,"a":2}')).toBeUndefined();
    expect(plainJsonObject('[{"a":1}]')).toBeUndefined();
    expect(plainJsonObject('a: 1\n')).toBeUndefined();
    expect(plainJsonObject('{"a": 1,}')).toBeUndefined();
  });
});
