/**
 * Golden plans: each folder under test/fixtures/plan/ is one case, named by the sentence it
 * proves. `input.yaml` holds the manifests; optional `last-applied.yaml` (kd's record),
 * `live.yaml` (the cluster; when absent the cluster was not asked) and `prune.yaml` (inventory
 * objects no longer in the files); `plan.txt` is the exact text renderPlanText must print.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planApply, renderPlanText, type PlanOperation } from '../../src/plan/index.js';
import { objectKey, type KubeObject } from '../../src/model/index.js';
import { readObjects, toPlanInput } from './support.js';
import { golden } from '../support/golden.js';

const root = path.resolve(import.meta.dirname, '../fixtures/plan');
const cases = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'input.yaml'))).sort();

function byKey(file: string): Map<string, KubeObject> | undefined {
  if (!existsSync(file)) return undefined;
  return new Map(toPlanInput(readObjects(readFileSync(file, 'utf8'))).map((m) => [objectKey(m.ref), m.object]));
}

describe('plan fixtures', () => {
  it('covers the ordering rules', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.replace(/-/g, ' '), c]))('%s', (_sentence, dir) => {
    const folder = path.join(root, dir);
    const desired = toPlanInput(readObjects(readFileSync(path.join(folder, 'input.yaml'), 'utf8')));
    const pruneFile = path.join(folder, 'prune.yaml');
    const prune = existsSync(pruneFile) ? toPlanInput(readObjects(readFileSync(pruneFile, 'utf8'))).map((m) => m.ref) : undefined;
    const live = byKey(path.join(folder, 'live.yaml'));
    const lastApplied = byKey(path.join(folder, 'last-applied.yaml'));
    // `operation` (install, upgrade, rollback): the run the hooks are chosen for; default from last-applied.
    const operationFile = path.join(folder, 'operation');
    const operation = existsSync(operationFile) ? (readFileSync(operationFile, 'utf8').trim() as PlanOperation) : undefined;
    const plan = planApply({ desired, ...(live ? { live } : {}), ...(lastApplied ? { recorded: lastApplied } : {}), ...(prune ? { prune } : {}), ...(operation ? { operation } : {}) });
    const text = renderPlanText(plan);
    expect(text).toBe(golden(path.join(folder, 'plan.txt'), text));
  });
});
