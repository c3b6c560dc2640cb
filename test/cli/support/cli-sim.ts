/**
 * A kd sim for CLI tests that needs nothing outside the repository: the built-in schema bundle,
 * a kubeconfig file in a temp folder, `runCli` in-process (the sim answers from this process)
 * with a temp HOME, and fresh namespaces.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../../plugin/cli.js';
import type { CommandContext } from '../../../plugin/context.js';
import type { ConnectedCluster } from '../../../src/cluster/index.js';
import { connectToSim } from '../../support/connected-sim.js';
import { builtInSource } from '../../../src/io/schema-sources.js';
import { startSim, type SimHandle } from '../../../src/sim/server.js';
import { checkMachineOutput } from '../../support/output-schemas.js';

export interface KdResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliSim {
  sim: SimHandle;
  session: ConnectedCluster;
  kubeconfig: string;
  home: string;
  namespace(prefix: string): Promise<string>;
  /** runCli with --kubeconfig of this sim. */
  kd(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string }): Promise<KdResult>;
  stop(): Promise<void>;
}

export async function startCliSim(): Promise<CliSim> {
  const connected = await connectToSim(await startSim({ schemaSource: builtInSource() }), 'kd-cli-sim-');
  const { kubeconfigPath: kubeconfig } = connected;
  const home = path.join(connected.dir, 'home');
  mkdirSync(home);
  return {
    ...connected,
    kubeconfig,
    home,
    kd: (args, options = {}) => kdInProcess([...args, '--kubeconfig', kubeconfig], { ...options, env: { HOME: home, ...options.env } }),
  };
}

export async function kdInProcess(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; tty?: boolean; signal?: AbortSignal } = {}): Promise<KdResult> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty === true, columns: 100 });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const home = options.env?.HOME ?? mkdtempSync(path.join(tmpdir(), 'kd-home-'));
  const ctx: CommandContext = {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: { NO_COLOR: '1', KUBECONFIG: path.join(home, 'no-kubeconfig'), ...options.env, HOME: home },
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    version: '0.1.0',
  };
  const code = await runCli(args, ctx);
  if (code < 2) checkMachineOutput(args, out);
  return { code, stdout: out, stderr: err };
}

/** A temp folder of files (relative name → text). */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-files-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}
