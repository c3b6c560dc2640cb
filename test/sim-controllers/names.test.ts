/** Generated name suffixes stay inside the API machinery's safe alphabet for any seed. */
import { describe, expect, it } from 'vitest';
import { nameSuffix } from '../../src/sim/controllers/names.js';

describe('generated name suffixes', () => {
  it('are five characters of the safe alphabet for many seeds', () => {
    for (let i = 0; i < 5000; i++) expect(nameSuffix(`uid-${i}/${i * 7919}`)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
