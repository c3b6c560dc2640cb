/**
 * planApply and detectChange beyond the golden texts: the data the executor reads, problems as
 * diagnostics, independence from input order, and Secret values kept out of the text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectChange, planApply, renderPlanText } from '../../src/plan/index.js';
import { objectKey, type KubeObject } from '../../src/model/index.js';
import { readObjects, toPlanInput } from './support.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/plan');
const read = (dir: string, file: string) => readObjects(readFileSync(path.join(fixtures, dir, file), 'utf8'));

const configMap = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', annotations },
  data: { A: '1' },
});

describe('planApply', () => {
  it('reports a duplicate object as a diagnostic and plans the first one only', () => {
    const plan = planApply({ desired: toPlanInput([configMap('a'), configMap('a', { 'kd.io/sync-wave': '3' })]) });
    expect(plan.diagnostics.map((d) => d.rule)).toEqual(['plan/duplicate-object']);
    expect(plan.waves).toHaveLength(1);
    expect(plan.waves[0]?.wave).toBe(0);
  });

  it('reads invalid annotation values as defaults instead of failing (the checker reports them)', () => {
    const plan = planApply({ desired: toPlanInput([configMap('a', { 'kd.io/sync-wave': 'soon', 'kd.io/hook': 'pre-sync' })]) });
    expect(plan.diagnostics).toEqual([]);
    expect(plan.waves.map((w) => [w.wave, w.entries.map((e) => e.ref.name)])).toEqual([[0, ['a']]]);
  });

  it('keeps apply-failed hooks aside and out of the summary', () => {
    const plan = planApply({ desired: toPlanInput([configMap('a'), configMap('on-failure', { 'kd.io/hook': 'apply-failed' })]) });
    expect(plan.applyFailed.map((e) => e.ref.name)).toEqual(['on-failure']);
    expect(plan.summary).toEqual({ create: 1, update: 0, unchanged: 0, prune: 0 });
  });

  it('gives hooks their phase, weight and delete policies, and moved dependencies their new place', () => {
    const plan = planApply({ desired: toPlanInput(read('a-namespace-needed-by-a-pre-apply-hook-moves-before-the-hooks', 'input.yaml')) });
    expect(plan.preApply.map((e) => [e.ref.kind, e.movedTo, e.hook?.phase, e.hook?.deletePolicies])).toEqual([
      ['Namespace', 'pre-apply', undefined, undefined],
      ['Job', undefined, 'pre-apply', ['before-hook-creation']],
    ]);
  });

  it('plans the same order whatever order the files list the objects in', () => {
    // Duplicates are left out: which of two copies wins is the one order-dependent rule.
    const all = [
      ...read('argo-cd-annotated-manifests-are-ordered-as-argo-cd-orders-them', 'input.yaml'),
      ...read('a-namespace-and-a-crd-needed-in-an-earlier-wave-move-to-that-wave', 'input.yaml'),
      ...read('helm-annotated-manifests-are-ordered-as-helm-orders-them', 'input.yaml'),
    ];
    const objects = [...new Map(toPlanInput(all).map((m) => [objectKey(m.ref), m.object])).values()];
    const expected = renderPlanText(planApply({ desired: toPlanInput(objects) }));
    fc.assert(
      fc.property(fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }), (shuffled) => {
        expect(renderPlanText(planApply({ desired: toPlanInput(shuffled) }))).toBe(expected);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('never prints Secret values, old or new, plain or base64', () => {
    const dir = 'secret-values-never-appear-in-the-plan';
    const lastApplied = new Map(toPlanInput(read(dir, 'last-applied.yaml')).map((m) => [objectKey(m.ref), m.object]));
    const text = renderPlanText(planApply({ desired: toPlanInput(read(dir, 'input.yaml')), recorded: lastApplied }));
    for (const secret of ['bmV3LXBhc3N3b3Jk', 'new-password', 'sk-live-0123456789', 'b2xkLXBhc3N3b3Jk', 'old-password', 'sk-live-9876543210', 'BEGIN PRIVATE KEY']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('update     Secret shop/db');
  });

  it('does not prune what is already gone from the cluster, nor what is still in the files', () => {
    const live = new Map<string, KubeObject>([[objectKey({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }), configMap('a')]]);
    const plan = planApply({
      desired: toPlanInput([configMap('a')]),
      live,
      prune: [
        { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' },
        { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'gone' },
      ],
    });
    expect(plan.prune).toEqual([]);
  });
});

describe('detectChange', () => {
  const base = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };

  it('creates what the cluster does not have', () => {
    expect(detectChange({ desired: base, recorded: base, live: undefined, liveKnown: true }).action).toBe('create');
  });

  it('updates an object kd has no record of, even when the cluster holds the same values', () => {
    expect(detectChange({ desired: base, recorded: undefined, live: base, liveKnown: true })).toEqual({ action: 'update', changedPaths: [] });
  });

  it('treats numbers and their string forms in the cluster as equal', () => {
    const live = { ...base, spec: { ports: [{ port: '80', protocol: 'TCP' }] } };
    expect(detectChange({ desired: base, recorded: base, live, liveKnown: true }).action).toBe('unchanged');
  });

  it('sees a list item added in the cluster as a change', () => {
    const live = { ...base, spec: { ports: [{ port: 80 }, { port: 443 }] } };
    expect(detectChange({ desired: base, recorded: base, live, liveKnown: true })).toEqual({ action: 'update', changedPaths: ['spec.ports'] });
  });

  it('asks for a field set to null to be absent in the cluster', () => {
    const desired = { ...base, spec: { ports: [{ port: 80 }], externalName: null } };
    const live = { ...base, spec: { ports: [{ port: 80 }], externalName: 'db.example.test' } };
    expect(detectChange({ desired, recorded: desired, live, liveKnown: true }).changedPaths).toEqual(['spec.externalName']);
  });

  it('ignores status and server-set metadata in the record', () => {
    const lastApplied = { ...base, metadata: { ...base.metadata, resourceVersion: '9', uid: 'x' }, status: { loadBalancer: {} } };
    expect(detectChange({ desired: base, recorded: lastApplied, live: base, liveKnown: true }).action).toBe('unchanged');
  });
});
