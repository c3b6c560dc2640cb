/** `kubectl kd apply` run as a user runs it: the built binary, against an in-process kd sim (`--sim`). */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { kdBin, repoRoot, runKd } from '../cli/run-kd.js';
import { tempHomeEnv } from '../support/temp-home.js';
import { existsSync } from 'node:fs';

describe('kubectl kd apply (CLI)', () => {
  beforeAll(() => {
    if (!existsSync(kdBin)) throw new Error('run `npm run build` first (bin/kubectl-kd.cjs is missing)');
  });

  it('applies the example app to kd sim and exits 0', () => {
    const r = runKd(['apply', '--sim', 'examples/shop']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\+ +[\d.]+s plan {5}release default\/shop\n/);
    expect(r.stdout).toMatch(/done {5}succeeded in .* \(revision 1, 8 applied, 0 unchanged, 1 hook\)\n$/);
    expect(r.stdout).toContain('wave     wave 2 healthy after');
  });

  it('stops invalid manifests before the cluster with the validate diagnostics, exit 1', () => {
    const r = runKd(['apply', '--sim', 'test/fixtures/apply/cli/deployment-unknown-field.yaml']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('test/fixtures/apply/cli/deployment-unknown-field.yaml:6:3: error: ');
    expect(r.stdout).toContain('[schema/unknown-field]');
    expect(r.stdout).toMatch(/done {5}failed after .*: 1 problem in the manifests; nothing was applied\n$/);
  });

  it('fails fast with exit 1 and the reason when a pod crash-loops', () => {
    const r = runKd(['apply', '--sim', '-n', 'demo', 'test/fixtures/apply/cli/deployment-crashloop.yaml']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failed +Deployment demo\/crashy: pod crashy-[a-z0-9-]+ container app: CrashLoopBackOff/);
    expect(r.stdout).toContain('recent events:');
    expect(r.stdout).toMatch(/hint {5}inspect it with `kubectl describe deployment crashy -n demo`\n$/);
  });

  it('prints the plan with --dry-run=client and applies nothing', () => {
    const r = runKd(['apply', '--sim', '--dry-run=client', 'examples/shop']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  plan: 9 to create, 0 to update, 0 unchanged, 0 to prune\n');
    expect(r.stdout).not.toContain('apply    ');
  });

  it('writes one JSON event per line with -o jsonl', () => {
    const r = runKd(['apply', '--sim', '-o', 'jsonl', 'examples/shop']);
    expect(r.status).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; at: string; status?: string });
    expect(events[0]?.type).toBe('plan');
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'succeeded' });
    expect(events.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.at))).toBe(true);
    // Secret values never reach the output, not even inside the plan.
    expect(r.stdout).not.toMatch(/"(password|stringData)"/);
  });

  it('rejects bad flags with exit 2', () => {
    const r = runKd(['apply', '--sim', '--dry-run=maybe', 'examples/shop']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: --dry-run must be none, client or server, not "maybe"');
    expect(runKd(['apply', '--sim', '--timeout', 'soon', 'examples/shop']).status).toBe(2);
  });

  it('exits 130 within 2 seconds of Ctrl-C, reporting the run as interrupted', async () => {
    const child = spawn(process.execPath, [kdBin, 'apply', '--sim', '-n', 'demo', 'test/fixtures/apply/cli/deployment-never-ready.yaml'], {
      cwd: repoRoot,
      env: { ...process.env, ...tempHomeEnv(), NO_COLOR: '1', KUBECONFIG: '' },
    });
    let stdout = '';
    // Interrupted as soon as the wait shows, on the output event itself.
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('health   Deployment demo/slow InProgress')) resolve();
      });
    });
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(code).toBe(130);
    expect(stdout).toMatch(/done {5}interrupted after .*: interrupted: no new work was started; the revision is marked failed\n$/);
  });
});
