/**
 * From compared objects to the report: stable order (namespace, group, kind, name), counts of
 * objects per class, and whether the `--fail-on` classes were found (the exit code: 1 when so).
 * An object counts under its overall class; `failOn` looks at every finding, so an object that
 * is drifted and also has a pending field fails `--fail-on pending`.
 */
import { objectKey } from '../model/index.js';
import { DRIFT_CLASSES, emptyCounts, type DriftClass, type DriftCounts, type DriftReport, type DriftTargetReport, type ObjectDrift } from './types.js';

export function parseFailOn(values: readonly string[]): { failOn: DriftClass[] } | { problem: string } {
  const out = new Set<DriftClass>();
  for (const v of values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    if (v === 'none') continue;
    if (!(DRIFT_CLASSES as readonly string[]).includes(v) || v === 'in-sync') return { problem: `--fail-on "${v}" is not a class: use ${DRIFT_CLASSES.filter((c) => c !== 'in-sync').join(', ')} or none` };
    out.add(v as DriftClass);
  }
  return { failOn: DRIFT_CLASSES.filter((c) => out.has(c)) };
}

export function sortObjects(objects: readonly ObjectDrift[]): ObjectDrift[] {
  // Each object's key is built once, not twice per comparison.
  const keyed = objects.map((o) => ({ o, key: `${o.ref.namespace ?? ''}\u0000${objectKey(o.ref)}` }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.o);
}

export function countObjects(objects: readonly ObjectDrift[]): DriftCounts {
  const counts = emptyCounts();
  for (const o of objects) counts[o.class]++;
  return counts;
}

export function objectFails(object: ObjectDrift, failOn: readonly DriftClass[]): boolean {
  return failOn.includes(object.class) || object.findings.some((f) => failOn.includes(f.class));
}

export function buildReport(input: { time: string; failOn: readonly DriftClass[]; targets: DriftTargetReport[]; notes?: readonly string[] }): DriftReport {
  const counts = emptyCounts();
  for (const t of input.targets) for (const c of DRIFT_CLASSES) counts[c] += t.counts[c];
  const report: DriftReport = {
    time: input.time,
    failOn: [...input.failOn],
    driftFound: input.targets.some((t) => t.objects.some((o) => objectFails(o, input.failOn))),
    counts,
    targets: input.targets,
  };
  if (input.notes && input.notes.length > 0) report.notes = [...input.notes];
  return report;
}
