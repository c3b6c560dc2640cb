/**
 * The language service without the protocol: incrementality (an edit loads and checks only the
 * edited document; the others keep their results, shifted when lines move), cancellation, the
 * document split, and cursor contexts read from indentation.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic, GroupVersionKind, Manifest } from '../../src/index.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { CoreEngine } from '../../lsp/service/core-engine.js';
import type { KdEngine } from '../../lsp/service/engine.js';
import { LanguageService } from '../../lsp/service/language-service.js';
import { splitYamlDocuments } from '../../lsp/service/split-documents.js';
import { cursorContext } from '../../lsp/service/yaml-context.js';
import { markers, K8S_SCHEMAS } from './support/lsp-client.js';

/** The core engine, counting what it is asked to do. */
function countingEngine(): { engine: KdEngine; counts: { load: number; check: number } } {
  const core = new CoreEngine({ schemaSources: [new SchemaDirSource(K8S_SCHEMAS)] });
  const counts = { load: 0, check: 0 };
  const engine: KdEngine = {
    load: (file: string, text: string) => {
      counts.load++;
      return core.load(file, text);
    },
    prepare: (gvks: readonly GroupVersionKind[]) => core.prepare(gvks),
    check: (m: Manifest, o: { strict: boolean }) => {
      counts.check++;
      return core.check(m, o);
    },
    checkAcross: (ms: readonly Manifest[]) => core.checkAcross(ms),
      identity: (m: Manifest) => core.identity(m),
    setCustomResources: (crds: readonly Manifest[]) => core.setCustomResources(crds),
    annotations: () => core.annotations(),
  };
  return { engine, counts };
}

