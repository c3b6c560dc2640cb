/**
 * `kubectl kd drift -o sarif`: each finding becomes a diagnostic (rule `drift/<class>`) and goes
 * through the one SARIF writer (sarif.ts), so fingerprints are computed one way for every kd
 * finding: rule, file, object identity and field path — never the values or the line, so code
 * scanning tracks a drift across runs. Findings of `--fail-on` classes are errors, others notes.
 * Objects with no file (orphans, `--all-releases`) are reported without a physical location.
 */
import { FILE_START, type Diagnostic, type DriftReport, type RuleInfo } from '../../src/index.js';
import { describeFinding } from './drift-values.js';
import { formatSarif } from './sarif.js';

const RULES: Record<string, string> = {
  'drift/pending': 'The files changed since the last apply; the cluster is still as applied.',
  'drift/drifted': 'The cluster changed a field kd applied.',
  'drift/conflict': 'The files and the cluster both changed a field, to different values.',
  'drift/missing': 'kd applied the object; it is gone from the cluster.',
  'drift/new': 'The object is in the files and was never applied.',
  'drift/orphan': 'The object is in the release\'s ApplySet and no longer in the files.',
  'drift/kept': 'The object is in the release\'s ApplySet, no longer in the files, and marked resource-policy: keep: prune leaves it.',
  'drift/foreign': 'Another field manager set a field kd never set.',
};

export function driftDiagnostics(report: DriftReport): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of report.targets)
    for (const o of t.objects)
      for (const f of o.findings) {
        const line = f.line ?? o.line ?? 1;
        const column = f.line !== undefined ? (f.column ?? 1) : 1;
        const d: Diagnostic = {
          severity: report.failOn.includes(f.class) ? 'error' : f.class === 'foreign' || f.class === 'new' || f.class === 'kept' ? 'info' : 'warning',
          rule: `drift/${f.class}`,
          message: `${report.targets.length > 1 ? `[${t.context}] ` : ''}${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ''}${o.ref.name}: ${describeFinding(f)}`,
          file: o.file ?? '',
          range: o.file ? { start: { line, column }, end: { line, column } } : FILE_START,
          object: o.ref,
          path: f.path ?? [],
        };
        out.push(d);
      }
  return out;
}

export function formatDriftSarif(report: DriftReport, options: { toolVersion: string; cwd: string }): string {
  return formatSarif(driftDiagnostics(report), { ...options, ruleInfo: (id): RuleInfo => ({ id, description: RULES[id] ?? id }) });
}
