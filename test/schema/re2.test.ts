/**
 * Patterns with Go RE2 semantics (re2js): what compiles, how it matches, and that each source
 * is compiled once.
 */
import { describe, expect, it } from 'vitest';
import { re2CompileError, re2Pattern } from '../../src/schema/re2.js';

describe('RE2 patterns', () => {
  it('accepts RE2-only syntax that JavaScript rejects or reads differently', () => {
    expect(re2Pattern('^(?i)(abort|warn)?$')!.test('ABORT')).toBe(true);
    expect(re2Pattern('^\\pL[\\pL\\pN_-]*\\z')!.test('Präfix_1')).toBe(true);
    expect(re2Pattern('^\\pL[\\pL\\pN_-]*\\z')!.test('1st')).toBe(false);
    expect(re2Pattern('(?i)^https?://')!.test('HTTPS://example.com')).toBe(true);
  });

  it('matches unanchored, like Go MatchString', () => {
    expect(re2Pattern('[0-9]+')!.test('abc123')).toBe(true);
    expect(re2Pattern('^[0-9]+$')!.test('abc123')).toBe(false);
  });

  it("reports Go's compile errors for what RE2 does not support", () => {
    expect(re2CompileError('^(?!kube-).*$')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?!`');
    expect(re2CompileError('(a)\\1')).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(re2CompileError('[a-z')).toBe('error parsing regexp: missing closing ]: `[a-z`');
    expect(re2Pattern('[a-z')).toBeUndefined();
    expect(re2CompileError('^[a-z]+$')).toBeUndefined();
  });

  it('compiles each source once', () => {
    expect(re2Pattern('^cached-[a-z]+$')).toBe(re2Pattern('^cached-[a-z]+$'));
  });
});