function configMaps(n: number, bad: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n${i === bad ? 'dataa' : 'data'}:\n  key: value-${i}\n`);
  return docs.join('---\n');
}

const summary = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => `${d.range.start.line}:${d.range.start.column} ${d.documentIndex} ${d.rule}`);

describe('incremental validation', () => {
  test('an edit loads and checks only the edited document; the others keep their results', async () => {
    const { engine, counts } = countingEngine();
    const service = new LanguageService({ engine, schemaSources: [] });
    const text = configMaps(50, 30);
    service.update('file:///a.yaml', 'a.yaml', text, true);
    expect(summary(await service.diagnostics('file:///a.yaml'))).toEqual(['215:1 30 schema/unknown-field']);
    expect(counts).toEqual({ load: 50, check: 50 });

    const edited = text.replace('value-10', 'value-ten');
    service.update('file:///a.yaml', 'a.yaml', edited, true);
    expect(summary(await service.diagnostics('file:///a.yaml'))).toEqual(['215:1 30 schema/unknown-field']);
    expect(counts).toEqual({ load: 51, check: 51 });
  });

  test('lines added above a document move its diagnostics without checking it again', async () => {
    const { engine, counts } = countingEngine();
    const service = new LanguageService({ engine, schemaSources: [] });
    const text = configMaps(5, 4);
    service.update('file:///b.yaml', 'b.yaml', text, true);
    expect(summary(await service.diagnostics('file:///b.yaml'))).toEqual(['33:1 4 schema/unknown-field']);
    service.update('file:///b.yaml', 'b.yaml', text.replace('  key: value-0\n', '  key: value-0\n  other: more\n  third: still more\n'), true);
    expect(summary(await service.diagnostics('file:///b.yaml'))).toEqual(['35:1 4 schema/unknown-field']);
    expect(counts).toEqual({ load: 6, check: 6 });
  });

  test('documents inserted or removed in the middle: the others keep their results', async () => {
    const { engine, counts } = countingEngine();
    const service = new LanguageService({ engine, schemaSources: [] });
    const text = configMaps(6, 5);
    service.update('file:///c.yaml', 'c.yaml', text, true);
    expect(summary(await service.diagnostics('file:///c.yaml'))).toEqual(['40:1 5 schema/unknown-field']);
    expect(counts).toEqual({ load: 6, check: 6 });
    const docs = text.split('---\n');
    const inserted = [...docs.slice(0, 2), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n', ...docs.slice(2)].join('---\n');
    service.update('file:///c.yaml', 'c.yaml', inserted, true);
    expect(summary(await service.diagnostics('file:///c.yaml'))).toEqual(['45:1 6 schema/unknown-field']);
    expect(counts).toEqual({ load: 7, check: 7 });
    // Two documents swapped and one removed (the first keeps its place: it is the one without `---`).
    const reordered = [docs[0], docs[2], docs[1], ...docs.slice(4)].join('---\n');
    service.update('file:///c.yaml', 'c.yaml', reordered, true);
    expect(summary(await service.diagnostics('file:///c.yaml'))).toEqual(['33:1 4 schema/unknown-field']);
    expect(counts).toEqual({ load: 7, check: 7 });
  });

  test('documents that are not Kubernetes objects are never loaded', async () => {
    const { engine, counts } = countingEngine();
    const service = new LanguageService({ engine, schemaSources: [] });
    service.update('file:///compose.yaml', 'compose.yaml', 'services:\n  web:\n    image: nginx\n---\nname: ci\non: push\n', true);
    expect(await service.diagnostics('file:///compose.yaml')).toEqual([]);
    expect(counts).toEqual({ load: 0, check: 0 });
  });

  test('work for an outdated text gives up: no diagnostics, nothing checked', async () => {
    const { engine, counts } = countingEngine();
    const service = new LanguageService({ engine, schemaSources: [] });
    service.update('file:///c.yaml', 'c.yaml', configMaps(3, 1), true);
    expect(await service.diagnostics('file:///c.yaml', () => true)).toBeUndefined();
    expect(counts.check).toBe(0);
  });
});

describe('document split', () => {
  // `...` is left out: the core's split and the yaml library disagree on `...` before any content.
  const line = fc.constantFrom('a: 1', '# comment', '', 'kind: ConfigMap', '  nested: x', '- item', '--- # marker with a comment', '%YAML 1.2');
  test('each segment is the text starting at its start line, and together they cover every document', () => {
    fc.assert(
      fc.property(fc.array(fc.array(line, { maxLength: 6 }), { minLength: 1, maxLength: 6 }), (docs) => {
        const text = docs.map((d) => d.join('\n')).join('\n---\n') + '\n';
        const lines = text.split('\n');
        const segments = splitYamlDocuments(text);
        expect(segments.map((s) => s.index)).toEqual(segments.map((_, i) => i));
        expect(segments.length).toBe(Math.max(1, parseAllDocuments(text).length));
        for (const s of segments) expect(lines.slice(s.startLine - 1).join('\n').startsWith(s.text)).toBe(true);
      }),
    );
  });
});

describe('cursor context', () => {
  const cases: Array<[string, string, unknown]> = [
    ['annotation key being typed', 'metadata:\n  name: a\n  annotations:\n    kd.io/<|>\n', { parent: ['metadata', 'annotations'], at: 'key', partial: 'kd.io/' }],
    ['value after a key', 'kind: Dep<|>\n', { parent: [], at: 'value', key: 'kind', partial: 'Dep' }],
    ['key in a list item below its first key', 'spec:\n  containers:\n    - name: a\n      <|>\n', { parent: ['spec', 'containers', 0], at: 'key', partial: '' }],
    ['second list item, compact list', 'spec:\n  volumes:\n  - name: a\n  - name: b\n    <|>\n', { parent: ['spec', 'volumes', 1], at: 'key', partial: '' }],
    ['new list item on the dash line', 'spec:\n  ports:\n    - port: 80\n    - <|>\n', { parent: ['spec', 'ports', 1], at: 'key', partial: '' }],
  ];
  test.each(cases)('%s', (_name, source, want) => {
    const { text, positions } = markers(source);
    const p = positions[0]!;
    expect(cursorContext(text.split('\n'), p.line, p.character)).toMatchObject(want as object);
  });
});

describe('layering', () => {
  test('the language service imports neither the protocol nor I/O modules (only the core and itself)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../lsp/service/', import.meta.url);
    const offending: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('./') || spec === '../../src/index.js') continue;
        offending.push(`${f}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
