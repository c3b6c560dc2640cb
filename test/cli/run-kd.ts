/**
 * Runs the built kubectl-kd binary the way a user does, capturing output and exit code, with a
 * temporary HOME (test/support/temp-home.ts) so its caches never land in the source tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkMachineOutput } from '../support/output-schemas.js';
import { tempHomeEnv } from '../support/temp-home.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const kdBin = path.join(repoRoot, 'bin', 'kubectl-kd.cjs');

export interface KdRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runKd(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): KdRun {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), kdBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...tempHomeEnv(), KUBECONFIG: '', KD_SCHEMA_DIR: '', ...options.env },
    timeout: 60_000,
  });
  // Every -o json / jsonl output a test produces must match its published schema.
  if (r.status !== null && r.status < 2) checkMachineOutput(args, r.stdout);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same, without blocking this process: needed when the cluster (an in-process kd sim) lives
 * in the test process itself and must keep answering while kd runs.
 */
export function runKdAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<KdRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kdBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...tempHomeEnv(), KUBECONFIG: '', KD_SCHEMA_DIR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      try {
        if (status !== null && status < 2) checkMachineOutput(args, stdout);
      } catch (error) {
        reject(error);
        return;
      }
      resolve({ status, stdout, stderr });
    });
  });
}
