/**
 * Edits applied from the editor's change ranges (only the documents around a change are split and
 * loaded again; the others are moved) give exactly what a whole re-parse of the new text gives:
 * the same segments, outline and diagnostics. Random edits include typing or deleting `---` and
 * `...` lines (documents split and merged), edits at the start and end of the file, several
 * changes in one notification, and CRLF text; then through a real LSP connection.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { GroupVersionKind, Manifest } from '../../src/index.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { CoreEngine } from '../../lsp/service/core-engine.js';
import type { KdEngine } from '../../lsp/service/engine.js';
import { LanguageService } from '../../lsp/service/language-service.js';
import { resplitAround, splitYamlDocuments, type TextChange } from '../../lsp/service/split-documents.js';
import { placedManifests } from '../../lsp/service/workspace.js';
import { fileUri, K8S_SCHEMAS, startClient, type TestClient } from './support/lsp-client.js';

/** Offsets where an edit is interesting: line starts (a `---` typed there splits a document) and anywhere. */
function changeAt(text: string, pick: { where: number; lineStart: boolean; remove: number; insert: string; wholeLine: boolean }): TextChange {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (pick.wholeLine) {
    // Deletes one whole line (a `---` line merges two documents).
    const l = pick.where % starts.length;
    const start = starts[l]!;
    const end = l + 1 < starts.length ? starts[l + 1]! : text.length;
    return { start, end, text: pick.insert };
  }
  const start = pick.lineStart ? starts[pick.where % starts.length]! : pick.where % (text.length + 1);
  return { start, end: Math.min(text.length, start + pick.remove), text: pick.insert };
}

const apply = (text: string, c: TextChange) => text.slice(0, c.start) + c.text + text.slice(c.end);

const pieces = ['---\n', '--- \n', '---', '...\n', '\n', 'x', '-', ' ', '# c\n', 'a: 1\n', '  key: v\n', 'kind: Secret\n', '', '\r\n', '---\r\n', '- i\n', '%YAML 1.2\n'];
const pick = fc.record({
  where: fc.nat(),
  lineStart: fc.boolean(),
  remove: fc.nat({ max: 14 }),
  insert: fc.constantFrom(...pieces),
  wholeLine: fc.boolean(),
});

