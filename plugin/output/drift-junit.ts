/**
 * `kubectl kd drift -o junit` for CI dashboards: a test suite per release and cluster, a test
 * case per object, at most one `<failure>` per case (the JUnit schema allows one; several are
 * dropped or merged by many readers): its message is the first failing finding and how many more,
 * its text every failing finding, one per line. Findings of other classes (foreign, new by
 * default) are listed in the case's `<system-out>` and do not fail it.
 */
import { describeRef, type DriftReport } from '../../src/index.js';
import { describeFinding } from './drift-values.js';

export function formatDriftJunit(report: DriftReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = (findings: ReadonlyArray<{ class: string }>) => findings.filter((f) => report.failOn.includes(f.class as never)).length;
  const total = report.targets.reduce((n, t) => n + t.objects.length, 0);
  const failed = report.targets.reduce((n, t) => n + t.objects.filter((o) => failures(o.findings) > 0).length, 0);
  out.push(`<testsuites name="kubectl kd drift" tests="${total}" failures="${failed}" errors="0" timestamp="${report.time}">`);
  for (const t of report.targets) {
    const suite = `${t.context}/${t.namespace}/${t.release}`;
    const suiteFailed = t.objects.filter((o) => failures(o.findings) > 0).length;
    out.push(`  <testsuite name="${xml(suite)}" tests="${t.objects.length}" failures="${suiteFailed}" errors="0" timestamp="${report.time}">`);
    for (const o of t.objects) {
      const attrs = `classname="${xml(`${t.context}.${t.namespace}.${t.release}`)}" name="${xml(describeRef(o.ref))}"${o.file ? ` file="${xml(o.file)}"` : ''}`;
      const failing = o.findings.filter((f) => report.failOn.includes(f.class));
      const other = o.findings.filter((f) => !report.failOn.includes(f.class));
      if (failing.length === 0 && other.length === 0) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      out.push(`    <testcase ${attrs}>`);
      if (failing.length > 0) {
        const first = failing[0]!;
        const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
        const text = failing.map((f) => `${f.class}: ${describeFinding(f)}`).join('\n');
        out.push(`      <failure type="${first.class}" message="${xml(`${first.class}: ${describeFinding(first)}${more}`)}">${xml(text)}</failure>`);
      }
      if (other.length > 0) out.push(`      <system-out>${xml(other.map((f) => `${f.class}: ${describeFinding(f)}`).join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
