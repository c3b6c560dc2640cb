/**
 * A pre-delete hook applied with `kubectl kd apply` is kept in the release record (it is not
 * applied), so `kubectl kd delete` runs it before deleting the objects.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKdAsync } from '../cli/run-kd.js';
import { folder } from '../cli/support/cli-sim.js';
import { startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(() => startReleaseSim({ controllers: true }));

describe('delete-phase hooks', () => {
  it('runs a pre-delete hook that was applied with the release', async () => {
    const ns = await rs.namespace('dh');
    // A folder named app: the release takes its name from it.
    const app = path.join(
      folder({
        'app/all.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: farewell\n  annotations:\n    kd.io/hook: pre-delete\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: bye\n          image: busybox\n`,
      }),
      'app',
    );
    const applied = await runKdAsync(['apply', app, '-n', ns, '--kubeconfig', rs.kubeconfigPath]);
    expect(applied.stdout).toContain('Job ' + ns + '/farewell runs on kubectl kd delete (pre-delete), not on apply');
    expect(applied.status).toBe(0);
    expect(await rs.session.client.get({ group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'farewell' })).toBeUndefined();

    const deleted = await runKdAsync(['delete', 'app', '-n', ns, '--kubeconfig', rs.kubeconfigPath]);
    expect(deleted.stderr).toBe('');
    const lines = deleted.stdout.split('\n');
    const started = lines.indexOf(`hook pre-delete Job ${ns}/farewell started`);
    const gone = lines.indexOf(`deleted ConfigMap ${ns}/settings`);
    expect(deleted.stdout).toContain(`hook pre-delete Job ${ns}/farewell started`);
    expect(started).toBeGreaterThanOrEqual(0);
    expect(lines).toContain(`hook pre-delete Job ${ns}/farewell completed`);
    expect(gone).toBeGreaterThan(started);
    expect(deleted.status).toBe(0);
  });
});
