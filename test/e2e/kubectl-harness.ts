/**
 * Drives the real kubectl against an in-process `kd sim`: each call gets its own HOME, discovery
 * cache and kubeconfig file (kubectl caches discovery and OpenAPI on disk), runs asynchronously
 * (the server lives in this process, so a blocking spawn would deadlock), and returns exit code
 * and output. Ages and generated values are scrubbed by `scrub` before exact comparison.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function requireKubectl(): void {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error('kubectl is not on PATH: the fidelity suite needs the real kubectl (v1.32). Install kubectl and put it on PATH, then re-run.');
}

export class KubectlEnv {
  readonly home: string;
  readonly kubeconfig: string;

  constructor(kubeconfigText: string) {
    this.home = mkdtempSync(path.join(tmpdir(), 'kd-e2e-'));
    this.kubeconfig = path.join(this.home, 'kubeconfig');
    writeFileSync(this.kubeconfig, kubeconfigText);
  }

  file(name: string, text: string): string {
    const p = path.join(this.home, name);
    writeFileSync(p, text);
    return p;
  }

  run(args: string[], options: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', path.join(this.home, 'cache'), ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: this.home, KUBECTL_EXTERNAL_DIFF: '', ...options.env },
        cwd: this.home,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? '');
    });
  }
}

/** Replaces values that vary between runs: ages in table cells, uids, timestamps, resourceVersions. */
export function scrub(text: string): string {
  return text
    .replace(/\b\d+(?:s|m\d*s?|h\d*m?|d\d*h?)(?=\s|$)/gm, '<age>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
    .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<rv>"')
    .replace(/"resourceVersion": "\d+"/g, '"resourceVersion": "<rv>"');
}
