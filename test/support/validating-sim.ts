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
