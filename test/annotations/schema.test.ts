/**
 * The published JSON Schema of the annotations map agrees with the catalogue and with the reader:
 * the file is exactly what the catalogue generates, it compiles as draft 2020-12, and for every
 * key a value passes the schema exactly when kd reads it without an error (the integer range and
 * "greater than zero", which a pattern cannot express, are kept out of the generated values).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KD_ANNOTATIONS, allAnnotationKeys, annotationsJsonSchema, lookupAnnotation, readKdAnnotations } from '../../src/annotations/index.js';

const schemaPath = path.resolve(import.meta.dirname, '../../schemas/annotations.schema.json');
const published = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('markdownDescription');
const validate = ajv.compile(published);

const readsWithoutError = (key: string, value: string) =>
  !readKdAnnotations({ metadata: { annotations: { [key]: value } } }).problems.some((p) => p.key === key && p.severity === 'error');

describe('schemas/annotations.schema.json', () => {
  it('is what the catalogue generates (regenerate it from annotationsJsonSchema() when this fails)', () => {
    expect(published).toEqual(annotationsJsonSchema());
  });

  it('describes every kd key and alias, and nothing else', () => {
    expect(Object.keys(published['properties'] as object).sort()).toEqual(allAnnotationKeys().sort());
  });

  it('accepts other annotations and rejects unknown kd.io/ keys and non-strings', () => {
    expect(validate({ 'example.com/anything': 'goes', 'sim.kd.io/ready-after': '8s' })).toBe(true);
    expect(validate({ 'kd.io/syncwave': '1' })).toBe(false);
    expect(validate({ 'kd.io/sync-wave': 1 })).toBe(false);
  });

  const samples: Record<string, { valid: string[]; invalid: string[] }> = {
    'kd.io/sync-wave': { valid: ['0', '-1', '+5', '42'], invalid: ['', 'one', '1.5', ' 1', '1e3'] },
    'kd.io/hook': { valid: ['pre-apply', 'pre-apply,post-apply', 'post-delete , apply-failed'], invalid: ['', 'PreSync', 'pre-apply,', ',pre-apply', 'pre-apply;post-apply'] },
    'kd.io/hook-delete-policy': { valid: ['hook-succeeded', 'before-hook-creation, hook-failed'], invalid: ['HookSucceeded', 'always'] },
    'kd.io/resource-policy': { valid: ['keep'], invalid: ['Keep', ' keep', 'delete'] },
    'kd.io/drift-ignore': { valid: ['/spec/replicas', '/a~0b/c~1d, /x', '/'], invalid: ['spec.replicas', '/a~2', '/a,,/b', ''] },
    'kd.io/health': { valid: ['wait', 'skip'], invalid: ['ignore', 'Wait', ''] },
    'kd.io/timeout': { valid: ['90s', '5m', '1h30m', '1.5h', '100ms'], invalid: ['90', '5 m', '1d', ''] },
    'argocd.argoproj.io/hook': { valid: ['PreSync', 'PostSync,SyncFail', 'Skip'], invalid: ['presync', 'pre-apply'] },
    'helm.sh/hook': { valid: ['pre-install,pre-upgrade', 'test'], invalid: ['pre-instal', 'PreInstall'] },
    'kd.io/health-check': { valid: ['http', 'command'], invalid: ['HTTP', 'exec', 'true', ''] },
    'sherpack.io/health-check': { valid: ['true', 'false'], invalid: ['yes', 'True', 'http'] },
    'kd.io/health-check-path': { valid: ['/', '/healthz', '/ready?full=1'], invalid: ['healthz', '/a b', '', '/x#y'] },
    'kd.io/health-check-port': { valid: ['8080', '1', '65535', 'http', 'metrics-2'], invalid: ['0', '65536', '080', 'HTTP', 'a--b', '-http', 'abcdefghijklmnop'] },
    'kd.io/health-check-expect': { valid: ['2xx', '200,204', '200 , 3xx'], invalid: ['', '2XX', '600', '20', '200,', 'ok'] },
    'kd.io/health-check-command': { valid: ['/bin/check-ready.sh', "sh -c 'test -f /tmp/ready'", 'echo "a \\" b"', 'a\\ b'], invalid: ['', '  ', "sh -c 'unterminated", 'echo "x', 'trailing\\'] },
    'kd.io/health-check-container': { valid: ['web', 'side-car1'], invalid: ['Web', 'web_1', '-web', ''] },
  };

  for (const [key, { valid, invalid }] of Object.entries(samples)) {
    it(`${key}: schema and reader agree on samples`, () => {
      for (const v of valid) {
        expect(validate({ [key]: v }), `${key}=${JSON.stringify(v)} (schema)`).toBe(true);
        expect(readsWithoutError(key, v), `${key}=${JSON.stringify(v)} (reader)`).toBe(true);
      }
      for (const v of invalid) {
        expect(validate({ [key]: v }), `${key}=${JSON.stringify(v)} (schema)`).toBe(false);
        expect(readsWithoutError(key, v), `${key}=${JSON.stringify(v)} (reader)`).toBe(false);
      }
    });
  }

  it('schema and reader agree on generated values for every key', () => {
    // Values are built from the fragments that matter to these syntaxes, so that both valid and
    // invalid values come up often.
    const fragments = [
      ...new Set(
        KD_ANNOTATIONS.flatMap((a) => [a, ...a.aliases]).flatMap((s) => [...(s.values ?? []).map((v) => v.value), ...s.examples]),
      ),
      ',', ' ', '/', '~0', '~1', '~', '-', '+', '.', 'h', 'm', 's', 'ms', 'x', '1', '12', '9',
    ];
    const value = fc.array(fc.constantFrom(...fragments), { minLength: 0, maxLength: 5 }).map((parts) => parts.join(''));
    const key = fc.constantFrom(...allAnnotationKeys());
    fc.assert(
      fc.property(key, value, (k, v) => {
        const kind = lookupAnnotation(k)!.spec.kind;
        // Outside what a pattern can say: integers beyond 32 bits and zero durations.
        fc.pre(!(kind === 'integer' && /[0-9]{10,}/.test(v)));
        fc.pre(!(kind === 'duration' && /^[0.hms]+$/.test(v)));
        expect(validate({ [k]: v })).toBe(readsWithoutError(k, v));
      }),
      { numRuns: 3000, seed: 20240611 },
    );
  });
});
