/**
 * Unit checks of the built-in validation that fixtures cannot show well: the 1 MiB limits of
 * Secrets and ConfigMaps, robfig/cron's error texts, IANA zone names (case-sensitive, aliases
 * accepted), and that `kubectl kd validate`'s pipeline runs the rules (validateEach).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_START, labelSelectorMatcher, type Manifest } from '../../src/model/index.js';
import { checkBuiltin } from '../../src/validate/index.js';
import { cronScheduleError } from '../../src/validate/builtin/cron.js';

function manifest(object: Record<string, unknown>): Manifest {
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
  return {
    object,
    ref: { group: group!, version: version!, kind: String(object.kind), name: 'x', namespace: 'default' },
    file: 'x.yaml',
    documentIndex: 0,
    locate: () => FILE_START,
  } as Manifest;
}

const messages = (object: Record<string, unknown>) => checkBuiltin(manifest(object)).map((d) => d.message);

describe('built-in rules', () => {
  it('refuses Secrets and ConfigMaps over 1 MiB, counting decoded bytes', () => {
    const big = 'a'.repeat(1024 * 1024);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: big, b: 'x' } })).toEqual(['[]: Too long: may not be more than 1048576 bytes']);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: big } })).toEqual([]);
    expect(messages({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { a: big, b: 'x' } })).toEqual(['data: Too long: may not be more than 1048576 bytes']);
    // 1 MiB of base64 text is 768 KiB of data: fine.
    expect(messages({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'QUFB'.repeat(262144) } })).toEqual([]);
    // Bytes, not characters: 512 Ki two-byte characters are exactly 1 MiB; one byte more is over, in data or binaryData.
    const wide = 'é'.repeat(512 * 1024);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: wide } })).toEqual([]);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: wide, b: 'x' } })).toEqual(['[]: Too long: may not be more than 1048576 bytes']);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: wide }, binaryData: { b: 'QQ==' } })).toEqual(['[]: Too long: may not be more than 1048576 bytes']);
    expect(messages({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, binaryData: { b: 'QUFB'.repeat(349526) } })).toEqual(['[]: Too long: may not be more than 1048576 bytes']);
  });

  it('never prints a Secret value, even when its JSON is broken', () => {
    const out = messages({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'hunter2-password' } });
    expect(out).toEqual(['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'h\' looking for beginning of value']);
    expect(out.join('')).not.toContain('hunter2');
  });

  it("answers cron schedules with robfig/cron's words", () => {
    expect(cronScheduleError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(cronScheduleError('5-3 * * * *')).toBe('beginning of range (5) beyond end of range (3): 5-3');
    expect(cronScheduleError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(cronScheduleError('1-2-3 * * * *')).toBe('too many hyphens: 1-2-3');
    expect(cronScheduleError('0 0 * * 7')).toBe('end of range (7) above maximum (6): 7');
    expect(cronScheduleError('0 0 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(cronScheduleError('@every 90x')).toBe('failed to parse duration @every 90x: time: invalid duration "90x"');
    expect(cronScheduleError('TZ=Nowhere/City 0 * * * *')).toBe('provided bad location Nowhere/City: unknown time zone Nowhere/City');
    for (const ok of ['0 0 * * 0', '@hourly', '@annually', '@weekly', '@monthly', '@every 1h30m', '0 12 * JAN-MAR mon-fri', '*/10 * ? * *', 'CRON_TZ=Asia/Tokyo 0 9 * * *'])
      expect(cronScheduleError(ok), ok).toBeUndefined();
  });

  it('knows IANA time zones case-sensitively, aliases included', () => {
    const cron = (timeZone: string) => messages({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '0 * * * *', timeZone } });
    expect(cron('America/New_York')).toEqual([]);
    expect(cron('US/Pacific')).toEqual([]);
    expect(cron('UTC')).toEqual([]);
    expect(cron('america/new_york')).toEqual(['spec.timeZone: Invalid value: "america/new_york": unknown time zone america/new_york']);
    expect(cron('')).toEqual(['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']);
  });

  it('finds a workload selector that does not match its template labels exactly as the label selector matcher does', () => {
    // Selectors of matchLabels only are answered without building a matcher: held here to the
    // matcher over selectors and labels with missing, extra, non-string and odd keys, with and
    // without matchExpressions.
    const key = fc.constantFrom('app', 'tier', 'toString', '__proto__', 'a.b/c');
    const val = fc.oneof(fc.constantFrom('web', 'db', ''), fc.constant(1), fc.constant(null));
    const map = fc.dictionary(key, val, { maxKeys: 3 });
    const expression = fc.record({ key: fc.constantFrom('app', 'tier'), operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.constantFrom(['web'], [], undefined) });
    const selector = fc.record(
      { matchLabels: fc.oneof(map, fc.constant(null), fc.constant('x')), matchExpressions: fc.oneof(fc.constant(undefined), fc.constant(null), fc.array(expression, { maxLength: 2 })) },
      { requiredKeys: [] },
    );
    const labels = fc.oneof(map, fc.constant(undefined), fc.constant('x'));
    fc.assert(
      fc.property(selector, labels, (sel, lbl) => {
        const spec = { selector: sel, template: { metadata: { labels: lbl }, spec: { containers: [{ name: 'c', image: 'i' }] } } };
        const mismatch = messages({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec }).some((m) => m.includes('does not match template'));
        const empty = messages({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec }).some((m) => m.includes('empty selector'));
        if (!empty) expect(mismatch).toBe(labelSelectorMatcher(sel)?.(lbl) === false);
      }),
      { numRuns: 3000, seed: 17 },
    );
  });
});
