/**
 * The simulated controllers' events: a repeat of the same event (same involved object, reason,
 * message and type) bumps the count of the Event it repeats, as the event recorder's correlator
 * does, whichever way that Event was written or removed (the controllers, or the API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { SCHEMA_DIR } from './sim-support.js';
import { simFetch } from '../support/sim-fetch.js';

let sim: SimHandle;

beforeAll(async () => {
  sim = await startSim({ schemaSource: new SchemaDirSource(SCHEMA_DIR) });
});
afterAll(async () => {
  await sim?.stop();
});

const EVENTS = { group: '', version: 'v1', resource: 'events' } as const;
const pod = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid } });
const eventsOf = (uid: string) =>
  sim.host.list(EVENTS, 'default').filter((e) => (e.involvedObject as { uid?: string } | undefined)?.uid === uid) as Array<Record<string, any>>;

describe('recordEvent', () => {
  it('bumps the count of a repeated event, and keeps different reasons or objects apart', () => {
    sim.host.recordEvent(pod('a', 'uid-a'), 'Normal', 'Pulled', 'pulled image', 'kubelet');
    sim.host.recordEvent(pod('a', 'uid-a'), 'Normal', 'Pulled', 'pulled image', 'kubelet');
    sim.host.recordEvent(pod('a', 'uid-a'), 'Normal', 'Started', 'started container', 'kubelet');
    sim.host.recordEvent(pod('a', 'uid-a'), 'Warning', 'Pulled', 'pulled image', 'kubelet');
    sim.host.recordEvent(pod('b', 'uid-b'), 'Normal', 'Pulled', 'pulled image', 'kubelet');
    const a = eventsOf('uid-a').map((e) => [e.type, e.reason, e.count]).sort();
    expect(a).toEqual([
      ['Normal', 'Pulled', 2],
      ['Normal', 'Started', 1],
      ['Warning', 'Pulled', 1],
    ]);
    expect(eventsOf('uid-b').map((e) => e.count)).toEqual([1]);
  });

  it('starts a new Event once the repeated one was deleted through the API', async () => {
    sim.host.recordEvent(pod('c', 'uid-c'), 'Normal', 'Killing', 'stopping container', 'kubelet');
    const [first] = eventsOf('uid-c');
    const r = await simFetch(sim, `/api/v1/namespaces/default/events/${first!.metadata.name}`, { method: 'DELETE' });
    expect(r.status).toBe(200);
    sim.host.recordEvent(pod('c', 'uid-c'), 'Normal', 'Killing', 'stopping container', 'kubelet');
    const after = eventsOf('uid-c');
    expect(after).toHaveLength(1);
    expect(after[0]!.count).toBe(1);
    expect(after[0]!.metadata.name).not.toBe(first!.metadata.name);
  });

  it('bumps an Event that was created through the API', async () => {
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'd.manual', namespace: 'default' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'd', namespace: 'default', uid: 'uid-d' },
      reason: 'BackOff',
      message: 'back-off restarting',
      type: 'Warning',
      count: 3,
    };
    const r = await simFetch(sim, '/api/v1/namespaces/default/events', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
    expect(r.status).toBe(201);
    sim.host.recordEvent(pod('d', 'uid-d'), 'Warning', 'BackOff', 'back-off restarting', 'kubelet');
    expect(eventsOf('uid-d').map((e) => [e.metadata.name, e.count])).toEqual([['d.manual', 4]]);
  });
});
