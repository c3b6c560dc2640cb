/**
 * One release-name rule: `apply` checks `--release` and derives the default name with the core's
 * releaseNameProblem and defaultReleaseName (it had its own regex and its own derivation, which
 * cut a long file name at 53 characters without trimming a trailing "-").
 */
import { describe, expect, it } from 'vitest';
import { defaultReleaseName as cliDefaultReleaseName } from '../../plugin/commands/apply.js';
import { defaultReleaseName, releaseNameProblem } from '../../src/index.js';

describe('release names', () => {
  it('derives a valid name from a long file name cut at a "-"', () => {
    const file = `/srv/deploy/${'a'.repeat(52)}-b.yaml`;
    expect(cliDefaultReleaseName(file)).toBe('a'.repeat(52));
    expect(releaseNameProblem(cliDefaultReleaseName(file))).toBeUndefined();
  });

  it('keeps the CLI cases: standard input, and a folder given as "."', () => {
    expect(cliDefaultReleaseName('-')).toBe('stdin');
    expect(cliDefaultReleaseName('deploy/Shop_App.yaml')).toBe(defaultReleaseName('deploy/Shop_App.yaml'));
    expect(cliDefaultReleaseName('deploy/Shop_App.yaml')).toBe('shop-app');
  });

  it.each([
    ['shop', undefined],
    ['', /empty/],
    ['Shop', /not a DNS-1123 label/],
    ['-shop', /not a DNS-1123 label/],
    ['a'.repeat(54), /longer than 53 characters/],
  ])('%j', (name, problem) => {
    const found = releaseNameProblem(name);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
