/**
 * Value semantics and identity: plain scalars read as kubectl reads them (go-yaml v2 rules),
 * namespace defaulting by scope, and document numbering that matches the `yaml` library.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyNamespaceDefaults, loadManifests, splitDocuments } from '../../src/manifest/index.js';

const wrap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n${data}`;

describe('scalars', () => {
  it('reads booleans, octals, hex, floats and timestamps as kubectl does', () => {
    const { manifests, diagnostics } = loadManifests([
      { path: 's.yaml', text: wrap('  a: yes\n  b: off\n  c: 0644\n  d: 0x1F\n  e: 1e3\n  f: 2001-12-14\n  g: ~\n  h: "yes"\n  i: 1_000\n  j: .inf\n  k: 0o17\n  l: 1:20\n  m: Y\n') },
    ]);
    expect(diagnostics).toEqual([]);
    expect(manifests[0]!.object.data).toEqual({ a: true, b: false, c: 420, d: 31, e: 1000, f: '2001-12-14', g: null, h: 'yes', i: 1000, j: Infinity, k: 15, l: '1:20', m: true });
  });
});

describe('applyNamespaceDefaults', () => {
  const text = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: own}',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: c, namespace: ignored}',
    'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: d}',
  ].join('\n---\n');
  const { manifests } = loadManifests([{ path: 'n.yaml', text }]);
  const isNamespaced = ({ kind }: { kind: string }) => (kind === 'Namespace' ? false : kind === 'ConfigMap' ? true : undefined);

  it('defaults namespaced and unknown kinds, clears cluster-scoped ones, keeps explicit namespaces', () => {
    const out = applyNamespaceDefaults(manifests, { defaultNamespace: 'shop', isNamespaced });
    expect(out.map((m) => m.ref.namespace)).toEqual(['shop', 'own', undefined, 'shop']);
    expect(out[2]!.ref).not.toHaveProperty('namespace');
  });
  it('falls back to default and leaves its input unchanged', () => {
    const out = applyNamespaceDefaults(manifests, { isNamespaced });
    expect(out.map((m) => m.ref.namespace)).toEqual(['default', 'own', undefined, 'default']);
    expect(manifests.map((m) => m.ref.namespace)).toEqual([undefined, 'own', 'ignored', undefined]);
    expect(out[1]).toBe(manifests[1]);
    expect(out[0]!.locate(['metadata', 'name'])).toEqual(manifests[0]!.locate(['metadata', 'name']));
  });
});

describe('splitDocuments', () => {
  const cases = [
    'a: 1\n---\nb: 2\n',
    '---\na: 1\n---\n',
    '# c\n---\n# only comment\n---\na: 1\n...\n# after end\n---\n---\nb: 1\n',
    '%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n',
    '--- |\n  text\n--- {a: 1}\n',
    'a: 1\n...\nb: 2\n',
    '',
    '\n\n# nothing\n',
    '\ufeff---\na: 1\n',
  ];
  for (const text of cases) {
    it(`numbers documents like the yaml library: ${JSON.stringify(text)}`, () => {
      const theirs = parseAllDocuments(text);
      const count = Array.isArray(theirs) ? theirs.length : 0;
      expect(splitDocuments(text).length).toBe(count);
    });
  }
});
