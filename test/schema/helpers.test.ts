import { describe, expect, it } from 'vitest';
import { checkIntegerFormat, checkStringFormat, closest, editDistance, parseFieldPath } from '../../src/schema/index.js';

describe('suggestions', () => {
  it('measures edits and adjacent swaps', () => {
    expect(editDistance('replicass', 'replicas')).toBe(1);
    expect(editDistance('Deploymnet', 'Deployment')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests only close candidates, case-insensitive matches first', () => {
    expect(closest('replicass', ['selector', 'replicas', 'paused'])).toEqual(['replicas']);
    expect(closest('configmap', ['ConfigMap', 'ConfigMaps'])).toEqual(['ConfigMap']);
    expect(closest('xyz', ['replicas', 'selector'])).toEqual([]);
  });
});

describe('formats', () => {
  it('checks date-time as RFC 3339', () => {
    expect(checkStringFormat('date-time', '2024-01-31T12:00:00Z')).toBeUndefined();
    expect(checkStringFormat('date-time', '2024-01-31T12:00:00.123+02:00')).toBeUndefined();
    expect(checkStringFormat('date-time', '2024-02-30T12:00:00Z')).toBeDefined();
    expect(checkStringFormat('date-time', '2024-01-31')).toBeDefined();
  });
  it('checks addresses and base64', () => {
    expect(checkStringFormat('ipv4', '10.0.0.1')).toBeUndefined();
    expect(checkStringFormat('ipv4', '10.0.0.256')).toBeDefined();
    expect(checkStringFormat('ipv6', '::1')).toBeUndefined();
    expect(checkStringFormat('ipv6', 'fe80::1::2')).toBeDefined();
    expect(checkStringFormat('cidr', '10.0.0.0/8')).toBeUndefined();
    expect(checkStringFormat('cidr', '10.0.0.0/33')).toBeDefined();
    expect(checkStringFormat('byte', 'aGVsbG8=')).toBeUndefined();
    expect(checkStringFormat('byte', 'aGVsbG8')).toBeDefined();
    expect(checkStringFormat('no-such-format', 'anything')).toBeUndefined();
  });
  it('checks integer ranges', () => {
    expect(checkIntegerFormat('int32', 2147483647)).toBeUndefined();
    expect(checkIntegerFormat('int32', 2147483648)).toBeDefined();
    expect(checkIntegerFormat('int64', 2147483648)).toBeUndefined();
  });
});

describe('CEL fieldPath', () => {
  it('parses dotted and bracketed paths', () => {
    expect(parseFieldPath('.spec.replicas')).toEqual(['spec', 'replicas']);
    expect(parseFieldPath(".metadata.labels['app.kubernetes.io/name']")).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(parseFieldPath('.items[2].name')).toEqual(['items', 2, 'name']);
  });
});
