/**
 * The sim's deep copy gives what a JSON round trip gives (it replaced one, and the stored objects'
 * shape depends on it), and shares nothing with its input.
 */
import { describe, expect, it } from 'vitest';
import { clone } from '../../src/sim/schema-nav.js';

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe('clone', () => {
  const cases: Record<string, unknown> = {
    'a Deployment': {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' }, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
      status: {},
    },
    'undefined members and items': { a: undefined, b: [1, undefined, 3], c: { d: undefined } },
    'numbers JSON cannot hold': { nan: NaN, inf: Infinity, negInf: -Infinity, negZero: -0, list: [NaN, -0] },
    'functions and symbols': { f: () => 1, s: Symbol('x'), list: [() => 1, Symbol('y')] },
    'toJSON': { when: new Date(0), nested: { toJSON: () => ({ replaced: true }) } },
    'a "__proto__" member': JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown,
    'numeric-looking keys': { '10': 'a', '2': 'b', x: 'c', '-1': 'd' },
    'scalars': [null, true, false, 'text', 0, 1.5, ''],
    'empty containers': { a: {}, b: [], c: [[]] },
  };
  for (const [name, value] of Object.entries(cases)) {
    it(`copies ${name} as a JSON round trip does`, () => {
      const copy = clone(value);
      expect(copy).toStrictEqual(roundTrip(value));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(roundTrip(value)));
    });
  }

  it('shares nothing with its input', () => {
    const value = { a: { b: [{ c: 1 }] } };
    const copy = clone(value);
    copy.a.b[0]!.c = 2;
    expect(value.a.b[0]!.c).toBe(1);
    expect(clone(undefined)).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
