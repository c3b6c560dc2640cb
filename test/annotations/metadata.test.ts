/**
 * The metadata rules as units: the string validators against cases from Kubernetes' own tests,
 * name rules by kind, generateName prefixes, the annotation size limit (too large for a fixture
 * file), and the scope check with an unknown scope.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byteLength,
  checkMetadata,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  isPathSegmentName,
  isQualifiedName,
  longerThan,
  nameRuleFor,
  validateName,
} from '../../src/validate/metadata.js';
import { manifestsFromYaml } from './manifest-helper.js';

describe('string validators', () => {
  it.each(['a', 'ab', 'a-b', '0', '1-a', 'a'.repeat(63)])('DNS-1123 label accepts %j', (v) => expect(isDns1123Label(v)).toEqual([]));
  it.each(['', 'A', 'a_b', '-a', 'a-', 'a.b', 'a'.repeat(64)])('DNS-1123 label rejects %j', (v) => expect(isDns1123Label(v)).not.toEqual([]));
  it.each(['a', 'a.b', 'a-b.c-d', '0.0', 'a'.repeat(253)])('DNS-1123 subdomain accepts %j', (v) => expect(isDns1123Subdomain(v)).toEqual([]));
  it.each(['', 'A.b', 'a..b', '.a', 'a.', 'a_b', 'a'.repeat(254)])('DNS-1123 subdomain rejects %j', (v) => expect(isDns1123Subdomain(v)).not.toEqual([]));
  it.each(['a', 'a-1', 'abc'])('DNS-1035 label accepts %j', (v) => expect(isDns1035Label(v)).toEqual([]));
  it.each(['1a', '1', 'a-', 'A'])('DNS-1035 label rejects %j', (v) => expect(isDns1035Label(v)).not.toEqual([]));
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'example.com/MixedCase', 'a/b-c_d.e', 'a'.repeat(63), `${'a'.repeat(253)}/a`])(
    'qualified name accepts %j',
    (v) => expect(isQualifiedName(v)).toEqual([]),
  );
  it.each(['', 'a/', '/a', 'a/b/c', 'Example.com/a', '-a', 'a-', 'a b', 'a'.repeat(64), `${'a'.repeat(254)}/a`])('qualified name rejects %j', (v) =>
    expect(isQualifiedName(v)).not.toEqual([]),
  );
  it.each(['', 'simple', 'Mixed_Case.1-2', 'a'.repeat(63)])('label value accepts %j', (v) => expect(isLabelValue(v)).toEqual([]));
  it.each([' ', '-a', 'a-', 'a b', 'a/b', 'a'.repeat(64)])('label value rejects %j', (v) => expect(isLabelValue(v)).not.toEqual([]));
  it('path segment names forbid only /, %, . and ..', () => {
    expect(isPathSegmentName('system:controller:Foo Bar')).toEqual([]);
    expect(isPathSegmentName('..')).toEqual(["may not be '..'"]);
    expect(isPathSegmentName('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(isPathSegmentName('.', { prefix: true })).toEqual([]);
  });
  it('counts bytes as UTF-8', () => {
    expect(byteLength('abc')).toBe(3);
    expect(byteLength('é')).toBe(2);
    expect(byteLength('€')).toBe(3);
    expect(byteLength('😀')).toBe(4);
  });
  it('compares byte lengths with a limit as counting would, skipping the count only where the length decides', () => {
    // Around the limits the rules use, with 1-, 2-, 3- and 4-byte characters and lone surrogates.
    for (const limit of [15, 52, 63, 253])
      for (const unit of ['a', 'é', '€', '😀', '\ud800', '\udc00'])
        for (let n = Math.floor(limit / 4) - 2; n <= limit + 2; n++) {
          const text = unit.repeat(Math.max(0, n));
          expect(longerThan(text, limit), `${JSON.stringify(unit)} x${n} > ${limit}`).toBe(byteLength(text) > limit);
          expect(longerThan(`x${text}`, limit)).toBe(byteLength(`x${text}`) > limit);
        }
    expect(isLabelValue('é'.repeat(32))).toContain('must be no more than 63 characters');
    expect(isLabelValue('é'.repeat(31))).not.toContain('must be no more than 63 characters');
  });
  it('reports both the length and the syntax, worded like the API server', () => {
    expect(isDns1123Label(`${'a'.repeat(63)}_`)).toEqual([
      'must be no more than 63 characters',
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});

describe('name rules by kind', () => {
  it.each([
    ['', 'Namespace', 'dns1123-label'],
    ['', 'Service', 'dns1035-label'],
    ['apps', 'StatefulSet', 'dns1123-label'],
    ['rbac.authorization.k8s.io', 'ClusterRole', 'path-segment'],
    ['rbac.authorization.k8s.io', 'RoleBinding', 'path-segment'],
    ['', 'ConfigMap', 'dns1123-subdomain'],
    ['apps', 'Deployment', 'dns1123-subdomain'],
    ['example.com', 'Widget', 'dns1123-subdomain'],
    ['example.com', 'Service', 'dns1123-subdomain'],
  ] as const)('%s %s names are %s', (group, kind, rule) => {
    expect(nameRuleFor({ group, kind })).toBe(rule);
  });

  it('allows a trailing dash in generateName prefixes only', () => {
    expect(validateName('dns1123-subdomain', 'web-', { prefix: true })).toEqual([]);
    expect(validateName('dns1123-subdomain', 'web-')).not.toEqual([]);
    expect(validateName('dns1035-label', 'web-', { prefix: true })).toEqual([]);
    expect(validateName('dns1123-label', '-', { prefix: true })).not.toEqual([]);
  });

  it('checks the pod hostnames of an indexed Job', () => {
    const job = (name: string) =>
      manifestsFromYaml(`apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\nspec:\n  completionMode: Indexed\n  completions: 10\n`)[0]!;
    expect(checkMetadata(job('a'.repeat(61)), { namespaced: true })).toEqual([]);
    const name = 'a'.repeat(62);
    expect(checkMetadata(job(name), { namespaced: true }).map((d) => d.message)).toEqual([
      `metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-9`,
    ]);
  });
});

describe('checkMetadata', () => {
  it('limits annotations to 256 KiB in total, keys and values, counted in bytes', () => {
    const key = 'example.com/blob';
    const fits = 'x'.repeat(262144 - key.length);
    const [ok] = manifestsFromYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    ${key}: ${fits}\n`);
    expect(checkMetadata(ok!, { namespaced: true })).toEqual([]);
    const [tooLong] = manifestsFromYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    ${key}: ${fits}é\n`, 'big.yaml');
    const diagnostics = checkMetadata(tooLong!, { namespaced: true });
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        rule: 'metadata/annotations-too-long',
        message: 'metadata.annotations: Too long: must have at most 262144 bytes (they total 262146 bytes)',
        file: 'big.yaml',
        range: { start: { line: 5, column: 3 }, end: { line: 5, column: 14 } },
        object: { group: '', version: 'v1', kind: 'ConfigMap', name: 'a' },
        path: ['metadata', 'annotations'],
        documentIndex: 0,
      },
    ]);
  });

  it('checks the namespace syntax when the scope is unknown, and warns only for known cluster-scoped kinds', () => {
    const yaml = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n  namespace: Bad_NS\n';
    const [m] = manifestsFromYaml(yaml);
    expect(checkMetadata(m!, { namespaced: undefined }).map((d) => [d.rule, d.severity])).toEqual([['metadata/namespace', 'error']]);
    expect(checkMetadata(m!, { namespaced: false }).map((d) => [d.rule, d.severity])).toEqual([['metadata/namespace', 'warning']]);
  });

  it('points label key problems at the key and value problems at the value', () => {
    const [m] = manifestsFromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    bad key: bad value\n');
    const ranges = checkMetadata(m!, { namespaced: true }).map((d) => [d.rule, d.range.start.column, d.range.end.column, d.path]);
    expect(ranges).toEqual([
      ['metadata/label-key', 5, 12, ['metadata', 'labels', 'bad key']],
      ['metadata/label-value', 14, 23, ['metadata', 'labels', 'bad key']],
    ]);
  });

  it('ignores what is not there or not a string (the loader and the schema report those)', () => {
    for (const object of [{}, { metadata: 'x' }, { metadata: { name: 5, labels: { a: 1 }, annotations: null } }]) {
      const m = { ...manifestsFromYaml('kind: ConfigMap\n')[0]!, object };
      expect(checkMetadata(m, { namespaced: true })).toEqual([]);
    }
  });

  it('checks the labels and annotations of every embedded metadata: pod template, job template and its pod template', () => {
    const yaml = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: nightly',
      '  labels: {Bad Key: a}',
      'spec:',
      '  schedule: "0 1 * * *"',
      '  jobTemplate:',
      '    metadata:',
      '      labels: {ok: "-bad"}',
      '      annotations: {"a/b/c": x}',
      '    spec:',
      '      template:',
      '        metadata:',
      '          labels: {app: "x y"}',
      '        spec: {containers: [{name: c, image: i}]}',
      '',
    ].join('\n');
    const [m] = manifestsFromYaml(yaml);
    expect(checkMetadata(m!, { namespaced: true }).map((d) => [d.rule, d.path, d.message.slice(0, d.message.indexOf(':'))])).toEqual([
      ['metadata/label-key', ['metadata', 'labels', 'Bad Key'], 'metadata.labels'],
      ['metadata/label-value', ['spec', 'jobTemplate', 'metadata', 'labels', 'ok'], 'spec.jobTemplate.metadata.labels'],
      ['metadata/annotation-key', ['spec', 'jobTemplate', 'metadata', 'annotations', 'a/b/c'], 'spec.jobTemplate.metadata.annotations'],
      ['metadata/label-value', ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels', 'app'], 'spec.jobTemplate.spec.template.metadata.labels'],
    ]);
  });
});

/**
 * The validators answer a valid value (nearly every one) from a fast path that allocates nothing;
 * here they are held to the rules as the API server writes them (length in bytes, then the
 * regex, each message), over strings near every boundary: lengths around the limits, dots,
 * dashes, slashes, upper case, underscores and multi-byte characters.
 */
