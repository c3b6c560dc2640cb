import { describe, expect, it } from 'vitest';
import { isQuantityString, isQuantityValue } from '../../src/schema/index.js';

describe('Quantity grammar', () => {
  it.each(['1', '0', '500m', '1Gi', '1e3', '1E3', '1e-3', '0.5', '.5', '5.', '+1', '-1', '1.5Gi', '100Ki', '2E', '3P', '1k', '1M', '12345678901234567890'])(
    'accepts %s',
    (q) => expect(isQuantityString(q)).toBe(true),
  );
  it.each(['1.5.5', '10 Gi', '1GB', '', '.', 'Gi', '1e', '1ki', '1KI', '1 ', ' 1', '1mi', '1Gib', '--1', '1e3.5', '0x10', '1,5'])(
    'rejects %j',
    (q) => expect(isQuantityString(q)).toBe(false),
  );
  it('accepts JSON numbers and rejects other types', () => {
    expect(isQuantityValue(0.5)).toBe(true);
    expect(isQuantityValue(1000)).toBe(true);
    expect(isQuantityValue(Number.NaN)).toBe(false);
    expect(isQuantityValue(true)).toBe(false);
    expect(isQuantityValue(null)).toBe(false);
  });
});
