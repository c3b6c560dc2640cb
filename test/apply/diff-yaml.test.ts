import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/apply/diff-yaml.js';

/** Strings that stress quoting: YAML keywords, numbers, indicators, comments, blocks, unicode. */
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('true', 'No', 'null', '~', '0x1F', '1e3', '.5', '-', '- a', '--port', '-v', '---', '---x', '-1', '-.5', '--', 'a: b', 'a #b', 'a:', '*x', '&a', '!t', '|', '>', '%x', '@x', '`x', "'q'", '"q"', '[a]', '{a}', 'a,b', ' lead', 'trail ', 'a\nb', 'a\nb\n', 'a\n\nb\n', 'a\n\n', '\n', '\nx', ' x\ny', 'x\n y', 'tab\there', 'é ü 日本', '\u2028', 'x\u0085y', '<<', '=', '2025-01-01', '12:30', 'shop.example.com/v1', '*** #1a2b3c4d'),
);
const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('app.kubernetes.io/name', 'kubernetes.io/metadata.name', '8080', 'true', 'a: b', ''));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).value;

describe('toYaml (the diff renderer)', () => {
  it('reads back as the same value', () => {
    fc.assert(
      fc.property(json, (value) => {
        const expected: unknown = JSON.parse(JSON.stringify(value));
        expect(parse(toYaml(value))).toEqual(expected);
        expect(parse(toYaml(value, { sortKeys: true }))).toEqual(expected);
      }),
      { seed: 12, numRuns: 1000 },
    );
  });

  it('prints a Deployment as the yaml package does', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' }, annotations: { note: 'line one\nline two\n' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], args: ['--port', '8080'], env: [] }] } },
      },
    };
    expect(toYaml(deployment)).toBe(stringify(deployment));
  });

  it('sorts keys at every level when asked, so key order in a file never shows in a diff', () => {
    const a = { spec: { versions: [{ schema: { type: 'object' }, name: 'v1' }], group: 'g' }, kind: 'K', apiVersion: 'v1' };
    const b = { apiVersion: 'v1', kind: 'K', spec: { group: 'g', versions: [{ name: 'v1', schema: { type: 'object' } }] } };
    expect(toYaml(a, { sortKeys: true })).toBe(toYaml(b, { sortKeys: true }));
    expect(toYaml(a, { sortKeys: true })).toBe('apiVersion: v1\nkind: K\nspec:\n  group: g\n  versions:\n    - name: v1\n      schema:\n        type: object\n');
  });
});
