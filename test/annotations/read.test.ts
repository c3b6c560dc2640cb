/**
 * readKdAnnotations: every kd key and every alias value maps to the documented kd value;
 * precedence (kd, then Argo CD, then Helm); defaults; and bad input never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KD_ANNOTATIONS, allAnnotationKeys, isHook, isHookObject, parseDurationMs, readKdAnnotations } from '../../src/annotations/index.js';

const withAnnotations = (annotations: Record<string, unknown>) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x', annotations } });
const read = (annotations: Record<string, unknown>) => readKdAnnotations(withAnnotations(annotations));

/** Every alias value with the kd hook setting it must read as. */
const hookAliasCases: Array<[key: string, value: string, expected: unknown]> = [
  ['argocd.argoproj.io/hook', 'PreSync', ['pre-apply']],
  ['argocd.argoproj.io/hook', 'Sync', 'sync'],
  ['argocd.argoproj.io/hook', 'PostSync', ['post-apply']],
  ['argocd.argoproj.io/hook', 'SyncFail', ['apply-failed']],
  ['argocd.argoproj.io/hook', 'Skip', 'skip'],
  ['argocd.argoproj.io/hook', 'PreDelete', ['pre-delete']],
  ['argocd.argoproj.io/hook', 'PostDelete', ['post-delete']],
  ['helm.sh/hook', 'pre-install', ['pre-install']],
  ['helm.sh/hook', 'pre-upgrade', ['pre-upgrade']],
  ['helm.sh/hook', 'post-install', ['post-install']],
  ['helm.sh/hook', 'post-upgrade', ['post-upgrade']],
  ['helm.sh/hook', 'pre-delete', ['pre-delete']],
  ['helm.sh/hook', 'post-delete', ['post-delete']],
  ['helm.sh/hook', 'pre-rollback', ['pre-rollback']],
  ['helm.sh/hook', 'post-rollback', ['post-rollback']],
  ['helm.sh/hook', 'test', 'skip'],
  ['helm.sh/hook', 'test-success', 'skip'],
];

const deletePolicyAliasCases: Array<[key: string, value: string, expected: string[]]> = [
  ['argocd.argoproj.io/hook-delete-policy', 'BeforeHookCreation', ['before-hook-creation']],
  ['argocd.argoproj.io/hook-delete-policy', 'HookSucceeded', ['hook-succeeded']],
  ['argocd.argoproj.io/hook-delete-policy', 'HookFailed', ['hook-failed']],
  ['helm.sh/hook-delete-policy', 'before-hook-creation', ['before-hook-creation']],
  ['helm.sh/hook-delete-policy', 'hook-succeeded', ['hook-succeeded']],
  ['helm.sh/hook-delete-policy', 'hook-failed', ['hook-failed']],
];

