/**
 * detectChange for a Secret written with `stringData`: the cluster answers with base64 `data` only
 * (stringData is write-only), so the desired stringData is compared with the cluster's data.
 */
import { describe, expect, it } from 'vitest';
import { detectChange } from '../../src/plan/index.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', stringData: { username: 'shop', password: 'change-me' } };
const live = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop', uid: 'u', resourceVersion: '7' }, type: 'Opaque', data });

describe('detectChange for Secret stringData', () => {
  it('is unchanged when the record holds the same stringData and the cluster its base64 data', () => {
    const r = detectChange({ desired, recorded: desired, live: live({ username: b64('shop'), password: b64('change-me') }), liveKnown: true });
    expect(r).toEqual({ action: 'unchanged', changedPaths: [] });
  });

  it('updates the key whose value was changed in the cluster', () => {
    const r = detectChange({ desired, recorded: desired, live: live({ username: b64('shop'), password: b64('edited') }), liveKnown: true });
    expect(r).toEqual({ action: 'update', changedPaths: ['data.password'] });
  });

  it('updates the stringData key that changed since the record', () => {
    const before = { ...desired, stringData: { username: 'shop', password: 'old' } };
    const r = detectChange({ desired, recorded: before, live: live({ username: b64('shop'), password: b64('old') }), liveKnown: true });
    expect(r).toEqual({ action: 'update', changedPaths: ['stringData.password'] });
  });

  it('ignores data keys the cluster has beyond those kd sets', () => {
    const r = detectChange({ desired, recorded: desired, live: live({ username: b64('shop'), password: b64('change-me'), extra: b64('x') }), liveKnown: true });
    expect(r.action).toBe('unchanged');
  });
});
