/**
 * The command files of the build are pure ASCII (scripts/ascii-only.mjs, checked by the build):
 * plugin/bundle-loader.ts decodes them as latin1, and V8 keeps them as one-byte strings, which
 * cost drift ~2 ms less than a file with one non-ASCII character (issue 17). The sources write
 * the characters esbuild leaves as they are (in regular expressions and kept comments) as escapes,
 * with the same meaning.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nonAsciiProblem } from '../../scripts/ascii-only.mjs';
import { checkStringFormat } from '../../src/schema/index.js';
import { cronScheduleError } from '../../src/validate/builtin/cron.js';
import { repoRoot } from './run-kd.js';

describe('the command files of the build', () => {
  it('are pure ASCII', () => {
    const files = readdirSync(path.join(repoRoot, 'dist', 'cli')).filter((f) => f.endsWith('.cjs'));
    expect(files).toContain('drift.cjs');
    for (const file of files) expect(nonAsciiProblem(readFileSync(path.join(repoRoot, 'dist', 'cli', file), 'utf8')), file).toBeUndefined();
  });

  it('fail the build with a non-ASCII character, saying where and how to write it', () => {
    expect(nonAsciiProblem('"use strict";\nconst UNIT = /^(?:ns|us|µs)$/;\n')).toBe(
      '2: a non-ASCII character ("µ") in: const UNIT = /^(?:ns|us|µs)$/;\nA command file must be pure ASCII (plugin/bundle-loader.ts decodes it as latin1): in a regular expression write it as \\u00b5, in a comment in ASCII.',
    );
    expect(nonAsciiProblem('/** a → b */\n')).toMatch(/^1: a non-ASCII character \("→"\)/);
    expect(nonAsciiProblem('const a = "\\u00b5s";\n')).toBeUndefined();
  });
});

describe('durations written with escapes in the source', () => {
  it('still accept microseconds spelled with the micro sign and the Greek mu, as Go does', () => {
    for (const d of ['1µs', '1μs', '1h2m3s4ms5us6ns']) expect(cronScheduleError(`@every ${d}`), d).toBeUndefined();
    expect(cronScheduleError('@every 1xs')).toBe('failed to parse duration @every 1xs: time: invalid duration "1xs"');
    expect(checkStringFormat('duration', '1µs')).toBeUndefined();
    expect(checkStringFormat('duration', '1xs')).toBe('must be a duration, like 30s or 1h30m');
  });
});