describe('re-split around a change', () => {
  const line = fc.constantFrom('a: 1', '# comment', '', 'kind: ConfigMap', '  nested: x', '- item', '---', '--- # marker', '--- {a: 1}', '...', '%YAML 1.2', ' ---', '----');
  const text = fc.tuple(fc.array(line, { maxLength: 24 }), fc.boolean(), fc.boolean()).map(([lines, crlf, finalNewline]) => lines.join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : ''));

  test('gives the segments of a whole split, after any sequence of changes', () => {
    let incremental = 0;
    let runs = 0;
    fc.assert(
      fc.property(text, fc.array(pick, { minLength: 1, maxLength: 6 }), (initial, picks) => {
        let current = initial;
        let segments = splitYamlDocuments(current);
        for (const p of picks) {
          const change = changeAt(current, p);
          const after = apply(current, change);
          const split = resplitAround(segments, current, after, change);
          if (segments.length >= 3) {
            runs++;
            if (split) incremental++;
          }
          segments = split?.segments ?? splitYamlDocuments(after);
          expect(segments).toEqual(splitYamlDocuments(after));
          current = after;
        }
      }),
      { numRuns: 400 },
    );
    // Most changes in files of a few documents take the incremental path: the property is not
    // about the fallback alone.
    expect(incremental / runs).toBeGreaterThan(0.8);
  });

  test('a one-character edit in a large file splits only its neighbourhood and shifts the rest', () => {
    const docs = Array.from({ length: 500 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: v\n`);
    const before = docs.join('---\n');
    const segments = splitYamlDocuments(before);
    const at = before.indexOf('name: c-250') + 6;
    const change = { start: at, end: at + 1, text: 'C' };
    const split = resplitAround(segments, before, apply(before, change), change)!;
    expect(split.to - split.from).toBeLessThanOrEqual(3);
    expect(split.segments.slice(split.to)).toEqual(segments.slice(split.to));
    // A line added: the later documents keep their text and move one line down.
    const newline = { start: at, end: at, text: 'x\n' };
    const moved = resplitAround(segments, before, apply(before, newline), newline)!;
    expect(moved.segments[400]).toEqual({ ...segments[400]!, startLine: segments[400]!.startLine + 1, start: segments[400]!.start + 2, end: segments[400]!.end + 2 });
  });
});

/** A workload with an error, a duplicate, a list and a CRLF variant to edit. */
function workload(crlf: boolean): string {
  const docs = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  MODE: production\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          portz: []\n',
    '# a comment between documents\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata: {MODE: staging}\n',
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: listed\n      namespace: shop\n',
  ];
  const text = docs.join('---\n');
  return crlf ? text.replaceAll('\n', '\r\n') : text;
}

function engine(): KdEngine {
  return new CoreEngine({ schemaSources: [new SchemaDirSource(K8S_SCHEMAS)] });
}

/** Counts loads: the incremental path must not load what it did not change. */
function countingEngine(): { engine: KdEngine; loads: () => number } {
  const core = engine();
  let loads = 0;
  return {
    engine: {
      load: (file: string, text: string) => {
        loads++;
        return core.load(file, text);
      },
      prepare: (gvks: readonly GroupVersionKind[]) => core.prepare(gvks),
      check: (m: Manifest, o: { strict: boolean }) => core.check(m, o),
      checkAcross: (ms: readonly Manifest[]) => core.checkAcross(ms),
      identity: (m: Manifest) => core.identity(m),
      setCustomResources: (crds: readonly Manifest[]) => core.setCustomResources(crds),
      annotations: () => core.annotations(),
    },
    loads: () => loads,
  };
}

const URI = 'file:///work/shop.yaml';

describe('edits in the language service', () => {
  test('outline and diagnostics after random edits equal those of a whole re-parse', async () => {
    const sources = [new SchemaDirSource(K8S_SCHEMAS)];
    // One engine and service for the edits across runs (as in a session); a fresh one per check.
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(fc.array(pick, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), async (crlf, batches) => {
        const edited = new LanguageService({ engine: engine(), schemaSources: sources });
        let text = workload(crlf);
        edited.update(URI, 'shop.yaml', text, true);
        for (const batch of batches) {
          // Several changes in one notification, each in offsets of the text the previous one left.
          const changes: TextChange[] = [];
          for (const p of batch) {
            const change = changeAt(text, p);
            changes.push(change);
            text = apply(text, change);
          }
          edited.edit(URI, 'shop.yaml', changes, text, true);
        }
        const fresh = new LanguageService({ engine: engine(), schemaSources: sources });
        fresh.update(URI, 'shop.yaml', text, true);
        expect(edited.workspace.get(URI)!.segments.map((s) => s.segment)).toEqual(fresh.workspace.get(URI)!.segments.map((s) => s.segment));
        expect(edited.documentSymbols(URI)).toEqual(fresh.documentSymbols(URI));
        expect(await edited.diagnostics(URI)).toEqual(await fresh.diagnostics(URI));
      }),
      { numRuns: 60 },
    );
  });

  test('opening a file only splits it; a keystroke then loads only the document it is in, typing a `---` line only the new halves', async () => {
    const { engine: counting, loads } = countingEngine();
    const service = new LanguageService({ engine: counting, schemaSources: [] });
    const docs = Array.from({ length: 200 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: v\n`);
    let text = docs.join('---\n');
    service.update(URI, 'shop.yaml', text, true);
    // Loading waits for validation, which does it in slices.
    expect(loads()).toBe(0);
    await service.diagnostics(URI);
    expect(loads()).toBe(200);
    const at = text.indexOf('name: c-120') + 6;
    const typed = { start: at, end: at + 1, text: 'C' };
    text = apply(text, typed);
    service.edit(URI, 'shop.yaml', [typed], text, true);
    await service.diagnostics(URI);
    expect(loads()).toBe(201);
    const split = text.indexOf('data:', at);
    const marker = { start: split, end: split, text: '---\n' };
    text = apply(text, marker);
    service.edit(URI, 'shop.yaml', [marker], text, true);
    await service.diagnostics(URI);
    // The second half (`data:` alone) is not a Kubernetes object, so it is never loaded.
    expect(loads()).toBe(202);
    expect(service.documentSymbols(URI)!.length).toBe(200);
    expect(service.workspace.get(URI)!.segments.length).toBe(201);
    const fresh = new LanguageService({ engine: engine(), schemaSources: [] });
    fresh.update(URI, 'shop.yaml', text, true);
    expect(service.documentSymbols(URI)).toEqual(fresh.documentSymbols(URI));
  });
});

