/**
 * Fixture helpers: read `test/fixtures/lsp/<name>`, render LSP results as stable text for exact
 * comparison with their expected files, and (with KD_UPDATE_GOLDENS=1, test/support/golden.ts) write those files from
 * the current output, for review in the diff.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, Range } from 'vscode-languageserver/node';
import { golden } from '../../support/golden.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/lsp');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

export function formatRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** One line per diagnostic: `line:char-line:char severity rule message` (LSP 0-based positions). */
export function formatDiagnostics(list: readonly Diagnostic[]): string {
  return list.map((d) => `${formatRange(d.range)} ${SEVERITY[d.severity ?? 1]} ${String(d.code)} ${d.message}`).join('\n') + (list.length > 0 ? '\n' : '');
}

/** The expected text of `name` (test/support/golden.ts: missing fails, KD_UPDATE_GOLDENS=1 rewrites). */
export function expected(name: string, actual: string): string {
  return golden(path.join(FIXTURES, name), actual);
}
