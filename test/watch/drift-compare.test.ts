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

  it('never shows Secret values kept in annotations: kubectl\'s last-applied on a Secret, Secret JSON on any object', () => {
    const secret = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' };
    const lastApplied = (password: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password } });
    const key = 'kubectl.kubernetes.io/last-applied-configuration';
    const a = compareApplied(secret, { metadata: { annotations: { [key]: lastApplied('hunter2') } } }, { metadata: { annotations: { [key]: lastApplied('swordfish') } } });
    expect(a).toEqual([{ ref: secret, path: `metadata.annotations.${key}`, applied: '***', live: '***' }]);
    const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' };
    const b = compareApplied(cm, { metadata: { annotations: { 'example.com/stash': lastApplied('hunter2') } } }, { metadata: { annotations: { 'example.com/stash': 'x' } } });
    expect(b).toEqual([{ ref: cm, path: 'metadata.annotations.example.com/stash', applied: '***', live: '***' }]);
    expect(JSON.stringify([a, b])).not.toMatch(/hunter2|swordfish/);
  });
});
