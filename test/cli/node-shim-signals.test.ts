/**
 * `kubectl-kd` started by a Node older than 22 re-runs itself on the installation's own Node 22
 * (bin/node-check.cjs). Whoever started it knows only the shim's PID, so stopping the shim must
 * stop kd: SIGINT, SIGTERM and SIGHUP reach the child, the shim waits for it, and exits with its
 * status (128 + n when the child was killed by signal n). No kd process may be left behind.
 *
 * Runs with the machine's own older Node first on PATH when there is one (/usr/bin/node 20 on
 * the project's CI); otherwise with this Node told to report 20.11.0, which takes the same path.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kdBin, repoRoot } from './run-kd.js';
import { tempHomeEnv } from '../support/temp-home.js';

function olderNode(): { command: string; args: string[]; label: string } {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const v = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(v.split('.')[0]) < 22) return { command: candidate, args: [], label: `${candidate} ${v}` };
  }
  return { command: process.execPath, args: ['--require', path.join(repoRoot, 'test', 'fixtures', 'cli', 'pretend-node-20.cjs')], label: 'Node 22 reporting 20.11.0' };
}

const old = olderNode();
const work = mkdtempSync(path.join(os.tmpdir(), 'kd-shim-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Shim {
  shim: ChildProcess;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startShim(args: string[], options: { detached?: boolean } = {}): Shim {
  const shim = spawn(old.command, [...old.args, kdBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...tempHomeEnv(), PATH: `${path.dirname(old.command)}:${process.env.PATH ?? ''}`, NO_COLOR: '1', KUBECONFIG: '', KD_NO_NODE_REEXEC: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  running.push(shim);
  let out = '';
  shim.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  shim.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => shim.on('exit', (code, signal) => resolve({ code, signal })));
  return { shim, stdout: () => out, exit };
}

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PIDs whose parent is `pid` (from /proc, as `pgrep -P` does). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `kd sim` through the shim and returns it with the PID of the kd process it runs. */
async function startSimThroughShim(name: string, options: { detached?: boolean } = {}): Promise<Shim & { kd: number }> {
  const kubeconfig = path.join(work, `${name}.kubeconfig`);
  const s = startShim(['sim', '--kubeconfig-out', kubeconfig], options);
  await until('kd sim to serve', () => s.stdout().includes('press Ctrl-C to stop'));
  const kids = childrenOf(s.shim.pid!);
  expect(kids).toHaveLength(1);
  // The child is kd on the installation's own Node, not the old one.
  expect(readFileSync(`/proc/${kids[0]}/cmdline`, 'utf8').split('\0')[0]).toBe(path.join(repoRoot, 'node_modules', 'node', 'bin', 'node'));
  return { ...s, kd: kids[0]! };
}

describe(`kubectl-kd started by an older Node (${old.label})`, () => {
  it('SIGTERM to the shim stops kd sim, which exits as it does when run directly (0, after "kd sim stopping")', async () => {
    const s = await startSimThroughShim('term');
    s.shim.kill('SIGTERM');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.stdout()).toContain('kd sim stopping\n');
    expect(alive(s.kd)).toBe(false);
  });

  it('SIGHUP to the shim reaches kd, which has no handler for it: the shim exits 129 (128 + 1)', async () => {
    const s = await startSimThroughShim('hup');
    s.shim.kill('SIGHUP');
    expect(await s.exit).toEqual({ code: 129, signal: null });
    expect(alive(s.kd)).toBe(false);
  });

  it('a kd killed outright (SIGKILL) makes the shim exit 137 (128 + 9)', async () => {
    const s = await startSimThroughShim('kill');
    process.kill(s.kd, 'SIGKILL');
    expect(await s.exit).toEqual({ code: 137, signal: null });
  });

  it('SIGINT to the shim interrupts an apply, which cleans up and exits 130', async () => {
    const s = startShim(['apply', '--sim', '-n', 'demo', 'test/fixtures/apply/cli/deployment-never-ready.yaml']);
    await until('the apply to wait for health', () => s.stdout().includes('health   Deployment demo/slow InProgress'));
    const kd = childrenOf(s.shim.pid!)[0]!;
    s.shim.kill('SIGINT');
    expect(await s.exit).toEqual({ code: 130, signal: null });
    expect(s.stdout()).toMatch(/interrupted: no new work was started; the revision is marked failed\n$/);
    expect(alive(kd)).toBe(false);
  });

  it('a Ctrl-C in a terminal (SIGINT to the whole process group: shim and kd) still lets the apply clean up', async () => {
    const s = startShim(['apply', '--sim', '-n', 'demo', 'test/fixtures/apply/cli/deployment-never-ready.yaml'], { detached: true });
    await until('the apply to wait for health', () => s.stdout().includes('health   Deployment demo/slow InProgress'));
    const kd = childrenOf(s.shim.pid!)[0]!;
    process.kill(-s.shim.pid!, 'SIGINT');
    expect(await s.exit).toEqual({ code: 130, signal: null });
    expect(s.stdout()).toMatch(/interrupted: no new work was started; the revision is marked failed\n$/);
    expect(alive(kd)).toBe(false);
  });
});
