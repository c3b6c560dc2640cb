/**
 * The one formatter from core diagnostics to `file:line:col: severity: message [rule]` text.
 * Nothing else in kd turns a Diagnostic into a human line (the LSP has its own single converter).
 */
import { compareDiagnostics, countBySeverity, type Diagnostic } from '../../src/index.js';
import { plural, type Style } from './style.js';

export function formatDiagnosticLine(d: Diagnostic, style: Style): string {
  const where = `${d.file}:${d.range.start.line}:${d.range.start.column}`;
  const sev = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
  return `${style.bold(where)}: ${sev}: ${d.message} ${style.dim(`[${d.rule}]`)}`;
}

export interface ValidationSummary {
  files: number;
  objects: number;
}

export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], summary: ValidationSummary, style: Style): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const lines = sorted.map((d) => formatDiagnosticLine(d, style));
  lines.push(summaryLine(diagnostics, summary, style));
  return lines.join('\n') + '\n';
}

export function summaryLine(diagnostics: readonly Diagnostic[], summary: ValidationSummary, style: Style): string {
  const counts = countBySeverity(diagnostics);
  const scope = `${plural(summary.objects, 'object')} in ${plural(summary.files, 'file')}`;
  if (counts.error === 0) {
    const extra = [counts.warning ? plural(counts.warning, 'warning') : '', counts.info ? plural(counts.info, 'note') : '']
      .filter(Boolean)
      .join(', ');
    return `${style.green('valid')}: ${scope}${extra ? ` (${extra})` : ''}`;
  }
  const parts = [plural(counts.error, 'error'), counts.warning ? plural(counts.warning, 'warning') : '', counts.info ? plural(counts.info, 'note') : '']
    .filter(Boolean)
    .join(', ');
  return `${style.red('invalid')}: ${parts} in ${scope}`;
}
