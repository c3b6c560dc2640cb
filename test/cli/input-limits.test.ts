/**
 * Inputs as the real binary reads them: one size cap for every kind of input (`--max-input-size`,
 * default 64 MiB) refused with exit 2 naming the input, in bounded memory, also for sources
 * whose size stat cannot tell (/dev/zero, pipes, FIFOs), and a read that never blocks a signal;
 * remote kustomize bases only with `--allow-remote`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kdBin, repoRoot, runKd } from './run-kd.js';

const TIME = '/usr/bin/time';
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function requireTime(): void {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install it (apt-get install time) to measure peak memory`);
}

describe('input size cap', () => {
  it('refuses /dev/zero with exit 2 within seconds in bounded memory', () => {
    requireTime();
    const started = Date.now();
    const r = spawnSync(TIME, ['-v', process.execPath, kdBin, 'validate', '/dev/zero'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: /dev/zero: larger than the input limit of 64 MiB; it was not read\nhint: pass a smaller input, or raise the limit with --max-input-size\n');
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    expect(peakKb / 1024).toBeLessThan(400);
    expect(seconds).toBeLessThan(15);
  });

  it('caps standard input, pipes and process substitutions the same way, with --max-input-size', () => {
    const big = 'a: b\n'.repeat(300_000); // 1.5 MB
    const stdin = runKd(['validate', '-', '--max-input-size', '1Mi'], { input: big });
    expect(stdin.status).toBe(2);
    expect(stdin.stderr).toContain('error: <stdin>: larger than the input limit of 1 MiB; it was not read');
    const substituted = spawnSync('bash', ['-c', `"${process.execPath}" "${kdBin}" validate --max-input-size 1Mi <(yes 'a: b')`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(substituted.status).toBe(2);
    expect(substituted.stderr).toMatch(/error: \/dev\/fd\/\d+: larger than the input limit of 1 MiB; it was not read/);
    const small = spawnSync('bash', ['-c', `"${process.execPath}" "${kdBin}" validate <(printf '${cm('piped').replace(/\n/g, '\\n')}')`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(small.stdout).toBe('valid: 1 object in 1 file\n');
    expect(small.status).toBe(0);
  });

  it('refuses a regular file over the cap before reading it, and raises the cap on request', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-input-cap-'));
    const file = path.join(dir, 'big.yaml');
    // Three ConfigMaps of 800 KiB: the file is over 2 MiB, each object under the API server's 1 MiB data limit.
    writeFileSync(file, [1, 2, 3].map((i) => cm(`big-${i}`) + `data:\n  x: "${'x'.repeat(800 * 1024)}"\n`).join('---\n'));
    const refused = runKd(['validate', file, '--max-input-size', '2Mi']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`error: ${file}: larger than the input limit of 2 MiB; it was not read`);
    const raised = runKd(['validate', file, '--max-input-size', '3Mi']);
    expect(raised.stdout).toBe('valid: 3 objects in 1 file\n');
    const bad = runKd(['validate', file, '--max-input-size', 'lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-input-size lots is not a size');
  });

  it('stops on SIGTERM while waiting on a FIFO whose writer is silent', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-input-fifo-'));
    const fifo = path.join(dir, 'in.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const writer of [false, true]) {
      const silent = writer ? spawn('bash', ['-c', `exec sleep 30 > "${fifo}"`]) : undefined;
      const kd = spawn(process.execPath, [kdBin, 'validate', fifo], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
      try {
        const exited = new Promise<number | null>((resolve) => kd.on('exit', (code) => resolve(code)));
        await new Promise((r) => setTimeout(r, 1500));
        expect(kd.exitCode).toBeNull(); // still waiting for input
        const t0 = Date.now();
        kd.kill('SIGTERM');
        expect(await exited).toBe(130);
        expect(Date.now() - t0).toBeLessThan(3000);
      } finally {
        silent?.kill('SIGKILL');
        kd.kill('SIGKILL');
      }
    }
  });
});

describe('remote kustomize bases', () => {
  it('refuses them unless --allow-remote, as a diagnostic for that folder, and still checks the other inputs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-remote-cli-'));
    mkdirSync(path.join(dir, 'overlay'));
    writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'resources:\n  - https://github.com/example/app//deploy?ref=v1\n');
    writeFileSync(path.join(dir, 'app.yaml'), cm('app'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const r = runKd(['validate', path.join(dir, 'overlay'), path.join(dir, 'app.yaml'), path.join(dir, 'bad.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `${path.join(dir, 'overlay', 'kustomization.yaml')}:2:1: error: the kustomization names the remote base https://github.com/example/app//deploy?ref=v1; kd does not fetch remote bases unless --allow-remote is given [input/kustomization]`,
    );
    expect(r.stdout).toContain(`${path.join(dir, 'bad.yaml')}:4:9: error: metadata.name`);
  });
});
