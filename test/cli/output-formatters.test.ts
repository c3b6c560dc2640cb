/**
 * The three renderings of validation diagnostics (text, JSON, SARIF), from fixed diagnostics.
 * JSON output is checked against its published schema; SARIF against the structure code-scanning
 * uploaders require; text against exact lines.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkJsonDocuments } from '../support/output-schemas.js';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/index.js';
import { ruleInfo } from '../../src/index.js';
import { formatDiagnosticsJson } from '../../plugin/output/diagnostics-json.js';
import { formatDiagnosticsText } from '../../plugin/output/diagnostics-text.js';
import { formatSarif } from '../../plugin/output/sarif.js';
import { makeStyle } from '../../plugin/output/style.js';

const root = path.resolve(import.meta.dirname, '../..');

const deployment = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const diagnostics: Diagnostic[] = [
  {
    severity: 'warning',
    rule: 'annotation/unknown-key',
    message: 'unknown annotation "kd.io/sync-wav"; did you mean "kd.io/sync-wave"?',
    file: 'b.yaml',
    range: { start: { line: 5, column: 5 }, end: { line: 5, column: 19 } },
    object: deployment,
    path: ['metadata', 'annotations', 'kd.io/sync-wav'],
    suggestions: ['kd.io/sync-wave'],
  },
  {
    severity: 'error',
    rule: 'schema/unknown-field',
    message: 'unknown field "spec.replicass"; did you mean "replicas"?',
    file: 'a.yaml',
    range: { start: { line: 7, column: 3 }, end: { line: 7, column: 12 } },
    object: deployment,
    path: ['spec', 'replicass'],
  },
  {
    severity: 'error',
    rule: 'yaml/syntax',
    message: 'Nested mappings are not allowed in compact mappings',
    file: 'a.yaml',
    range: { start: { line: 2, column: 8 }, end: { line: 2, column: 9 } },
  },
];

describe('text output', () => {
  it('prints file:line:col lines sorted by file and position, then a summary', () => {
    const out = formatDiagnosticsText(diagnostics, { files: 2, objects: 3 }, makeStyle(false));
    expect(out).toBe(
      [
        'a.yaml:2:8: error: Nested mappings are not allowed in compact mappings [yaml/syntax]',
        'a.yaml:7:3: error: unknown field "spec.replicass"; did you mean "replicas"? [schema/unknown-field]',
        'b.yaml:5:5: warning: unknown annotation "kd.io/sync-wav"; did you mean "kd.io/sync-wave"? [annotation/unknown-key]',
        'invalid: 2 errors, 1 warning in 3 objects in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('says valid, and counts warnings, when there is no error', () => {
    const out = formatDiagnosticsText([diagnostics[0]!], { files: 1, objects: 1 }, makeStyle(false));
    expect(out.trimEnd().split('\n').at(-1)).toBe('valid: 1 object in 1 file (1 warning)');
  });

  it('colours severities only when asked', () => {
    const out = formatDiagnosticsText(diagnostics, { files: 2, objects: 3 }, makeStyle(true));
    expect(out).toContain('\u001b[31merror\u001b[39m');
    expect(formatDiagnosticsText(diagnostics, { files: 2, objects: 3 }, makeStyle(false))).not.toContain('\u001b[');
  });
});

describe('json output', () => {
  it('matches schemas/validate-result.schema.json and is sorted', () => {
    const doc = JSON.parse(formatDiagnosticsJson(diagnostics, { files: 2, objects: 3 }));
    expect(checkJsonDocuments([doc])).toBe(1);
    expect(doc.valid).toBe(false);
    expect(doc.counts).toEqual({ files: 2, objects: 3, errors: 2, warnings: 1, infos: 0 });
    expect(doc.diagnostics.map((d: { rule: string }) => d.rule)).toEqual(['yaml/syntax', 'schema/unknown-field', 'annotation/unknown-key']);
    expect(doc.diagnostics[1].path).toBe('/spec/replicass');
    expect(doc.diagnostics[1].object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
  });
});

describe('sarif output', () => {
  const sarif = () => JSON.parse(formatSarif(diagnostics, { toolVersion: '0.1.0', cwd: '/repo', ruleInfo }));

  it('is SARIF 2.1.0 with one rule per rule id and physical locations', () => {
    const doc = sarif();
    expect(doc.version).toBe('2.1.0');
    const run = doc.runs[0];
    expect(run.tool.driver.name).toBe('kubectl-kd');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['annotation/unknown-key', 'schema/unknown-field', 'yaml/syntax']);
    expect(run.results).toHaveLength(3);
    const r = run.results[1];
    expect(r.ruleId).toBe('schema/unknown-field');
    expect(run.tool.driver.rules[r.ruleIndex].id).toBe('schema/unknown-field');
    expect(r.level).toBe('error');
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 3, endLine: 7, endColumn: 12 },
    });
    expect(run.results[2].level).toBe('warning');
  });

  it('keeps fingerprints stable when a finding moves to another line', () => {
    const before = sarif().runs[0].results[1].partialFingerprints['kdFinding/v1'];
    const moved = diagnostics.map((d) => (d.rule === 'schema/unknown-field' ? { ...d, range: { start: { line: 40, column: 3 }, end: { line: 40, column: 12 } } } : d));
    const after = JSON.parse(formatSarif(moved, { toolVersion: '0.1.0', cwd: '/repo', ruleInfo })).runs[0].results[1].partialFingerprints['kdFinding/v1'];
    expect(after).toBe(before);
    const other = sarif().runs[0].results[2].partialFingerprints['kdFinding/v1'];
    expect(other).not.toBe(before);
  });
});
