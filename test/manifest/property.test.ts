/**
 * Property tests (fast-check, fixed seeds, bounded runs): for generated manifests in many YAML
 * styles, and for random mutations of them, loading never throws and terminates; every
 * diagnostic and every located range lies inside the file; valid documents load to the same
 * values as the `yaml` library's parser (YAML 1.1 mode, for the scalars where both agree); and
 * every scalar of an accepted document is located at text that reads back as that scalar.
 */
import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests, resolvePlainScalar } from '../../src/manifest/index.js';
import type { JsonPath, SourceRange } from '../../src/model/index.js';

/** Strings whose plain reading the loader (go-yaml rules) and `yaml` 1.1 agree on. */
function agreed(s: string): boolean {
  try {
    const theirs: unknown = parse(s, { version: '1.1', logLevel: 'silent' });
    const ours = resolvePlainScalar(s);
    return typeof theirs !== 'object' || theirs === null ? Object.is(theirs, ours) || typeof theirs === 'string' && typeof ours === 'string' : true;
  } catch {
    return true;
  }
}

const key = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.\/_-]{0,12}$/);
const scalar = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  fc.string({ maxLength: 20 }).filter(agreed),
  fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'n', 'null', '~', 'true', '0644', '1e3', '2001-12-14', 'a: b', '- x', '#c', '*a', '&a', '"q"', "'s'", 'multi\nline', ' lead', 'trail ', ''),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).node;
const manifest = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'example.com/v1alpha1'),
  kind: fc.constantFrom('ConfigMap', 'Deployment', 'Widget'),
  metadata: fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/) }),
  spec: value,
});
const style = fc.record({
  // Not 'block': the yaml library then writes empty collections on their own line at the key's
  // indentation (`spec:\n[]`), which is not valid YAML (js-yaml and go-yaml reject it).
  collectionStyle: fc.constantFrom('any', 'flow') as fc.Arbitrary<'any' | 'flow'>,
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL'>,
  crlf: fc.boolean(),
  separator: fc.constantFrom('---\n', '---\n# comment\n', '...\n---\n', '\n---\n\n'),
});

function render(docs: unknown[], s: { collectionStyle: 'any' | 'flow'; indent: number; indentSeq: boolean; defaultStringType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL'; crlf: boolean; separator: string }): string {
  const text = docs.map((d) => stringify(d, { version: '1.1', collectionStyle: s.collectionStyle, indent: s.indent, indentSeq: s.indentSeq, defaultStringType: s.defaultStringType, lineWidth: 0 })).join(s.separator);
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

function lineLengths(text: string): number[] {
  return text.split('\n').map((l) => l.length);
}

function inFile(lengths: number[], range: SourceRange): boolean {
  const ok = (p: { line: number; column: number }) => p.line >= 1 && p.line <= lengths.length && p.column >= 1 && p.column <= lengths[p.line - 1]! + 1;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.column <= range.end.column);
  return ok(range.start) && ok(range.end) && ordered;
}

function textAt(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(offset(range.start.line, range.start.column), offset(range.end.line, range.end.column));
}

function leaves(value: unknown, path: JsonPath = [], out: Array<[JsonPath, unknown]> = []): Array<[JsonPath, unknown]> {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.push([path, value]);
  return out;
}

/** Reads a located scalar back, as a one-line document, with the loader's own rules. */
function readBack(text: string): unknown {
  const { manifests, diagnostics } = loadManifests([{ path: 'x', text: `apiVersion: v1\nkind: X\nmetadata: {name: x}\nv: ${text}\n` }]);
  return diagnostics.length === 0 ? manifests[0]?.object.v : Symbol('unreadable');
}

function checkLoad(text: string, expectValues: boolean): void {
  const lengths = lineLengths(text);
  const { manifests, diagnostics } = loadManifests([{ path: 'gen.yaml', text }]);
  for (const d of diagnostics) expect(inFile(lengths, d.range), `${d.rule} ${JSON.stringify(d.range)}`).toBe(true);
  if (expectValues) {
    const theirs = parseAllDocuments(text, { version: '1.1' });
    expect(diagnostics).toEqual([]);
    const docs = (Array.isArray(theirs) ? theirs : []).map((d) => d.toJS() as unknown).filter((v) => v !== null);
    expect(manifests.map((m) => m.object)).toEqual(docs);
  }
  for (const m of manifests) {
    for (const [path, leaf] of leaves(m.object)) {
      const range = m.locate(path);
      expect(inFile(lengths, range)).toBe(true);
      const located = textAt(text, range);
      if (typeof leaf === 'string' && (leaf.includes('\n') || leaf.trim() !== leaf || /^['"]/.test(located) === false && /[\r\t]/.test(leaf))) continue;
      if (located.includes('\n') || located.startsWith('|') || located.startsWith('>')) continue; // block scalars need their indentation
      // An empty value (null) is located at its key, by design.
      if (leaf === null && typeof path[path.length - 1] === 'string' && located === textAt(text, m.locate(path, 'key'))) continue;
      expect(readBack(located), `${JSON.stringify(path)} at ${JSON.stringify(range)}: ${located}`).toEqual(leaf);
    }
    expect(inFile(lengths, m.locate(['no', 'such', 'path']))).toBe(true);
  }
}

describe('loader properties', () => {
  it('loads generated manifests like the yaml parser, and locates every scalar', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), style, (docs, s) => checkLoad(render(docs, s), true)),
      { seed: 20240601, numRuns: 300, interruptAfterTimeLimit: 4000 },
    );
  });

  it('never throws on mutated input, and every range stays in the file', () => {
    const mutation = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 6 }),
      insert: fc.stringMatching(/^[-:\[\]{}&*!|>'"#%@`, \n\t\\a-z0-9]{0,6}$/),
    });
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), style, fc.array(mutation, { minLength: 1, maxLength: 4 }), (docs, s, mutations) => {
        let text = render(docs, s);
        for (const m of mutations) {
          const at = text.length === 0 ? 0 : m.at % text.length;
          text = text.slice(0, at) + m.insert + text.slice(at + m.remove);
        }
        checkLoad(text, false);
      }),
      { seed: 424242, numRuns: 400, interruptAfterTimeLimit: 4000 },
    );
  });
});
