/** The watch screen's drift panel: what it reports, and that Secret values never show in it. */
import { describe, expect, it } from 'vitest';
import { compareApplied } from '../../plugin/watch/drift-compare.js';

describe('the drift panel', () => {
  it('says a Secret value changed without showing either value', () => {
    const ref = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' };
    const applied = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'c2VjcmV0LTE=' } };
    const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'b3RoZXItdmFsdWU=' } };
    const entries = compareApplied(ref, applied, live);
    expect(entries).toEqual([{ ref, path: 'data.password', applied: '***', live: '***' }]);
    expect(JSON.stringify(entries)).not.toMatch(/c2VjcmV0|b3RoZXI/);
  });

  it('shows the values of other kinds', () => {
    const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' };
    const entries = compareApplied(ref, { data: { a: 'x' } }, { data: { a: 'y' } });
    expect(entries).toEqual([{ ref, path: 'data.a', applied: '"x"', live: '"y"' }]);
  });
});
