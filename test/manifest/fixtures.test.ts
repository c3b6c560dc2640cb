/**
 * Fixture tests: every input under test/fixtures/manifest/ is read as bytes (through the same
 * checks as files from disk) and loaded; the outcome, one line per manifest and per diagnostic,
 * must equal `<name>.expected.txt` exactly. `<name>.options.json` holds load options when needed.
 * Set KD_UPDATE_GOLDENS=1 to rewrite the expected files after reviewing a change.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addBytes, type Inputs } from '../../src/io/inputs.js';
import { loadManifests } from '../../src/manifest/index.js';
import { compareDiagnostics, formatApiVersion, type LoadOptions } from '../../src/model/index.js';
import { golden } from '../support/golden.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/manifest');
const inputs = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && !e.name.endsWith('.expected.txt') && !e.name.endsWith('.options.json'))
  .map((e) => e.name)
  .sort();

export function outcome(name: string, bytes: Uint8Array, options: LoadOptions): string {
  const read: Inputs = { sources: [], diagnostics: [] };
  addBytes(name, bytes, {}, read);
  const { manifests, diagnostics } = loadManifests(read.sources, options);
  const lines: string[] = [];
  for (const m of manifests) {
    const where = m.locate(['kind']).start;
    const ns = m.ref.namespace ? `${m.ref.namespace}/` : '';
    const name = m.ref.name || (m.ref.generateName ? `${m.ref.generateName}*` : '<unnamed>');
    const item = m.listIndex === undefined ? '' : ` item=${m.listIndex}`;
    lines.push(`manifest doc=${m.documentIndex}${item} ${formatApiVersion(m.ref)} ${m.ref.kind} ${ns}${name} kind@${where.line}:${where.column}`);
  }
  for (const d of [...read.diagnostics, ...diagnostics].sort(compareDiagnostics)) {
    const { start, end } = d.range;
    lines.push(`${start.line}:${start.column}-${end.line}:${end.column} ${d.severity} ${d.rule} ${d.message}`);
  }
  return lines.join('\n') + '\n';
}

describe('manifest fixtures', () => {
  it('has fixtures', () => {
    expect(inputs.length).toBeGreaterThan(10);
  });
  for (const input of inputs) {
    it(input, () => {
      const base = input.replace(/\.[^.]+$/, '');
      const optionsFile = path.join(dir, `${base}.options.json`);
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as LoadOptions) : {};
      const actual = outcome(input, readFileSync(path.join(dir, input)), options);
      const expectedFile = path.join(dir, `${base}.expected.txt`);
      expect(actual).toBe(golden(expectedFile, actual));
    });
  }
});
