/** The loader's cheap start line of each object agrees with `locate([])` everywhere. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import type { SourceText } from '../../src/model/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.(ya?ml|json)$/.test(name) ? [p] : [];
  });
}

function linesBoth(sources: SourceText[]): Array<{ name: string; scanned: number; located: number }> {
  const { manifests } = loadManifests(sources);
  return manifests.map((m) => ({ name: `${m.file}#${m.documentIndex}/${m.ref.name}`, scanned: m.startLine?.() ?? m.locate([]).start.line, located: m.locate([]).start.line }));
}

describe('Manifest.startLine', () => {
  it('gives the line locate([]) gives, for every object in the fixtures and examples', () => {
    const files = [...yamlFiles(path.join(repoRoot, 'test/fixtures')), ...yamlFiles(path.join(repoRoot, 'examples'))];
    const sources = files.map((p) => ({ path: path.relative(repoRoot, p), text: readFileSync(p, 'utf8') }));
    const rows = linesBoth(sources);
    expect(rows.length).toBeGreaterThan(100);
    // The scan answers for the plain objects, rather than everything falling back to locate.
    expect(loadManifests(sources).manifests.filter((m) => m.startLine !== undefined).length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.scanned !== r.located)).toEqual([]);
  });

  it('handles directives, comments, markers, end markers, tags, anchors, quoted keys, flow roots, Lists, CRLF and a BOM', () => {
    const dir = path.join(repoRoot, 'test/fixtures/manifest/start-line');
    const sources = readdirSync(dir).map((name) => ({ path: name, text: readFileSync(path.join(dir, name), 'utf8') }));
    const rows = linesBoth(sources);
    expect(rows.map((r) => [r.name, r.scanned])).toEqual([
      ['bom.yaml#0/bom', 1],
      ['crlf.yaml#0/crlf-first', 1],
      ['crlf.yaml#1/crlf-second', 8],
      ['edge-cases.yaml#0/after-directive', 4],
      ['edge-cases.yaml#1/after-comments', 11],
      ['edge-cases.yaml#2/tagged-root', 16],
      ['edge-cases.yaml#3/anchored-root', 22],
      ['edge-cases.yaml#4/quoted-key', 27],
      ['edge-cases.yaml#5/flow-root', 32],
      ['edge-cases.yaml#6/after-end-marker', 35],
      ['edge-cases.yaml#7/list-item-a', 43],
      ['edge-cases.yaml#7/list-item-b', 47],
      ['edge-cases.yaml#8/indented-root', 52],
    ]);
    expect(rows.filter((r) => r.scanned !== r.located)).toEqual([]);
  });

  it('answers for each text on its own when one path is read twice', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
    const twice = [{ path: 'same.yaml', text }, { path: 'same.yaml', text: `# shifted\n${text}` }];
    expect(linesBoth(twice).map((r) => [r.scanned, r.located])).toEqual([[1, 1], [2, 2]]);
  });
});
