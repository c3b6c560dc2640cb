/** Runs the built kubectl-kd binary the way a user does, capturing output and exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
    env: { ...process.env, NO_COLOR: '1', HOME: path.join(repoRoot, 'test', 'fixtures', 'cli', 'home'), KUBECONFIG: '', KD_SCHEMA_DIR: '', ...options.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
