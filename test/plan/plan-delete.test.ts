/**
 * Golden delete plans: folders under test/fixtures/plan/ holding `release.yaml` (the release's
 * objects as kd applied them) and the exact `delete-plan.txt`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planDelete, renderDeletePlanText } from '../../src/plan/index.js';
import { objectKey, type KubeObject } from '../../src/model/index.js';
import { readObjects, toPlanInput } from './support.js';

const root = path.resolve(import.meta.dirname, '../fixtures/plan');
const cases = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'release.yaml'))).sort();

describe('delete plan fixtures', () => {
  it.each(cases.map((c) => [c.replace(/-/g, ' '), c]))('%s', (_sentence, dir) => {
    const objects = toPlanInput(readObjects(readFileSync(path.join(root, dir, 'release.yaml'), 'utf8')));
    expect(renderDeletePlanText(planDelete({ objects }))).toBe(readFileSync(path.join(root, dir, 'delete-plan.txt'), 'utf8'));
  });

  it('leaves out what the cluster no longer has', () => {
    const objects = toPlanInput(readObjects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: shop}\n'));
    const live = new Map<string, KubeObject>([[objectKey(objects[1]!.ref), objects[1]!.object]]);
    expect(planDelete({ objects, live }).delete.map((e) => e.ref.name)).toEqual(['b']);
  });
});
