/**
 * locate(): every JSON path maps to the source text of its key or value, whatever the style
 * (block, flow, JSON, CRLF, multi-document, List items, aliases, merge keys); missing paths fall
 * back to the nearest existing ancestor. Assertions compare the text under the returned range.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import type { JsonPath, Manifest, SourceRange } from '../../src/model/index.js';

function textAt(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(offset(range.start.line, range.start.column), offset(range.end.line, range.end.column));
}

function load(text: string, path = 'test.yaml'): Manifest[] {
  const result = loadManifests([{ path, text }]);
  expect(result.diagnostics).toEqual([]);
  return result.manifests;
}

function at(text: string, m: Manifest, path: JsonPath, target?: 'key' | 'value'): string {
  return textAt(text, m.locate(path, target));
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, "tier": 'front'}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports:
            - containerPort: 80
        - name: sidecar
          args: [--verbose, "--port=8080"]
          command:
          env:
            - {name: A, value: "1"}
`;

describe('locate', () => {
  const [m] = load(deployment);
  it('finds values and keys on nested block paths', () => {
    expect(at(deployment, m!, ['metadata', 'name'])).toBe('web');
    expect(at(deployment, m!, ['metadata', 'name'], 'key')).toBe('name');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nginx:1.27');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'])).toBe('80');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 1, 'name'], 'key')).toBe('name');
  });
  it('finds values in flow mappings and sequences, quoted or not', () => {
    expect(at(deployment, m!, ['metadata', 'labels', 'app'])).toBe('web');
    expect(at(deployment, m!, ['metadata', 'labels', 'tier'])).toBe("'front'");
    expect(at(deployment, m!, ['metadata', 'labels', 'tier'], 'key')).toBe('"tier"');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 1, 'args', 1])).toBe('"--port=8080"');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 1, 'env', 0, 'value'])).toBe('"1"');
  });
  it('points at the key of an empty value', () => {
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 1, 'command'])).toBe('command');
  });
  it('falls back to the nearest existing ancestor for missing paths', () => {
    // a missing key: the parent mapping's key
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'protocol'])).toBe('containerPort');
    expect(at(deployment, m!, ['spec', 'replicas'])).toBe('spec');
    expect(at(deployment, m!, ['metadata', 'namespace'])).toBe('metadata');
    // deeper than a scalar, or an index out of range
    expect(at(deployment, m!, ['metadata', 'name', 'x'])).toBe('name');
    expect(at(deployment, m!, ['spec', 'template', 'spec', 'containers', 5, 'name'])).toBe('containers');
    // a missing top-level key: the first key of the object
    expect(at(deployment, m!, ['status'])).toBe('apiVersion');
  });
  it('points into the right document of a multi-document file', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n`;
    const [a, b] = load(text);
    expect(b!.locate(['data', 'k']).start).toEqual({ line: 12, column: 6 });
    expect(at(text, b!, ['metadata', 'name'])).toBe('b');
    expect(a!.locate(['metadata', 'name']).start).toEqual({ line: 4, column: 9 });
  });
  it('handles CRLF line endings', () => {
    const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\ndata:\r\n  key: value\r\n';
    const [cm] = load(text);
    expect(cm!.locate(['data', 'key'])).toEqual({ start: { line: 6, column: 8 }, end: { line: 6, column: 13 } });
    expect(at(text, cm!, ['data', 'key'], 'key')).toBe('key');
  });
  it('handles JSON files', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {"a": "1", "b": "2"}\n}\n';
    const [cm] = load(text, 'x.json');
    expect(at(text, cm!, ['data', 'b'])).toBe('"2"');
    expect(at(text, cm!, ['metadata', 'name'], 'key')).toBe('"name"');
    expect(cm!.locate(['data', 'b']).start).toEqual({ line: 5, column: 27 });
  });
  it('is relative to the item for List items', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: one}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: two\n`;
    const [one, two] = load(text);
    expect(two!.listIndex).toBe(1);
    expect(at(text, two!, ['metadata', 'name'])).toBe('two');
    expect(two!.locate(['metadata', 'name']).start.line).toBe(10);
    expect(at(text, one!, ['metadata', 'name'])).toBe('one');
    expect(at(text, one!, ['data'])).toBe('apiVersion');
  });
  it('resolves plain keys with the loader rules (octal, booleans) and follows aliases and merge keys', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\n  labels: &l\n    app: x\n  annotations:\n    <<: *l\n    own: y\ndata:\n  0644: octal\n  yes: bool\n  other: *l\n`;
    const [cm] = load(text);
    expect(cm!.object.data).toEqual({ '420': 'octal', true: 'bool', other: { app: 'x' } });
    expect(at(text, cm!, ['data', '420'], 'key')).toBe('0644');
    expect(at(text, cm!, ['data', 'true'])).toBe('bool');
    expect(at(text, cm!, ['data', 'other', 'app'])).toBe('x');
    expect(at(text, cm!, ['metadata', 'annotations', 'app'])).toBe('x');
    expect(at(text, cm!, ['metadata', 'annotations', 'own'])).toBe('y');
    expect(at(text, cm!, ['data', 'other'])).toBe('*l');
  });
  it('gives the whole object for the empty path, without the final line break', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\n';
    const [cm] = load(text);
    expect(at(text, cm!, [])).toBe(text.trimEnd());
  });
  it('computes positions lazily and consistently (second call equals the first)', () => {
    const [cm] = load(deployment);
    const first = cm!.locate(['spec', 'template']);
    expect(cm!.locate(['spec', 'template'])).toEqual(first);
  });
});