describe('slices', () => {
  test('validating a file just opened loads, checks and outlines it in slices that give the event loop a turn', async () => {
    let pauses = 0;
    const service = new LanguageService({ engine: engine(), schemaSources: [], pause: () => (pauses++, Promise.resolve()) });
    const docs = Array.from({ length: 240 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: v\n`);
    service.update(URI, 'shop.yaml', docs.join('---\n'), true);
    await service.diagnostics(URI);
    // 240 loads in slices of 16 and 240 checks in slices of 8: a pause before the 17th and the 9th.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(240 / 17) + Math.floor(240 / 9));
    const fresh = new LanguageService({ engine: engine(), schemaSources: [], pause: () => (pauses++, Promise.resolve()) });
    fresh.update(URI, 'shop.yaml', docs.join('---\n'), true);
    const before = pauses;
    // An outline asked for before any validation loads and computes in slices too.
    const groups = await fresh.documentSymbolGroups(URI);
    expect(groups!.flat()).toHaveLength(240);
    expect(pauses - before).toBeGreaterThanOrEqual(Math.floor(240 / 32));
  });
});

describe('edits through the protocol', () => {
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
  });

  test('an outline asked for while a large file is first outlined answers for an edit that arrived meanwhile', async () => {
    client = await startClient({ debounceMs: 5_000 });
    const uri = fileUri('/tmp/kd-lsp-incremental/many.yaml');
    const docs = Array.from({ length: 600 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: v\n`);
    client.open(uri, docs.join('---\n'));
    // Sent together: the outline is computed (and converted) in slices, and the edit renaming
    // the first object is taken between two of them.
    const outline = client.documentSymbols(uri);
    client.change(uri, 2, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } }, text: 'renamed' }]);
    const symbols = await outline;
    expect(symbols).toHaveLength(600);
    expect(symbols[0]!.name).toBe('ConfigMap/renamed');
    expect(symbols[599]!.name).toBe('ConfigMap/c-599');
  });

  test('incremental changes (CRLF, a document split and merged again) publish what opening the final text publishes', async () => {
    client = await startClient();
    const uri = fileUri('/tmp/kd-lsp-incremental/shop.yaml');
    const text = workload(true);
    let mirror = TextDocument.create(uri, 'yaml', 1, text);
    client.open(uri, text);
    await client.diagnostics(uri, (p) => p.version === 1);
    const lines = text.split('\r\n');
    const data = lines.indexOf('data:');
    const portz = lines.indexOf('          portz: []');
    const ports = lines.indexOf('  ports:');
    const batches: TextDocumentContentChangeEvent[][] = [
      // Split the first ConfigMap before `data:` and type in the Deployment (moved one line down).
      [
        { range: { start: { line: data, character: 0 }, end: { line: data, character: 0 } }, text: '---\r\n' },
        { range: { start: { line: portz + 1, character: 10 }, end: { line: portz + 1, character: 15 } }, text: 'ports' },
      ],
      // Merge it back by deleting the `---` line, then type in the Service.
      [{ range: { start: { line: data, character: 0 }, end: { line: data + 1, character: 0 } }, text: '' }],
      [{ range: { start: { line: ports, character: 2 }, end: { line: ports, character: 2 } }, text: 'x' }],
    ];
    let version = 1;
    for (const changes of batches) {
      version++;
      client.change(uri, version, changes);
      mirror = TextDocument.update(mirror, changes, version);
    }
    const edited = await client.diagnostics(uri, (p) => p.version === version);
    const editedSymbols = await client.documentSymbols(uri);
    // `xports` typed in the Service (which then has no ports), and the ConfigMap defined twice.
    expect(edited.diagnostics.map((d) => d.code)).toEqual(['builtin/service', 'schema/unknown-field', 'manifest/duplicate']);

    // The same document opened afresh with the final text.
    client.close(uri);
    await client.diagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
    const before = client.published(uri).length;
    client.open(uri, mirror.getText());
    const fresh = await client.diagnostics(uri, (p) => p.version === 1 && client!.published(uri).indexOf(p) >= before);
    expect(edited.diagnostics).toEqual(fresh.diagnostics);
    expect(editedSymbols).toEqual(await client.documentSymbols(uri));
  });
});

describe('the cross-file check after an edit', () => {
  test('checking only objects that share an identity gives what the check over every object gives', async () => {
    const sources = [new SchemaDirSource(K8S_SCHEMAS)];
    // Names from a small set so that duplicates are common; namespaced kinds with and without a
    // namespace (defaulted), and cluster-scoped ones with a stray namespace.
    const object = fc.record({
      kind: fc.constantFrom('ConfigMap', 'Secret', 'Namespace', 'ClusterRole'),
      name: fc.constantFrom('a', 'b', ''),
      namespace: fc.constantFrom(undefined, 'default', 'shop'),
    });
    const text = (objects: Array<{ kind: string; name: string; namespace: string | undefined }>) =>
      objects
        .map(({ kind, name, namespace }) => {
          const apiVersion = kind === 'ClusterRole' ? 'rbac.authorization.k8s.io/v1' : 'v1';
          const meta = [name ? `  name: ${name}` : '  generateName: gen-', namespace ? `  namespace: ${namespace}` : ''].filter(Boolean).join('\n');
          return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n${meta}\n`;
        })
        .join('---\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(object, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }), async (files) => {
        const core = engine();
        const service = new LanguageService({ engine: core, schemaSources: sources });
        const uris = files.map((_, i) => `file:///work/f${i}.yaml`);
        files.forEach((objects, i) => service.update(uris[i]!, `f${i}.yaml`, text(objects), true));
        for (const [i, uri] of uris.entries()) {
          const got = ((await service.diagnostics(uri)) ?? []).filter((d) => d.rule === 'manifest/duplicate');
          // Every object of the workspace, in file-path order, as the CLI reads them.
          const every: Manifest[] = [];
          for (const f of service.workspace.filesInPathOrder()) for (const s of f.segments) every.push(...placedManifests(s));
          const want = core.checkAcross(every).filter((d) => d.file === `f${i}.yaml`);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });
});
