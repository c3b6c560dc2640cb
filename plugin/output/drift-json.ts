/**
 * `kubectl kd drift -o json`: the document described by schemas/drift-result.schema.json. Paths
 * are JSON pointers (and the API server's dotted form); Secret values arrive masked.
 */
import { documentHead, objectReference } from './json-document.js';
import { toFieldPath, toJsonPointer, type DriftFinding, type DriftReport, type ObjectDrift } from '../../src/index.js';

export function formatDriftJson(report: DriftReport): string {
  const doc = {
    ...documentHead('DriftReport'),
    time: report.time,
    failOn: report.failOn,
    driftFound: report.driftFound,
    counts: report.counts,
    targets: report.targets.map((t) => ({
      context: t.context,
      server: t.server,
      ...(t.serverVersion ? { serverVersion: t.serverVersion } : {}),
      release: t.release,
      namespace: t.namespace,
      ...(t.revision === undefined ? {} : { revision: t.revision }),
      ...(t.note === undefined ? {} : { note: t.note }),
      counts: t.counts,
      objects: t.objects.map(objectJson),
    })),
    ...(report.notes ? { notes: report.notes } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function objectJson(o: ObjectDrift): Record<string, unknown> {
  return {
    object: objectReference(o.ref),
    class: o.class,
    appliedFrom: o.appliedFrom,
    ...(o.file === undefined ? {} : { file: o.file }),
    ...(o.line === undefined ? {} : { line: o.line }),
    ...(o.note === undefined ? {} : { note: o.note }),
    findings: o.findings.map(findingJson),
    ...(o.diff === undefined ? {} : { diff: o.diff }),
  };
}

function findingJson(f: DriftFinding): Record<string, unknown> {
  return {
    class: f.class,
    ...(f.path === undefined ? {} : { path: toJsonPointer(f.path), fieldPath: toFieldPath(f.path) }),
    ...('desired' in f ? { desired: f.desired } : {}),
    ...('applied' in f ? { applied: f.applied } : {}),
    ...('live' in f ? { live: f.live } : {}),
    ...(f.masked ? { masked: true } : {}),
    ...(f.owner ? { owner: f.owner } : {}),
    ...(f.line === undefined ? {} : { line: f.line, column: f.column ?? 1 }),
  };
}