describe('readKdAnnotations defaults', () => {
  it('gives the defaults for an object without annotations', () => {
    const { value, problems } = readKdAnnotations({ kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(problems).toEqual([]);
    expect(value).toEqual({
      syncWave: 0,
      hooks: [],
      hookWeight: 0,
      hookDeletePolicies: [],
      hookFailurePolicy: 'fail',
      keep: false,
      driftIgnore: [],
      health: 'wait',
      timeoutMs: undefined,
      healthCheck: undefined,
      healthCheckPath: '/',
      healthCheckPort: undefined,
      healthCheckExpect: ['2xx'],
      healthCheckCommand: [],
      healthCheckContainer: undefined,
      source: {},
    });
    expect(isHook(value)).toBe(false);
  });

  it('never throws on malformed objects and ignores non-string values (schema validation reports those)', () => {
    for (const object of [null, 42, 'text', [], { metadata: null }, { metadata: { annotations: ['x'] } }]) {
      expect(readKdAnnotations(object).value.syncWave).toBe(0);
    }
    const { value, problems } = read({ 'kd.io/sync-wave': 3, 'kd.io/hook': null });
    expect(value.syncWave).toBe(0);
    expect(value.hooks).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('kd keys', () => {
  it('reads every kd annotation', () => {
    const { value, problems } = read({
      'kd.io/sync-wave': '-3',
      'kd.io/hook': 'post-delete, pre-apply,pre-apply',
      'kd.io/hook-weight': '+7',
      'kd.io/hook-delete-policy': 'hook-failed,hook-succeeded',
      'kd.io/hook-failure-policy': 'continue',
      'kd.io/resource-policy': 'keep',
      'kd.io/drift-ignore': '/spec/replicas , /metadata/annotations/a~1b',
      'kd.io/health': 'skip',
      'kd.io/timeout': '1h30m',
      'kd.io/health-check': 'command',
      'kd.io/health-check-path': '/healthz',
      'kd.io/health-check-port': '8080',
      'kd.io/health-check-expect': '200, 3xx',
      'kd.io/health-check-command': `sh -c 'test -f "/tmp/ready now"' a\\ b "q\\"x"`,
      'kd.io/health-check-container': 'web',
    });
    expect(problems).toEqual([]);
    expect(value).toEqual({
      syncWave: -3,
      hooks: ['pre-apply', 'post-delete'],
      hookWeight: 7,
      hookDeletePolicies: ['hook-succeeded', 'hook-failed'],
      hookFailurePolicy: 'continue',
      keep: true,
      driftIgnore: ['/spec/replicas', '/metadata/annotations/a~1b'],
      health: 'skip',
      timeoutMs: 5_400_000,
      healthCheck: 'command',
      healthCheckPath: '/healthz',
      healthCheckPort: 8080,
      healthCheckExpect: ['200', '3xx'],
      healthCheckCommand: ['sh', '-c', 'test -f "/tmp/ready now"', 'a b', 'q"x'],
      healthCheckContainer: 'web',
      source: {
        syncWave: 'kd.io/sync-wave',
        hooks: 'kd.io/hook',
        hookWeight: 'kd.io/hook-weight',
        hookDeletePolicies: 'kd.io/hook-delete-policy',
        hookFailurePolicy: 'kd.io/hook-failure-policy',
        keep: 'kd.io/resource-policy',
        driftIgnore: 'kd.io/drift-ignore',
        health: 'kd.io/health',
        timeoutMs: 'kd.io/timeout',
        healthCheck: 'kd.io/health-check',
        healthCheckPath: 'kd.io/health-check-path',
        healthCheckPort: 'kd.io/health-check-port',
        healthCheckExpect: 'kd.io/health-check-expect',
        healthCheckCommand: 'kd.io/health-check-command',
        healthCheckContainer: 'kd.io/health-check-container',
      },
    });
  });

  it("reads sherpack's health check annotations as kd's", () => {
    const on = read({ 'sherpack.io/health-check': 'true', 'sherpack.io/health-check-path': '/ready', 'sherpack.io/health-check-port': 'http' });
    expect(on.problems).toEqual([]);
    expect(on.value).toMatchObject({ healthCheck: 'http', healthCheckPath: '/ready', healthCheckPort: 'http' });
    const command = read({ 'sherpack.io/health-check': 'true', 'sherpack.io/health-check-type': 'command', 'sherpack.io/health-check-command': '/bin/check-ready.sh --quick' });
    expect(command.problems).toEqual([]);
    expect(command.value).toMatchObject({ healthCheck: 'command', healthCheckCommand: ['/bin/check-ready.sh', '--quick'] });
    const off = read({ 'sherpack.io/health-check': 'false', 'sherpack.io/health-check-type': 'http' });
    expect(off.value.healthCheck).toBeUndefined();
    expect(off.problems.map((p) => p.rule)).toEqual(['annotation/conflict']);
    const kdWins = read({ 'kd.io/health-check': 'http', 'sherpack.io/health-check': 'true', 'sherpack.io/health-check-type': 'command' });
    expect(kdWins.value.healthCheck).toBe('http');
    expect(kdWins.problems).toMatchObject([{ key: 'sherpack.io/health-check-type', rule: 'annotation/conflict' }]);
  });

  it('reports health check values kd cannot use', () => {
    const { problems } = read({ 'kd.io/health-check-command': "sh -c 'oops", 'kd.io/health-check-port': '70000', 'kd.io/health-check-expect': '2XX' });
    expect(problems.map((p) => p.key).sort()).toEqual(['kd.io/health-check-command', 'kd.io/health-check-expect', 'kd.io/health-check-port']);
    expect(problems.find((p) => p.key === 'kd.io/health-check-port')!.message).toBe(
      'kd.io/health-check-port must be a port number from 1 to 65535 or a port name (at most 15 of a-z, 0-9 and -), not "70000"',
    );
  });

  it.each([
    ['pre-apply', ['pre-apply']],
    ['post-apply', ['post-apply']],
    ['apply-failed', ['apply-failed']],
    ['pre-install', ['pre-install']],
    ['post-install', ['post-install']],
    ['pre-upgrade', ['pre-upgrade']],
    ['post-upgrade', ['post-upgrade']],
    ['pre-rollback', ['pre-rollback']],
    ['post-rollback', ['post-rollback']],
    ['pre-delete', ['pre-delete']],
    ['post-delete', ['post-delete']],
  ])('kd.io/hook %s', (raw, expected) => {
    const { value } = read({ 'kd.io/hook': raw });
    expect(value.hooks).toEqual(expected);
    expect(value.hookDeletePolicies).toEqual(['before-hook-creation']);
  });

  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
  ])('duration %s is %i ms', (raw, ms) => {
    expect(parseDurationMs(raw)).toBe(ms);
    expect(read({ 'kd.io/timeout': raw }).value.timeoutMs).toBe(ms);
  });

  it.each(['', '90', '5 m', '1d', '-5s', 'm', '1.s'])('rejects the duration %j', (raw) => {
    const { value, problems } = read({ 'kd.io/timeout': raw });
    expect(value.timeoutMs).toBeUndefined();
    expect(problems.map((p) => [p.key, p.severity, p.rule])).toEqual([['kd.io/timeout', 'error', 'annotation/invalid-value']]);
  });

  it.each(['2147483647', '-2147483648', '007', '+1', '-0'])('accepts the integer %j', (raw) => {
    const { value, problems } = read({ 'kd.io/sync-wave': raw });
    expect(problems).toEqual([]);
    expect(Object.is(value.syncWave, Number(raw) === 0 ? 0 : Number(raw))).toBe(true);
  });

  it.each(['2147483648', '-2147483649', '1e3', '0x10', '1.0', ' 1', '', '--1'])('rejects the integer %j', (raw) => {
    const { value, problems } = read({ 'kd.io/sync-wave': raw });
    expect(value.syncWave).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('must be an integer from -2147483648 to 2147483647');
  });

  it('suggests a whole corrected value for a misspelled list item', () => {
    const { problems } = read({ 'kd.io/hook': 'pre-aply, post-apply' });
    expect(problems[0]!.suggestions).toEqual(['pre-apply,post-apply']);
  });
});

describe('aliases', () => {
  it.each([
    ['argocd.argoproj.io/sync-wave', '5', 5],
    ['argocd.argoproj.io/sync-wave', '-10', -10],
  ])('%s %s', (key, raw, expected) => {
    const { value, problems } = read({ [key]: raw });
    expect(problems).toEqual([]);
    expect(value.syncWave).toBe(expected);
    expect(value.source.syncWave).toBe(key);
  });

  it.each(hookAliasCases)('%s %s', (key, raw, expected) => {
    const { value } = read({ [key]: raw });
    expect(value.hooks).toEqual(expected);
    expect(value.source.hooks).toBe(key);
  });

  it('covers every hook alias value of the catalogue', () => {
    const hook = KD_ANNOTATIONS.find((a) => a.key === 'kd.io/hook')!;
    const catalogued = hook.aliases.flatMap((a) => (a.values ?? []).map((v) => `${a.key}=${v.value}`)).sort();
    expect(hookAliasCases.map(([k, v]) => `${k}=${v}`).sort()).toEqual(catalogued);
  });

  it.each(deletePolicyAliasCases)('%s %s', (key, raw, expected) => {
    const { value, problems } = read({ 'kd.io/hook': 'pre-apply', [key]: raw });
    expect(problems).toEqual([]);
    expect(value.hookDeletePolicies).toEqual(expected);
    expect(value.source.hookDeletePolicies).toBe(key);
  });

  it('helm.sh/hook-weight is the hook weight', () => {
    const { value } = read({ 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' });
    expect(value.hookWeight).toBe(-5);
    expect(value.source.hookWeight).toBe('helm.sh/hook-weight');
  });

  it('helm.sh/resource-policy keep', () => {
    const { value } = read({ 'helm.sh/resource-policy': 'keep' });
    expect(value.keep).toBe(true);
    expect(value.source.keep).toBe('helm.sh/resource-policy');
  });

  it('reads Helm hook lists, one kd phase per Helm event, ignoring test', () => {
    const { value, problems } = read({ 'helm.sh/hook': 'pre-install, pre-upgrade, pre-rollback, post-install, test' });
    expect(problems).toEqual([]);
    expect(value.hooks).toEqual(['pre-install', 'post-install', 'pre-upgrade', 'pre-rollback']);
  });

  it('warns and does not apply an object whose Helm hooks are all ignored', () => {
    const { value, problems } = read({ 'helm.sh/hook': 'test,test-success' });
    expect(value.hooks).toBe('skip');
    expect(isHook(value)).toBe(false);
    expect(problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('Argo CD Skip only counts alone; Sync cannot be combined with phases', () => {
    const skip = read({ 'argocd.argoproj.io/hook': 'Skip,PreSync' });
    expect(skip.value.hooks).toEqual(['pre-apply']);
    expect(skip.problems).toHaveLength(1);
    const sync = read({ 'argocd.argoproj.io/hook': 'Sync,PostSync' });
    expect(sync.value.hooks).toEqual(['post-apply']);
    expect(sync.problems).toHaveLength(1);
  });
});

describe('precedence', () => {
  it('kd wins over Argo CD and warns when they disagree', () => {
    const { value, problems } = read({ 'kd.io/sync-wave': '1', 'argocd.argoproj.io/sync-wave': '2' });
    expect(value.syncWave).toBe(1);
    expect(value.source.syncWave).toBe('kd.io/sync-wave');
    expect(problems).toEqual([
      {
        key: 'argocd.argoproj.io/sync-wave',
        severity: 'warning',
        rule: 'annotation/conflict',
        message: 'argocd.argoproj.io/sync-wave is "2" but kd.io/sync-wave is "1"; kd uses kd.io/sync-wave',
      },
    ]);
  });

  it('agreeing keys are no conflict, whatever their spelling', () => {
    const { problems } = read({
      'kd.io/hook': 'pre-apply,post-apply',
      'argocd.argoproj.io/hook': 'PostSync,PreSync',
      'kd.io/hook-delete-policy': 'hook-succeeded',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
    });
    expect(problems).toEqual([]);
    expect(read({ 'kd.io/hook': 'post-upgrade,pre-install', 'helm.sh/hook': 'pre-install,post-upgrade' }).problems).toEqual([]);
  });

  it('kd.io/hook-failure-policy: fail by default; continue and rollback; anything else is an error with a suggestion', () => {
    expect(read({ 'kd.io/hook': 'pre-apply' }).value.hookFailurePolicy).toBe('fail');
    expect(read({ 'kd.io/hook': 'pre-apply', 'kd.io/hook-failure-policy': 'rollback' }).value.hookFailurePolicy).toBe('rollback');
    const bad = read({ 'kd.io/hook': 'pre-apply', 'kd.io/hook-failure-policy': 'Continue' });
    expect(bad.value.hookFailurePolicy).toBe('fail');
    expect(bad.problems.map((p) => [p.rule, p.message, p.suggestions])).toEqual([
      ['annotation/invalid-value', 'kd.io/hook-failure-policy must be fail, continue or rollback, not "Continue"; did you mean "continue"?', ['continue']],
    ]);
  });

  it('Argo CD wins over Helm', () => {
    const { value, problems } = read({ 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' });
    expect(value.hooks).toEqual(['post-apply']);
    expect(problems.map((p) => [p.key, p.rule])).toEqual([['helm.sh/hook', 'annotation/conflict']]);
  });

  it('an invalid kd value falls back to a valid alias, reporting only the invalid value', () => {
    const { value, problems } = read({ 'kd.io/sync-wave': 'one', 'argocd.argoproj.io/sync-wave': '4' });
    expect(value.syncWave).toBe(4);
    expect(value.source.syncWave).toBe('argocd.argoproj.io/sync-wave');
    expect(problems.map((p) => [p.key, p.rule])).toEqual([['kd.io/sync-wave', 'annotation/invalid-value']]);
  });
});

describe('isHookObject', () => {
  it('answers as isHook of the read annotations, over every key kd reads and values of every kind', () => {
    // Drift asks it of every object; it reads the annotations only when a hook key holds a string.
    const key = fc.oneof(fc.constantFrom(...allAnnotationKeys()), fc.constantFrom('app', 'kd.io/hooks', 'constructor'));
    const value = fc.oneof(fc.constantFrom('pre-install', 'PreSync', 'Skip', 'Sync', 'test', 'post-apply', 'pre-apply,post-apply', '', 'nonsense', '5', 'true'), fc.constant(1), fc.constant(null));
    const annotations = fc.dictionary(key, value, { maxKeys: 4 });
    const object = fc.oneof(
      annotations.map((a) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: a } })),
      fc.constantFrom({}, { metadata: null }, { metadata: { annotations: 'x' } }, 'x', null),
    );
    fc.assert(
      fc.property(object, (o) => {
        expect(isHookObject(o)).toBe(isHook(readKdAnnotations(o).value));
      }),
      { numRuns: 3000, seed: 17 },
    );
    // The generated objects hold hooks as well as objects that are none.
    expect(new Set(fc.sample(object, { numRuns: 300, seed: 17 }).map((o) => isHookObject(o)))).toEqual(new Set([true, false]));
  });
});
