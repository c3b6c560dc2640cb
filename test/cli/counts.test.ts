/**
 * Counts and wording that add up (issue 20), through the CLI against kd sim: --no-hooks plans
 * no hook, a revision kept by `delete --keep-history` does not read as an apply that deleted.
 */
import { describe, expect, it } from 'vitest';
import { folder, startCliSim } from './support/cli-sim.js';
import { perFile } from '../support/per-file.js';

const s = perFile(startCliSim);

const HOOK = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    kd.io/hook: pre-apply
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example/shop/migrate:1.4.2
---
`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n';

describe('counts', () => {
  it('--no-hooks neither lists nor counts the hooks in the plan', async () => {
    const ns = await s.namespace('nohooks');
    const dir = folder({ 'app.yaml': HOOK + CM });
    const r = await s.kd(['apply', dir, '--release', 'app', '-n', ns, '--no-hooks']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('plan: 1 to create, 0 to update, 0 unchanged, 0 to prune');
    expect(r.stdout).not.toContain('migrate');
    expect(r.stdout).not.toMatch(/\bhooks?\b/);
    expect(r.code).toBe(0);
  });

  it('history shows a revision kept by delete --keep-history as a deletion, not as an apply that deleted', async () => {
    const ns = await s.namespace('kept');
    const dir = folder({ 'app.yaml': CM });
    expect((await s.kd(['apply', dir, '--release', 'app', '-n', ns])).code).toBe(0);
    const d = await s.kd(['delete', 'app', '-n', ns, '--keep-history']);
    expect(d.stdout).toContain('release app deleted: 1 object deleted, history kept');
    const h = await s.kd(['history', 'app', '-n', ns]);
    expect(h.stdout).toMatch(/1\s+\S+\s+deleted\s+1\s+apply; release deleted \(deleted 1 object, history kept\)\n/);
    expect(h.stdout).not.toContain('apply: deleted');
  });

  it('a server dry run says nothing was written and what would have been', async () => {
    const ns = await s.namespace('dryrun');
    const dir = folder({ 'app.yaml': CM + '---\n' + CM.replace('settings', 'flags') });
    const r = await s.kd(['apply', dir, '--release', 'app', '-n', ns, '--dry-run=server']);
    expect(r.stdout).toMatch(/done {5}succeeded in \S+ \(dry run: server, nothing written; 2 would be applied, 0 unchanged\)\n/);
    expect(r.stdout).not.toMatch(/\d+ applied/);
  });

  it('a server dry run of a first install into a new namespace says which objects the server could not check, and that the hook was not run', async () => {
    const ns = `fresh-${Date.now().toString(36)}`;
    const dir = folder({ 'app.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\n` + HOOK + CM });
    const r = await s.kd(['apply', dir, '--release', 'app', '-n', ns, '--dry-run=server']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`pre-apply hook Job ${ns}/migrate not run (dry run; not checked by the server: namespace ${ns} does not exist yet (this apply creates it))`);
    expect(r.stdout).toContain(`ConfigMap ${ns}/settings created (server dry run; not checked by the server: namespace ${ns} does not exist yet (this apply creates it))`);
    expect(r.stdout).toMatch(/done {5}succeeded in \S+ \(dry run: server, nothing written; 2 would be applied, 0 unchanged, 1 not checked by the server\)\n/);
    expect(r.code).toBe(0);
    expect(await s.session.client.get({ group: '', version: 'v1', kind: 'Namespace', name: ns })).toBeUndefined();
  });

  it('--atomic counts the failed run and the rollback apart, so a 2-object release does not read "4 applied"', async () => {
    const ns = await s.namespace('atomic');
    const dir = folder({ 'app.yaml': CM + '---\n' + CM.replace('settings', 'flags') });
    expect((await s.kd(['apply', dir, '--release', 'app', '-n', ns])).code).toBe(0);
    // A Deployment never becomes ready here (this sim runs no controllers): the apply fails on its timeout.
    const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: registry.example/shop/web:2.0.0 }]\n';
    const next = folder({ 'app.yaml': CM.replace('fast', 'slow') + '---\n' + CM.replace('settings', 'flags') + '---\n' + web });
    const r = await s.kd(['apply', next, '--release', 'app', '-n', ns, '--atomic', '--timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rollback the apply failed: re-applying the last deployed revision (--atomic)');
    expect(r.stdout).toMatch(/done {5}failed after \S+ \(revision \d+, 2 applied, 1 unchanged; rolled back: 1 applied, 1 unchanged, 1 pruned\): Deployment \S+\/web failed \(above\); rolled back to revision 1 as revision 3\n/);
  });
});
