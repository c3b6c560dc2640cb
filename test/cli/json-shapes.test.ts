/**
 * One JSON contract for every command (issue 20): each `-o json` document and `-o jsonl` line
 * carries `apiVersion: kd.io/v1` and its `kind`, matches its schema in schemas/, and names
 * Kubernetes objects with the one reference shape `object: {apiVersion, kind, namespace?, name}`.
 * (The CLI helpers check every json/jsonl output of every test against the schemas as well.)
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJsonDocuments, SCHEMA_BY_KIND } from '../support/output-schemas.js';
import { folder, startCliSim } from './support/cli-sim.js';
import { perFile } from '../support/per-file.js';

const s = perFile(startCliSim);

const APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: registry.example/shop/web:1.0.0 }]
`;

const REF = { apiVersion: expect.any(String), kind: expect.any(String), name: expect.any(String) };

/** Every `object` value anywhere in a document. */
function objectRefs(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => objectRefs(v, out));
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      if (k === 'object') out.push(v);
      else objectRefs(v, out);
    }
  return out;
}

function expectOneRefShape(doc: unknown): void {
  const refs = objectRefs(doc);
  for (const ref of refs) {
    expect(ref).toMatchObject(REF);
    expect(Object.keys(ref as object).every((k) => ['apiVersion', 'kind', 'namespace', 'name'].includes(k))).toBe(true);
  }
  expect(JSON.stringify(doc)).not.toMatch(/"ref":|"group":/);
}

describe('JSON documents', () => {
  it('has a schema for every kind, and each schema file is used', () => {
    const files = readdirSync(path.resolve(import.meta.dirname, '../../schemas')).filter((f) => f.endsWith('.schema.json'));
    for (const f of Object.values(SCHEMA_BY_KIND)) expect(files).toContain(f);
  });

  it('validate, apply (jsonl), drift, history and list share the envelope and the object reference', async () => {
    const ns = await s.namespace('json');
    const dir = folder({ 'app.yaml': APP, 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndatta: {}\n' });
    const v = await s.kd(['validate', dir, '-o', 'json']);
    const validation = JSON.parse(v.stdout);
    expect(validation).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'ValidationResult' });
    expect(validation.diagnostics[0].object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'flags' });
    expectOneRefShape(validation);

    const good = folder({ 'app.yaml': APP });
    const a = await s.kd(['apply', good, '--release', 'app', '-n', ns, '-o', 'jsonl', '--timeout', '1s']);
    const events = a.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(checkJsonDocuments(events)).toBeGreaterThan(3);
    expect(events.every((e) => e.apiVersion === 'kd.io/v1' && e.kind === 'ApplyEvent')).toBe(true);
    const applied = events.find((e) => e.type === 'object-applied');
    expect(applied.object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' });
    expect(events[0].plan.waves[0].entries[0].object).toMatchObject({ apiVersion: expect.any(String), namespace: ns });
    events.forEach(expectOneRefShape);

    const d = await s.kd(['drift', good, '--release', 'app', '-n', ns, '-o', 'json']);
    const drift = JSON.parse(d.stdout);
    expect(drift).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'DriftReport' });
    expect(drift.targets[0].objects.map((o: { object: { kind: string } }) => o.object.kind).sort()).toEqual(['ConfigMap', 'Deployment']);
    expectOneRefShape(drift);

    const h = JSON.parse((await s.kd(['history', 'app', '-n', ns, '-o', 'json'])).stdout);
    expect(h).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'ReleaseHistory', release: { name: 'app', namespace: ns } });
    const l = JSON.parse((await s.kd(['list', '-n', ns, '-o', 'json'])).stdout);
    expect(l).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'ReleaseList', items: [expect.objectContaining({ name: 'app', namespace: ns })] });
    expect(checkJsonDocuments([validation, drift, h, l])).toBe(4);
  });

  it('rejects a document that breaks its schema (the check can fail)', () => {
    expect(() => checkJsonDocuments([{ apiVersion: 'kd.io/v1', kind: 'ReleaseList', releases: [] }])).toThrow(/release-list.schema.json/);
    expect(() => checkJsonDocuments([{ kind: 'Mystery' }])).toThrow(/without a known kind/);
  });
});
