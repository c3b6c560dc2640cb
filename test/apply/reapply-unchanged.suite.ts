/**
 * What `kubectl kd apply --watch examples/shop --sim` does on every save: apply the same files
 * again. The second run must plan every object `unchanged` and write none of them (the pre-apply
 * hook Job is the only `object-applied` write, as on every run), with either schema source under the sim: the built-in bundle the CLI's
 * `--sim` uses, and the 1.35 documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releasePorts, type ApplyEvent, type ReleasePorts } from '../../src/apply/index.js';
import { readDesired } from '../../src/io/read-desired.js';
import type { SchemaSource } from '../../src/schema/types.js';
import type { Manifest } from '../../src/model/index.js';
import { doneOf, eventLines, startApplySim, type ApplySim } from './support/apply-sim.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

function planLines(events: readonly ApplyEvent[]): string[] {
  const plan = events.find((e) => e.type === 'plan');
  if (!plan || plan.type !== 'plan') throw new Error('no plan event');
  return [...plan.plan.preApply, ...plan.plan.waves.flatMap((w) => w.entries)]
    .filter((e) => !e.hook)
    .map((e) => `${e.action} ${e.ref.kind} ${e.ref.name}${e.changedPaths ? ` ${e.changedPaths.join(',')}` : ''}`);
}

/** The suite with the sim (and kd) on the schemas `makeSource` gives; `label` names them. */
export function reapplyUnchangedSuite(label: string, makeSource: () => SchemaSource): void {
  describe(`re-applying examples/shop unchanged, sim schemas from ${label}`, () => {
    let s: ApplySim;
    let ports: ReleasePorts;
    let objects: Manifest[];
    const release = { name: 'shop', namespace: 'default' };

    beforeAll(async () => {
      const source = makeSource();
      s = await startApplySim({ podReadyDelayMs: 200, schemaSource: source });
      ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
      const desired = await readDesired({ paths: ['examples/shop'], defaultNamespace: 'default', env: {}, cwd: repoRoot, schemaSources: [source] });
      expect(desired.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      objects = desired.manifests;
    });
    afterAll(async () => {
      await s?.stop();
    });

    it('plans every object unchanged on the second run and writes none of them', async () => {
      const first = await s.apply({ objects, release }, { ports });
      expect(doneOf(first)).toMatchObject({ status: 'succeeded', revision: 1 });

      const second = await s.apply({ objects, release }, { ports });
      expect(planLines(second)).toEqual([
        'unchanged Namespace shop',
        'unchanged Secret shop-db-credentials',
        'unchanged ConfigMap shop-config',
        'unchanged CustomResourceDefinition promotions.shop.example.com',
        'unchanged Service web',
        'unchanged Deployment web',
        'unchanged Deployment worker',
        'unchanged Promotion black-friday',
      ]);
      // The only write is the pre-apply hook Job, which is created fresh on every run by design.
      const writes = second.flatMap((e) => (e.type === 'object-applied' && e.action !== 'unchanged' ? [`${e.stage} ${e.action} ${e.ref.kind}`] : []));
      expect(writes).toEqual(['pre-apply create Job']);
      expect(eventLines(second, ['object-applied']).filter((l) => l.startsWith('applied unchanged '))).toHaveLength(8);
      expect(doneOf(second)).toMatchObject({ status: 'succeeded', revision: 2, counts: { applied: 0, unchanged: 8 } });
    });

    it('stays unchanged on a third run, after a revision that applied nothing', async () => {
      const third = await s.apply({ objects, release }, { ports });
      expect(doneOf(third)).toMatchObject({ status: 'succeeded', revision: 3, counts: { applied: 0, unchanged: 8 } });
      expect(planLines(third).filter((l) => !l.startsWith('unchanged '))).toEqual([]);
    });

    it('an edit to the web Deployment and Service updates only them, with their ports still single', async () => {
      const edited = objects.map((m) => {
        if (m.ref.kind === 'Deployment' && m.ref.name === 'web') return { ...m, object: { ...m.object, spec: { ...(m.object.spec as object), replicas: 3 } } };
        if (m.ref.kind === 'Service') return { ...m, object: { ...m.object, metadata: { ...(m.object.metadata as object), labels: { edited: 'yes' } } } };
        return m;
      });
      const run = await s.apply({ objects: edited, release }, { ports });
      expect(doneOf(run)).toMatchObject({ status: 'succeeded', counts: { applied: 2, unchanged: 6 } });
      expect(planLines(run).filter((l) => !l.startsWith('unchanged '))).toEqual(['update Service web metadata.labels.edited', 'update Deployment web spec.replicas']);
      const web = await s.session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
      const spec = web?.['spec'] as { replicas: number; template: { spec: { containers: Array<{ ports: unknown[] }> } } };
      expect(spec.replicas).toBe(3);
      expect(spec.template.spec.containers[0]?.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      const svc = await s.session.client.get({ group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'web' });
      expect((svc?.['spec'] as { ports: unknown[] }).ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
      // And the run after the edit is quiet again.
      const after = await s.apply({ objects: edited, release }, { ports });
      expect(doneOf(after)).toMatchObject({ status: 'succeeded', counts: { applied: 0, unchanged: 8 } });
    });
  });
}
