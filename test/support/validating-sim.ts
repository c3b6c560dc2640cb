/**
 * kd sim as `kubectl kd sim` runs it (writes checked by the core validator on the given schemas),
 * for tests that talk to it directly, with the real kubectl or over HTTP: started with its
 * namespaces already there, and one JSON request helper.
 */
import { startSim, type SimHandle, type SimOptions } from '../../src/sim/server.js';
import { coreValidatorFor } from '../../src/sim/embedded.js';
import type { SchemaSource } from '../../src/schema/types.js';
import { simFetch } from './sim-fetch.js';

export async function startValidatingSim(
  source: SchemaSource,
  options: { namespaces?: string[] } & Omit<SimOptions, 'schemaSource' | 'validator'> = {},
): Promise<SimHandle> {
  const { namespaces = [], ...rest } = options;
  const sim = await startSim({ ...rest, schemaSource: source, validator: await coreValidatorFor(source) });
  for (const name of namespaces) createNamespace(sim, name);
  return sim;
}

/** Creates a namespace straight in the sim's storage: set-up, not the behaviour under test. */
export function createNamespace(sim: SimHandle, name: string): void {
  const namespaces = sim.storage.catalog.resource('', 'v1', 'namespaces')!;
  sim.storage.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'test' });
}

/** A parsed answer, read by path in assertions. */
export type Json = Record<string, any>;

/** One request with a JSON (or YAML, per `contentType`) body: the status, the parsed answer ({} when empty) and the headers. */
export async function simJson(sim: SimHandle, method: string, p: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: Json; headers: Headers }> {
  const r = await simFetch(sim, p, { method, headers: { 'Content-Type': contentType }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

/**
 * A namespaced `v1` CRD whose objects' `spec` has these properties; with `status`, a status
 * subresource whose object has those. The plural defaults to the kind in lower case plus s.
 */
export function crdWithSpec(group: string, kind: string, properties: Json, more: { plural?: string; shortNames?: string[]; status?: Json } = {}): Json {
  const singular = kind.toLowerCase();
  const plural = more.plural ?? `${singular}s`;
  const schema = { type: 'object', properties: { spec: { type: 'object', properties }, ...(more.status ? { status: { type: 'object', properties: more.status } } : {}) } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular, kind, listKind: `${kind}List`, ...(more.shortNames ? { shortNames: more.shortNames } : {}) },
      versions: [{ name: 'v1', served: true, storage: true, ...(more.status ? { subresources: { status: {} } } : {}), schema: { openAPIV3Schema: schema } }],
    },
  };
}
