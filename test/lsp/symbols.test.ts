/**
 * The outline's `metadata.name` ranges come from a line scan (fast enough to answer after every
 * edit of a 2,000-document file); they must be exactly the loader's located ranges, which the
 * scan stands in for. Checked over every YAML fixture and example of the repository, plus the
 * shapes the scan must hand back to the loader.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CoreEngine } from '../../lsp/service/core-engine.js';
import { documentSymbols } from '../../lsp/service/symbols.js';
import { placedManifests, Workspace } from '../../lsp/service/workspace.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

function compare(ws: Workspace, uri: string, text: string): number {
  const file = ws.set(uri, uri, text, false).file;
  const symbols = documentSymbols(file)!;
  const expected = file.segments.flatMap((s) =>
    s.result.kubernetes
      ? placedManifests(s).map((m) => {
          const at = m.locate(m.ref.name ? ['metadata', 'name'] : ['kind'], 'value');
          return `${m.ref.kind} ${at.start.line}:${at.start.column}-${at.end.line}:${at.end.column}`;
        })
      : [],
  );
  const got = symbols.map((s) => `${s.name.split('/')[0]} ${s.selectionRange.start.line}:${s.selectionRange.start.column}-${s.selectionRange.end.line}:${s.selectionRange.end.column}`);
  // Where the located range falls outside the object (rare shapes), the outline selects its start instead.
  const comparable = got.map((g, i) => (g.endsWith(` ${symbols[i]!.range.start.line}:${symbols[i]!.range.start.column}-${symbols[i]!.range.start.line}:${symbols[i]!.range.start.column}`) ? expected[i] : g));
  expect(comparable).toEqual(expected);
  return symbols.length;
}

describe('document symbols', () => {
  test('the scanned name ranges equal the located ones on every fixture and example', () => {
    const ws = new Workspace(new CoreEngine({ schemaSources: [] }));
    let count = 0;
    for (const f of [...yamlFiles(path.join(ROOT, 'test/fixtures')), ...yamlFiles(path.join(ROOT, 'examples'))]) count += compare(ws, f, readFileSync(f, 'utf8'));
    expect(count).toBeGreaterThan(100);
  });

  test('quoted, commented, anchored, flow-style and nested names', () => {
    const ws = new Workspace(new CoreEngine({ schemaSources: [] }));
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "quoted"\n',
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    labels:\n      name: not-this\n    name: 'single' # why\n",
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  # a comment\n\n  name: &anchor anchored\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow, namespace: x}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "esc\\"aped"\n',
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json"}}\n',
    ].join('---\n');
    expect(compare(ws, 'file:///shapes.yaml', text)).toBe(6);
  });

  test('a cancelled request stops and answers nothing', () => {
    const ws = new Workspace(new CoreEngine({ schemaSources: [] }));
    const file = ws.set('file:///a.yaml', 'a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', false).file;
    expect(documentSymbols(file, () => true)).toBeUndefined();
    expect(documentSymbols(file, () => false)).toHaveLength(1);
  });
});
