import { describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simFetch } from '../support/sim-fetch.js';

async function statuses(sim: SimHandle, count: number): Promise<Array<number | 'reset'>> {
  const out: Array<number | 'reset'> = [];
  for (let i = 0; i < count; i++) {
    try {
      const r = await simFetch(sim, `/api/v1/namespaces`);
      await r.arrayBuffer();
      out.push(r.status);
    } catch {
      out.push('reset');
    }
  }
  return out;
}

describe('fault injection over HTTP', () => {
  it('answers 429 with Retry-After and a Status, reproducibly from the seed', async () => {
    const runs: Array<Array<number | 'reset'>> = [];
    for (let i = 0; i < 2; i++) {
      const sim = await startSim({ schemaSource: new SchemaDirSource(SCHEMA_DIR), faults: 'seed=5,429=0.3,503=0.2,reset=0.1' });
      try {
        runs.push(await statuses(sim, 40));
      } finally {
        await sim.stop();
      }
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(new Set(runs[0])).toEqual(new Set([200, 429, 503, 'reset']));
    const sim = await startSim({ schemaSource: new SchemaDirSource(SCHEMA_DIR), faults: 'seed=1,429=1,retry-after=3' });
    try {
      const r = await simFetch(sim, `/version`);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('3');
      expect(await r.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server has received too many requests and has asked us to try again later',
        reason: 'TooManyRequests',
        details: { retryAfterSeconds: 3 },
        code: 429,
      });
    } finally {
      await sim.stop();
    }
  });

  it('conflict storms hit only the named object; watch-close ends watches', async () => {
    const sim = await startSim({ schemaSource: new SchemaDirSource(SCHEMA_DIR), faults: 'conflict=default/hot,watch-close=300ms' });
    try {
      for (const name of ['hot', 'cold'])
        await simFetch(sim, `/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }) });
      const patch = (name: string) =>
        simFetch(sim, `/api/v1/namespaces/default/configmaps/${name}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"data":{"a":"b"}}' });
      const hot = await patch('hot');
      expect(hot.status).toBe(409);
      expect(((await hot.json()) as { reason: string }).reason).toBe('Conflict');
      expect((await patch('cold')).status).toBe(200);
      const started = Date.now();
      const w = await simFetch(sim, `/api/v1/namespaces/default/configmaps?watch=true`);
      await w.text();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await sim.stop();
    }
  });
});
