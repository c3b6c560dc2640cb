/**
 * `-o json` for validate: the document described by schemas/validate-result.schema.json.
 * Field order and sorting are stable so that the output can be compared across runs.
 */
import { documentHead, objectReference } from './json-document.js';
import { compareDiagnostics, countBySeverity, toJsonPointer, type Diagnostic } from '../../src/index.js';
import type { ValidationSummary } from './diagnostics-text.js';

export function formatDiagnosticsJson(diagnostics: readonly Diagnostic[], summary: ValidationSummary): string {
  const counts = countBySeverity(diagnostics);
  const doc = {
    ...documentHead('ValidationResult'),
    valid: counts.error === 0,
    counts: { files: summary.files, objects: summary.objects, errors: counts.error, warnings: counts.warning, infos: counts.info },
    diagnostics: [...diagnostics].sort(compareDiagnostics).map((d) => ({
      file: d.file,
      range: d.range,
      severity: d.severity,
      rule: d.rule,
      message: d.message,
      ...(d.object ? { object: objectReference(d.object) } : {}),
      ...(d.path ? { path: toJsonPointer(d.path) } : {}),
      ...(d.suggestions?.length ? { suggestions: d.suggestions } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
