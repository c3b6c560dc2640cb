/**
 * `kubectl kd apply`, `rollback` and `delete` as the built binary, for what only the process
 * shows: how `--dry-run` is parsed (a bare flag means client, as in kubectl, and never swallows a
 * path), a closed stdout pipe (`| head -5`) handled like an interrupt, and Ctrl-C of a delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kdBin, repoRoot, runKd } from '../cli/run-kd.js';
import { SecretReleaseStore } from '../../src/apply/release/index.js';
import { startReleaseSim, type ReleaseSim } from '../release/support.js';

describe('--dry-run parsing', () => {
  beforeAll(() => {
    if (!existsSync(kdBin)) throw new Error('run `npm run build` first (bin/kubectl-kd.cjs is missing)');
  });

  for (const args of [
    ['apply', '--sim', '--dry-run', 'examples/shop'],
    ['apply', '--sim', 'examples/shop', '--dry-run'],
    ['apply', '--sim', '--dry-run', 'client', 'examples/shop'],
  ]) {
    it(`${args.slice(2).join(' ')}: a client dry run of examples/shop`, () => {
      const r = runKd(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('plan     release default/shop (dry run: client)\n');
      expect(r.stdout).toContain('  plan: 9 to create, 0 to update, 0 unchanged, 0 to prune\n');
      // Nothing ran: no object applied, no hook started, no revision.
      expect(r.stdout).not.toMatch(/ (apply|hook) {4}/);
      expect(r.stdout).toMatch(/done {5}succeeded in .* \(0 applied, 0 unchanged\)\n$/);
    });
  }

  it('--dry-run server is a server dry run; an empty or unknown value is a usage error, exit 2', () => {
    const server = runKd(['apply', '--sim', '--dry-run', 'server', 'test/fixtures/apply/cli/deployment-never-ready.yaml']);
    expect(server.stderr).toBe('');
    expect(server.status).toBe(0);
    expect(server.stdout).toContain('(dry run: server)');
    expect(server.stdout).toContain('created (server dry run)');
    for (const value of ['', 'true']) {
      const r = runKd(['apply', '--sim', `--dry-run=${value}`, 'examples/shop']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`error: --dry-run must be none, client or server, not "${value}"`);
      expect(r.stdout).toBe('');
    }
  });
});

describe('closed pipes and interrupts, against a kd sim that outlives the process', () => {
  let rs: ReleaseSim;
  let home: string;
  beforeAll(async () => {
    rs = await startReleaseSim({ controllers: true });
    home = mkdtempSync(path.join(tmpdir(), 'kd-home-'));
  });
  afterAll(async () => {
    await rs?.stop();
  });
  const store = () => new SecretReleaseStore({ client: rs.session.client, now: () => Date.now(), kdVersion: 'test' });
  const holder = async (ns: string, name: string) => {
    const lease = await rs.session.client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: ns, name: `kd-lock-${name}` });
    return (lease?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity;
  };
  const start = (args: string[]) =>
    spawn(process.execPath, [kdBin, ...args, '--kubeconfig', rs.kubeconfigPath], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', HOME: home, KUBECONFIG: '', KD_SCHEMA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('apply -o jsonl | head -5: the run stops as interrupted, the revision is marked failed and the lock released', async () => {
    const ns = await rs.namespace('epipe');
    const child = start(['apply', 'examples/shop', '-n', ns, '-o', 'jsonl']);
    let seen = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.split('\n').length > 5) {
          // What `head -5` does after its fifth line: close its end of the pipe.
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(130);
    expect((await store().revisions({ name: 'shop', namespace: ns })).map((r) => `${r.revision} ${r.state} ${r.message}`)).toEqual(['1 failed interrupted']);
    expect(await holder(ns, 'shop')).toBeUndefined();
  }, 60_000);

  it('Ctrl-C during a delete hook: exit 130, the hook cleaned up per its policy, the lock released, nothing deleted', async () => {
    const ns = await rs.namespace('delint');
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-delint-'));
    const file = path.join(dir, 'app.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: farewell
  annotations: { kd.io/hook: pre-delete, kd.io/hook-delete-policy: "before-hook-creation,hook-failed" }
spec:
  backoffLimit: 0
  template:
    metadata: { annotations: { sim.kd.io/ready-after: 1h } }
    spec: { restartPolicy: Never, containers: [{ name: bye, image: example/bye:1 }] }
`,
    );
    const applied = runKdAsyncCode(['apply', file, '-n', ns, '--release', 'app']);
    expect(await applied).toBe(0);
    const child = start(['delete', 'app', '-n', ns]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes(`hook pre-delete Job ${ns}/farewell started`)) resolve();
      });
    });
    // Let the Job be created before the interrupt.
    for (let i = 0; i < 100 && !(await rs.session.client.get({ group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'farewell' })); i++) await new Promise((r) => setTimeout(r, 20));
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(code).toBe(130);
    expect(stdout).toContain(`hook pre-delete Job ${ns}/farewell failed: `);
    expect(stdout).toContain('(deleted)');
    expect(stderr).toBe(`interrupted: no new work was started; the release may be partly deleted\nhint: run kubectl kd delete app again to finish\n`);
    expect(await holder(ns, 'app')).toBeUndefined();
    expect(await rs.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeDefined();
    const job = await rs.session.client.get({ group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'farewell' });
    expect(job === undefined || (job['metadata'] as { deletionTimestamp?: string }).deletionTimestamp !== undefined).toBe(true);
  }, 60_000);

  it('Ctrl-C during a rollback: exit 130, its revision marked failed, the lock released', async () => {
    const ns = await rs.namespace('rbint');
    const dir = mkdtempSync(path.join(tmpdir(), 'kd-rbint-'));
    const file = path.join(dir, 'app.yaml');
    const deployment = (readyAfter: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web }, annotations: { sim.kd.io/ready-after: ${readyAfter} } }
    spec: { containers: [{ name: web, image: example/web:1 }] }
`;
    writeFileSync(file, deployment('1h'));
    expect(await runKdAsyncCode(['apply', file, '-n', ns, '--release', 'app', '--timeout', '1s'])).toBe(1);
    writeFileSync(file, deployment('10ms'));
    expect(await runKdAsyncCode(['apply', file, '-n', ns, '--release', 'app'])).toBe(0);
    const child = start(['rollback', 'app', '1', '-n', ns]);
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes(`health   Deployment ${ns}/web InProgress`)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stdout).toContain(`plan     release ${ns}/app (rollback)`);
    expect((await store().revisions({ name: 'app', namespace: ns })).map((r) => `${r.revision} ${r.state} ${r.message}`)).toEqual([
      expect.stringMatching(/^1 failed /),
      expect.stringMatching(/^2 deployed /),
      '3 failed interrupted',
    ]);
    expect(await holder(ns, 'app')).toBeUndefined();
  }, 60_000);

  function runKdAsyncCode(args: string[]): Promise<number | null> {
    const child = start(args);
    child.stdout.resume();
    child.stderr.resume();
    return new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  }
});
