import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeKubeProtobuf } from '../../src/sim/protobuf-decode.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Bodies the real kubectl 1.32 POSTed for `kubectl create ...`, next to `kubectl create ... --dry-run=client -o json` of the same command. */
const FIXTURES = path.resolve(here, '../fixtures/sim/protobuf');

/** JSON writes the zero metav1.Time as null; protobuf has no null, so the decoder leaves it out. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  return v;
}

function field(num: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([(num << 3) | 2, body.length]), body]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);
}

describe('protobuf bodies kubectl create sends', () => {
  const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3)).sort();

  it('covers the create commands of the fixtures', () => {
    expect(cases.length).toBe(13);
  });

  it.each(cases)('%s decodes to what kubectl shows as JSON', (name) => {
    const decoded = decodeKubeProtobuf(readFileSync(path.join(FIXTURES, `${name}.pb`)));
    const json = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as unknown;
    expect(decoded).toEqual(withoutNulls(json));
  });

  it('refuses a kind it has no table for, and a non-empty field outside the tables', () => {
    expect(decodeKubeProtobuf(envelope('apps/v1', 'StatefulSet', field(1, field(1, 'db'))))).toBeUndefined();
    expect(decodeKubeProtobuf(envelope('v1', 'ConfigMap', field(1, field(1, 'c'))))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(decodeKubeProtobuf(envelope('v1', 'ConfigMap', Buffer.concat([field(1, field(1, 'c')), field(9, 'x')])))).toBeUndefined();
    expect(decodeKubeProtobuf(envelope('v1', 'ConfigMap', Buffer.concat([field(1, field(1, 'c')), field(9, '')])))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});
