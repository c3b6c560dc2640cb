/** The golden helper: a missing golden fails, the one switch writes it, a present one is only read. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golden } from './golden.js';

describe('golden files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-golden-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a missing golden instead of writing it', () => {
    const file = path.join(dir, 'missing.txt');
    expect(() => golden(file, 'out\n', { update: false })).toThrow(/missing golden file .*missing\.txt: run the test with KD_UPDATE_GOLDENS=1/);
    expect(() => readFileSync(file)).toThrow();
  });

  it('reads a present golden without touching it, and rewrites it only with the switch', () => {
    const file = path.join(dir, 'nested', 'frame.txt');
    expect(golden(file, 'new\n', { update: true })).toBe('new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    writeFileSync(file, 'reviewed\n');
    expect(golden(file, 'changed\n', { update: false })).toBe('reviewed\n');
    expect(readFileSync(file, 'utf8')).toBe('reviewed\n');
  });
});
