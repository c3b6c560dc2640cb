import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../src/schema/compiled.js';
import { compileRule, evaluateRule, ruleSyntaxError, toCel } from '../../src/schema/index.js';

const self = toCel({ replicas: 3, name: 'web-1', ports: [80, 443], labels: { app: 'web' }, ratio: 0.5 }, undefined);
const check = (rule: string, extra: { message?: string; messageExpression?: string } = {}) => evaluateRule(compileRule({ rule, ...extra }), self);

describe('CEL rules', () => {
  it.each([
    'self.replicas <= 5',
    'has(self.name) && !has(self.missing)',
    'self.ports.all(p, p > 0)',
    'self.ports.exists(p, p == 443)',
    'self.ports.exists_one(p, p == 80)',
    'self.ports.map(p, p * 2).exists(p, p == 886)',
    'self.ports.filter(p, p > 100).size() == 1',
    "self.name.startsWith('web') && self.name.endsWith('-1') && self.name.contains('b-')",
    "self.name.matches('^[a-z0-9-]+$')",
    "self.name.lowerAscii() == 'web-1' && self.name.indexOf('-') == 3",
    "self.labels.app == 'web' && 'app' in self.labels",
    'self.ratio < 1.0',
    'size(self.ports) == 2',
    // matches() has Go RE2 semantics, as on the API server: inline flags, \pL, \z.
    "self.name.matches('(?i)^WEB-\\\\d$')",
    "self.name.matches('^\\\\pL+-[0-9]\\\\z')",
    "!self.name.matches('(?i)^api')",
  ])('passes %s', (rule) => expect(check(rule)).toEqual({ kind: 'pass' }));

  it('fails with the rule, the message or the message expression', () => {
    expect(check('self.replicas > 5')).toEqual({ kind: 'fail', message: 'failed rule: self.replicas > 5' });
    expect(check('self.replicas > 5', { message: 'too few' })).toEqual({ kind: 'fail', message: 'too few' });
    expect(check('self.replicas > 5', { message: 'too few', messageExpression: "'only ' + string(self.replicas)" })).toEqual({ kind: 'fail', message: 'only 3' });
  });

  it('does not check transition rules or unsupported functions, and says why', () => {
    expect(check('self.replicas == oldSelf.replicas')).toMatchObject({ kind: 'skip', reason: expect.stringContaining('oldSelf') });
    // isURL sits behind a short-circuit that is true: it must still be reported.
    expect(check("has(self.name) || isURL(self.name)")).toEqual({ kind: 'skip', reason: 'function isURL is not supported' });
    expect(check("quantity('1Gi').isGreaterThan(quantity('1Mi'))")).toEqual({ kind: 'skip', reason: 'functions isGreaterThan, quantity are not supported' });
  });

  it('reports evaluation errors and syntax errors', () => {
    expect(check('self.nothing == 1')).toMatchObject({ kind: 'error' });
    expect(check('self.replicas +')).toMatchObject({ kind: 'skip', reason: expect.stringContaining('does not compile') });
    expect(ruleSyntaxError('self.replicas +')).toBeDefined();
    expect(ruleSyntaxError('self.replicas > 1')).toBeUndefined();
  });

  it('reports a matches() pattern that RE2 cannot compile as an evaluation error', () => {
    expect(check("self.name.matches('(?=w)')")).toMatchObject({ kind: 'error', reason: expect.stringContaining('invalid or unsupported Perl syntax') });
  });

  it('sees declared properties under their escaped names and absent ones with their defaults', () => {
    const ctx = { components: {}, semantics: 'crd' as const, cache: new Map() };
    const node = compileSchema(
      {
        type: 'object',
        properties: {
          namespace: { type: 'string' },
          'max-surge': { type: 'integer' },
          kind: { type: 'string', default: 'Service' },
          group: { type: 'string', default: '' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      ctx,
    );
    const value = toCel({ namespace: 'shop', 'max-surge': 2, labels: { 'app.kubernetes.io/name': 'web' } }, node);
    const rule = (text: string) => evaluateRule(compileRule({ rule: text }), value);
    expect(rule("self.__namespace__ == 'shop' && self.max__dash__surge == 2")).toEqual({ kind: 'pass' });
    expect(rule("self.kind == 'Service' && size(self.group) == 0")).toEqual({ kind: 'pass' });
    // Map keys (additionalProperties) are data, not properties: never escaped.
    expect(rule("self.labels['app.kubernetes.io/name'] == 'web'")).toEqual({ kind: 'pass' });
  });
});