describe('string validators against their definitions', () => {
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
  const qualified = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  const bytes = (v: string) => Buffer.byteLength(v, 'utf8');
  const char = fc.constantFrom('a', 'b', 'z', '0', '9', '-', '.', '_', '/', 'A', 'Z', ' ', 'é', '😀');
  const value = fc.oneof(
    fc.array(char, { maxLength: 12 }).map((c) => c.join('')),
    // Near the 63 and 253 limits.
    fc.tuple(fc.constantFrom(61, 62, 63, 64, 251, 252, 253, 254), fc.array(char, { maxLength: 3 })).map(([n, c]) => 'a'.repeat(n - c.length) + c.join('')),
  );

  it('agree with the length and regex rules on every value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(isDns1123Label(v).length === 0).toBe(bytes(v) <= 63 && label.test(v));
        expect(isDns1123Subdomain(v).length === 0).toBe(bytes(v) <= 253 && subdomain.test(v));
        expect(isDns1035Label(v).length === 0).toBe(bytes(v) <= 63 && dns1035.test(v));
        expect(isLabelValue(v).length === 0).toBe(bytes(v) <= 63 && labelValue.test(v));
        const parts = v.split('/');
        const name = parts.at(-1)!;
        const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0] !== '' && bytes(parts[0]!) <= 253 && subdomain.test(parts[0]!));
        expect(isQualifiedName(v).length === 0).toBe(parts.length <= 2 && prefixOk && bytes(name) <= 63 && qualified.test(name));
        // A problem is never answered with an empty message, nor a valid value with any.
        for (const messages of [isDns1123Label(v), isDns1123Subdomain(v), isDns1035Label(v), isLabelValue(v), isQualifiedName(v)]) for (const m of messages) expect(m).not.toBe('');
      }),
      { numRuns: 3000, seed: 17 },
    );
  });
});
