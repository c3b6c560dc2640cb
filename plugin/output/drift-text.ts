/**
 * `kubectl kd drift` for people: per release and cluster a header, a table (object, class,
 * fields: one line per finding) and a summary line; with `--diff` the unified diffs after the
 * table. Stable text: tests compare it exactly.
 */
import { describeRef, DRIFT_CLASSES, type DriftCounts, type DriftReport, type DriftTargetReport } from '../../src/index.js';
import { padVisible, plural, type Style } from './style.js';
import { describeFinding } from './drift-values.js';

export function formatDriftText(report: DriftReport, options: { style: Style; diff: boolean }): string {
  const { style } = options;
  const out: string[] = [];
  for (const t of report.targets) {
    out.push(style.bold(header(t)));
    if (t.note) out.push(`note: ${t.note}`);
    if (t.objects.length === 0) {
      out.push('no objects: nothing in the files, the release record or its set', '');
      continue;
    }
    const rows: Array<[string, string, string]> = [['OBJECT', 'CLASS', 'FIELDS']];
    for (const o of t.objects) {
      const name = describeRef(o.ref);
      const fieldFindings = o.findings.filter((f) => f.path !== undefined);
      // Object-level classes (missing, new, orphan, kept) say what they mean on their row.
      const objectFinding = o.findings.find((f) => f.path === undefined);
      if (fieldFindings.length === 0) rows.push([name, o.class, o.note ?? (objectFinding ? describeFinding(objectFinding) : '')]);
      fieldFindings.forEach((f, i) => rows.push([i === 0 ? name : '', f.class, describeFinding(f)]));
      if (o.note && fieldFindings.length > 0) rows.push(['', '', o.note]);
    }
    const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
    const w1 = Math.max(...rows.map((r) => r[1].length)) + 2;
    rows.forEach((r, i) => out.push(`${padVisible(r[0], w0)}${padVisible(i === 0 ? r[1] : paint(style, r[1]), w1)}${r[2]}`.trimEnd()));
    out.push(summary(t.objects.length, t.counts), '');
    if (options.diff) for (const o of t.objects) if (o.diff) out.push(o.diff);
  }
  for (const note of report.notes ?? []) out.push(`note: ${note}`);
  if (report.targets.length > 1) out.push(`total: ${summary(report.targets.reduce((n, t) => n + t.objects.length, 0), report.counts)}`);
  return out.join('\n').replace(/\n*$/, '\n');
}

function header(t: DriftTargetReport): string {
  const revision = t.revision !== undefined ? `revision ${t.revision}` : t.note?.startsWith('no revision') ? 'no deployed revision' : 'never applied by kd';
  return `release ${t.release} in ${t.namespace} (${revision}), context ${t.context}${t.serverVersion ? `, server ${t.serverVersion}` : ''}`;
}

function summary(objects: number, counts: DriftCounts): string {
  const parts = DRIFT_CLASSES.filter((c) => counts[c] > 0).map((c) => `${counts[c]} ${c}`);
  return `${plural(objects, 'object')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

function paint(style: Style, cls: string): string {
  if (cls === 'in-sync' || cls === 'kept') return style.green(cls);
  if (cls === 'foreign' || cls === 'new') return style.cyan(cls);
  if (cls === 'pending') return style.yellow(cls);
  return style.red(cls);
}
