/**
 * `history --diff`, `list --pending` and `recover` end to end against kd sim: `runCli` in-process
 * for the diff; for recovery, the real binary (a separate process) is SIGKILLed in the middle of
 * an apply, leaving its pending revision and its Lease, as a killed CI job does.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { collectApply, microTime, releasePorts, SecretReleaseStore, type ApplyEvent } from '../../src/index.js';
import { systemClock } from '../../src/cluster/clock.js';
import { applyNamespaceDefaults, loadManifests } from '../../src/manifest/index.js';
import { kdBin, repoRoot } from '../cli/run-kd.js';
import { tempHomeEnv } from '../support/temp-home.js';
import { checkJsonDocuments } from '../support/output-schemas.js';
import { folder, kdInProcess, type KdResult } from '../cli/support/cli-sim.js';
import { startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);

async function kd(args: string[]): Promise<KdResult> {
  return kdInProcess([...args, '--kubeconfig', rs.kubeconfigPath]);
}

async function apply(namespace: string, release: string, yaml: string): Promise<ApplyEvent[]> {
  const loaded = loadManifests([{ path: `${release}.yaml`, text: yaml }]);
  const manifests = applyNamespaceDefaults(loaded.manifests, { defaultNamespace: namespace, isNamespaced: (gvk) => gvk.kind !== 'Namespace' });
  return collectApply(
    { objects: manifests, release: { name: release, namespace }, paths: [`${release}.yaml`], prune: true, timeoutMs: 30_000 },
    { client: rs.session.client, clock: systemClock, signal: new AbortController().signal, ports: releasePorts(rs.session.client, systemClock, '0.1.0') },
  );
}

const app = (mode: string, password: string, extra = '') => `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: ${mode}, region: eu }
---
apiVersion: v1
kind: Secret
metadata: { name: db }
stringData: { password: ${password} }
${extra}`;

describe('history --diff', () => {
  it('shows the changed field object by object, Secret values masked; -o json lists the changed objects and paths', async () => {
    const ns = await rs.namespace('rdiff');
    for (const [mode, password, extra] of [
      ['fast', 'hunter2', ''],
      ['slow', 's3cret-two', ''],
      ['slow', 's3cret-two', '---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\ndata: { k: v }\n'],
    ] as const) {
      const events = await apply(ns, 'shop', app(mode, password, extra));
      expect(events.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
    }

    const text = await kd(['history', 'shop', '-n', ns, '--diff', '1..2']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`--- revision 1 ConfigMap ${ns}/settings\n+++ revision 2 ConfigMap ${ns}/settings\n`);
    expect(text.stdout).toMatch(/^-  mode: fast$/m);
    expect(text.stdout).toMatch(/^\+  mode: slow$/m);
    expect(text.stdout).toMatch(/^-  password: "\*\*\* #[0-9a-f]{8}"$/m);
    expect(text.stdout).toMatch(/^\+  password: "\*\*\* #[0-9a-f]{8}"$/m);
    expect(text.stdout).not.toContain('hunter2');
    expect(text.stdout).not.toContain('s3cret-two');
    expect(text.stdout).not.toMatch(/^[-+]  region/m);
    expect(text.stdout).not.toContain('extra');

    // A alone: against the latest (3), which adds an object.
    const latest = await kd(['history', 'shop', '-n', ns, '--diff', '2']);
    expect(latest.code).toBe(0);
    expect(latest.stdout.startsWith(`--- /dev/null\n+++ revision 3 ConfigMap ${ns}/extra\n@@ `)).toBe(true);
    expect(latest.stdout).not.toContain('settings');
    expect(latest.stdout).toContain('+  k: v\n');

    const json = await kd(['history', 'shop', '-n', ns, '--diff', '1..3', '-o', 'json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      apiVersion: 'kd.io/v1',
      kind: 'RevisionDiff',
      release: { name: 'shop', namespace: ns },
      from: { revision: 1, status: 'superseded' },
      to: { revision: 3, status: 'deployed' },
      objects: [
        { object: { apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'db' }, change: 'changed', paths: ['stringData.password'] },
        { object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'extra' }, change: 'added', paths: [] },
        { object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }, change: 'changed', paths: ['data.mode'] },
      ],
    });
    expect(json.stdout).not.toContain('hunter2');
    expect(checkJsonDocuments([doc])).toBe(1);

    const same = await kd(['history', 'shop', '-n', ns, '--diff', '3..3']);
    expect(same).toEqual({ code: 0, stdout: 'revisions 3 and 3 of release shop hold the same objects\n', stderr: '' });
  });

  it('a missing revision or a malformed range is exit 2 with a clear message', async () => {
    const ns = await rs.namespace('rdiff-bad');
    await apply(ns, 'shop', app('fast', 'x'));
    const missing = await kd(['history', 'shop', '-n', ns, '--diff', '1..7']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`release shop in namespace ${ns} has no revision 7`);
    expect(missing.stderr).toContain('its revisions are 1');
    const bad = await kd(['history', 'shop', '-n', ns, '--diff', 'one..two']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--diff takes REVISION or FROM..TO (such as 1..2), not "one..two"');
  });
});

describe('list --pending and recover', () => {
  it('recover fixes a release whose run was SIGKILLed in the middle of an apply', async () => {
    const ns = await rs.namespace('rkill');
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: fast }\n';
    // The sim runs no controllers here: the pre-apply Job never completes, so the run is stuck in it when killed.
    const hook = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations: { kd.io/hook: pre-apply }\nspec:\n  template:\n    spec: { restartPolicy: Never, containers: [{ name: m, image: example/migrate:1 }] }\n';
    const files = path.join(folder({ 'app/app.yaml': `${configMap}---\n${hook}` }), 'app');
    const child = spawn(process.execPath, [kdBin, 'apply', files, '-n', ns, '--kubeconfig', rs.kubeconfigPath, '--timeout', '10m'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...tempHomeEnv(), KUBECONFIG: '', KD_SCHEMA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    const job = { group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'migrate' };
    const until = Date.now() + 30_000;
    while ((await rs.session.client.get(job)) === undefined) {
      if (Date.now() > until) throw new Error('the apply never reached its hook');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = new SecretReleaseStore({ client: rs.session.client, now: () => Date.now(), kdVersion: 'test' });
    const release = { name: 'app', namespace: ns };
    expect((await store.revisions(release)).map((r) => `${r.revision} ${r.state}`)).toEqual(['1 pending']);

    // The dead run's lock is still live (renewed moments ago): list says so, recover refuses naming the holder.
    const pending = await kd(['list', '-n', ns, '--pending']);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toMatch(new RegExp(`^NAME +NAMESPACE +REVISION +UPDATED +LOCK\\napp +${ns} +1 +\\S+ +live \\(\\S+/${child.pid}/[0-9a-f]{6} since \\S+\\)\\n$`));
    const refused = await kd(['recover', 'app', '-n', ns]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^error: not recovering release app: its lock is live, held by \\S+/${child.pid}/[0-9a-f]{6} since `));
    expect((await store.revisions(release))[0]?.state).toBe('pending');

    // Time passes without renewals (nobody renews a dead run's Lease): moved back past its 30 s.
    const lease = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: ns, name: 'kd-lock-app' };
    const past = microTime(Date.now() - 120_000);
    await rs.session.client.patch(lease, { spec: { renewTime: past, acquireTime: past } }, { type: 'merge' });
    const expired = await kd(['list', '-n', ns, '--pending', '-o', 'json']);
    const expiredDoc = JSON.parse(expired.stdout) as unknown;
    expect(expiredDoc).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'PendingReleaseList', items: [{ name: 'app', namespace: ns, revision: 1, lock: { state: 'expired', holder: expect.stringContaining(`/${child.pid}/`) } }] });
    expect(checkJsonDocuments([expiredDoc])).toBe(1);

    const recovered = await kd(['recover', 'app', '-n', ns]);
    expect(recovered).toEqual({ code: 0, stdout: 'release app: revision 1 marked failed; the next apply or a rollback starts clean\n', stderr: '' });
    const [r1] = await store.revisions(release);
    expect(r1).toMatchObject({ revision: 1, state: 'failed', message: 'the run that wrote this revision stopped before finishing; marked failed by kubectl kd recover' });
    // The lock was released with the recovery, and nothing is pending any more.
    expect(await rs.session.client.get(lease)).toBeUndefined();
    expect(await kd(['list', '-n', ns, '--pending'])).toEqual({ code: 0, stdout: '', stderr: `No pending releases found in namespace ${ns}.\n` });
    expect(await kd(['recover', 'app', '-n', ns])).toEqual({ code: 0, stdout: 'release app has no pending revision (the latest, 1, is failed): nothing to recover\n', stderr: '' });

    // The next apply starts clean: revision 2, and no repair warning.
    const next = await apply(ns, 'app', configMap);
    expect(next.at(-1)).toMatchObject({ type: 'done', status: 'succeeded', revision: 2 });
    expect(next.filter((e) => e.type === 'warning')).toEqual([]);
  });

  it('the next apply still repairs a pending revision left behind, and now says so in a warning event', async () => {
    const ns = await rs.namespace('rrepair');
    const ports = releasePorts(rs.session.client, systemClock, '0.1.0');
    const release = { name: 'app', namespace: ns };
    // What a killed run leaves once its lock has expired (or been released): a pending revision.
    await ports.releases.begin(release, { objects: [], paths: [], description: 'apply' });
    const events = await apply(ns, 'app', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: fast }\n');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'succeeded', revision: 2 });
    expect(events.filter((e) => e.type === 'warning').map((e) => e.type === 'warning' && [e.reason, e.message])).toEqual([
      ['stale-revision-repaired', 'revision 1 of release app was left pending by a run that stopped; marked failed by revision 2'],
    ]);
  });
});
