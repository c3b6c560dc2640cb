/**
 * `kubectl kd sim`: runs the embedded Kubernetes API server simulator until SIGINT/SIGTERM.
 * Prints the address, the Kubernetes version it reports and the schemas it serves, and where the
 * kubeconfig was written; stopping it is its normal end (exit 0), and removes the default
 * temporary kubeconfig. `--add-context` never replaces an existing `kd-sim` context unless
 * `--force`. With `--state FILE` the cluster's content survives restarts.
 */
import { readFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArgsBuilder } from '../args/declare.js';
import { ExitCode, SIM_KUBERNETES_VERSION, SchemaDirSource, builtInSource, isLoopbackHost, kubeconfigFiles, startEmbeddedSim, usageError, writeFilePrivate, yamlLibrary, type SchemaSource } from '../../src/index.js';
import { globalFlags } from '../flags.js';
import { stdoutStyle, type CommandContext } from '../context.js';
import type { CommandSpec } from './index.js';

export interface SimCommandOptions {
  port: number;
  host: string;
  kubeconfigOut?: string;
  addContext: boolean;
  /** With --add-context: replace an existing kd-sim context. */
  force: boolean;
  kubeconfig?: string;
  logRequests: boolean;
  state?: string;
  tls: boolean;
  token?: string;
  noAuth: boolean;
  /** Further Host names to answer (`--allow-host`). */
  allowHosts: string[];
  faults?: string;
  schemaDir?: string;
  speed: number;
  nodes: number;
  color?: boolean;
}

export function simOptionsFrom(argv: Record<string, unknown>): SimCommandOptions {
  const g = globalFlags(argv);
  const port = Number(argv.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${String(argv.port)} is not a port number`, 'use 0 (any free port) or 1-65535');
  const speed = Number(argv.speed ?? 1);
  if (!(speed > 0) || speed > 1000) throw usageError(`--speed ${String(argv.speed)} must be a number above 0 and at most 1000`);
  const nodes = Number(argv.nodes ?? 3);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) throw usageError(`--nodes ${String(argv.nodes)} must be a whole number from 1 to 100`);
  const o: SimCommandOptions = {
    port,
    host: String(argv.host ?? '127.0.0.1'),
    addContext: argv['add-context'] === true,
    force: argv.force === true,
    logRequests: argv['log-requests'] === true,
    tls: argv.tls === true,
    noAuth: argv.auth === false,
    allowHosts: ([] as unknown[]).concat(argv['allow-host'] ?? []).map(String),
    speed,
    nodes,
  };
  if (typeof argv['kubeconfig-out'] === 'string') o.kubeconfigOut = argv['kubeconfig-out'];
  if (g.kubeconfig) o.kubeconfig = g.kubeconfig;
  if (typeof argv.state === 'string') o.state = argv.state;
  if (typeof argv.token === 'string') o.token = argv.token;
  if (o.noAuth && (o.token !== undefined || o.tls)) throw usageError('--no-auth cannot be combined with --token or --tls', 'choose one: --no-auth serves without authentication');
  if (o.noAuth && !isLoopbackHost(o.host))
    throw usageError(`--no-auth cannot be used with --host ${o.host}: every machine that reaches it could read and change the simulated cluster, Secrets included`, 'drop --no-auth (clients use the token in the written kubeconfig), or listen on 127.0.0.1');
  if (o.token !== undefined && o.token.trim() === '') throw usageError('--token must not be empty', 'omit --token to get a random one in the written kubeconfig');
  if (typeof argv.faults === 'string') o.faults = argv.faults;
  if (typeof argv['schema-dir'] === 'string') o.schemaDir = argv['schema-dir'];
  if (g.color !== undefined) o.color = g.color;
  return o;
}

/**
 * Writes through a fresh owner-only temporary file and a rename, so a reader never sees half a
 * kubeconfig and nobody else can read the token in it.
 */
function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFilePrivate(file, text);
}

type Named = { name?: string };
function upsert<T extends Named>(list: T[] | undefined, item: T): T[] {
  const out = (list ?? []).filter((x) => x.name !== item.name);
  out.push(item);
  return out;
}

/** Adds (or replaces) the kd-sim cluster, user and context in an existing kubeconfig; never switches the current context. */
export function mergeKubeconfig(existingText: string | undefined, simText: string): string {
  const base = (existingText ? (yamlLibrary().parse(existingText) as Record<string, unknown> | null) : null) ?? { apiVersion: 'v1', kind: 'Config', preferences: {} };
  const sim = yamlLibrary().parse(simText) as Record<string, Named[]>;
  for (const section of ['clusters', 'users', 'contexts'] as const) {
    for (const item of sim[section] ?? []) base[section] = upsert(base[section] as Named[] | undefined, item);
  }
  if (!base['current-context']) base['current-context'] = (sim.contexts?.[0]?.name as string | undefined) ?? 'kd-sim';
  return yamlLibrary().stringify(base);
}

/** The kubeconfig --add-context writes to; refuses (before the sim starts) to replace a kd-sim context unless forced. */
function addContextTarget(options: SimCommandOptions, ctx: CommandContext): { target: string; existing?: string } {
  const target = path.resolve(ctx.cwd, options.kubeconfig ?? kubeconfigFiles(ctx.env)[0] ?? path.join(ctx.env.HOME ?? os.homedir(), '.kube', 'config'));
  if (!existsSync(target)) return { target };
  const existing = readFileSync(target, 'utf8');
  const config = (yamlLibrary().parse(existing) as { contexts?: Named[] } | null) ?? {};
  if (!options.force && (config.contexts ?? []).some((c) => c.name === 'kd-sim'))
    throw usageError(`${target} already has a context named kd-sim; kd sim will not replace it`, 'pass --force to replace it, or --kubeconfig-out FILE to write a separate kubeconfig');
  return { target, existing };
}

export async function runSim(options: SimCommandOptions, ctx: CommandContext): Promise<number> {
  const style = stdoutStyle(ctx, options.color);
  const contextTarget = options.addContext ? addContextTarget(options, ctx) : undefined;
  let schemaSource: SchemaSource;
  if (options.schemaDir) schemaSource = new SchemaDirSource(path.resolve(ctx.cwd, options.schemaDir));
  else schemaSource = builtInSource();
  if (options.noAuth) ctx.stderr.write(`warning: --no-auth: any program of any user of this machine can read and change the simulated cluster, Secrets included\n`);
  if (!isLoopbackHost(options.host))
    ctx.stderr.write(`warning: --host ${options.host} serves beyond this machine: anyone who can reach it and has the kubeconfig's ${options.tls && !options.token ? 'client certificate' : 'token'} controls the simulated cluster\n`);
  const sim = await startEmbeddedSim({
    schemaSource,
    port: options.port,
    host: options.host,
    tls: options.tls,
    noAuth: options.noAuth,
    hostNames: options.allowHosts,
    warn: (line: string) => ctx.stderr.write(`warning: ${line}\n`),
    speed: options.speed,
    nodes: options.nodes,
    ...(options.token ? { token: options.token } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.state ? { statePath: path.resolve(ctx.cwd, options.state) } : {}),
    ...(options.logRequests ? { log: (line: string) => ctx.stderr.write(`${line}\n`) } : {}),
  });
  // The kubeconfig kd chose itself (no --kubeconfig-out) is kd's to remove when the sim stops.
  let temporary: string | undefined;
  try {
    const kubeconfig = sim.kubeconfig();
    let where: string;
    if (contextTarget) {
      writeAtomic(contextTarget.target, mergeKubeconfig(contextTarget.existing, kubeconfig));
      where = `context kd-sim added to ${contextTarget.target} (use --context kd-sim)`;
    } else {
      // The default lives in a fresh private folder: a fixed name in the shared temp folder could be planted or read by others.
      const target = path.resolve(ctx.cwd, options.kubeconfigOut ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'kd-sim-')), 'kubeconfig'));
      writeAtomic(target, kubeconfig);
      if (options.kubeconfigOut === undefined) temporary = target;
      where = `kubeconfig written to ${target}${temporary ? ' (removed when the sim stops)' : ''}\n  export KUBECONFIG=${target}`;
    }
    ctx.stdout.write(
      `${style.green('kd sim')} serving at ${style.bold(sim.url)}: reports Kubernetes ${SIM_KUBERNETES_VERSION} (kubectl version, nodes), serves the API of ${schemaSource.description}${options.speed !== 1 ? `, clock x${options.speed}` : ''}\n` +
        `  ${where}\n` +
        `  press Ctrl-C to stop\n`,
    );
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    ctx.stdout.write('kd sim stopping\n');
    return ExitCode.ok;
  } finally {
    await sim.stop();
    if (temporary) rmSync(temporary, { force: true });
  }
}

export const simCommand: CommandSpec = {
  name: 'sim',
  describe: 'run an embedded Kubernetes API server simulator (for kubectl, kd and CI)',
  builder: (y: ArgsBuilder) =>
    y
      .option('port', { type: 'number', default: 0, describe: 'port to listen on (0: any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('kubeconfig-out', { type: 'string', describe: 'where to write a kubeconfig for the simulator (default: a file in the temp folder)' })
      .option('add-context', { type: 'boolean', default: false, describe: 'add a kd-sim context to your kubeconfig instead (never switches the current context; refuses to replace an existing kd-sim context)' })
      .option('force', { type: 'boolean', default: false, describe: 'with --add-context: replace an existing kd-sim context' })
      .option('log-requests', { alias: 'v', type: 'boolean', default: false, describe: 'log every request to stderr' })
      .option('state', { type: 'string', describe: 'keep the cluster state in FILE across restarts (atomic, owner-only writes)' })
      .option('tls', { type: 'boolean', default: false, describe: 'serve HTTPS with a generated CA and client certificate' })
      .option('token', { type: 'string', describe: 'require this bearer token (default: a random one per start, written into the kubeconfig)' })
      .option('allow-host', { type: 'string', repeatable: true, describe: 'also answer requests for this host name (repeatable), e.g. a DNS name of this machine' })
      .option('auth', { type: 'boolean', default: true, describe: 'require authentication; --no-auth serves anyone who can connect (loopback only)' })
      .option('faults', { type: 'string', describe: 'inject faults, e.g. "seed=1,latency=5-20ms,429=0.05,500=0.02,reset=0.01,watch-close=30s"' })
      .option('schema-dir', { type: 'string', describe: 'serve the API of these OpenAPI v3 documents instead of the built-in ones' })
      .option('speed', { type: 'number', default: 1, describe: 'simulated seconds per real second for the controllers' })
      .option('nodes', { type: 'number', default: 3, describe: 'number of simulated nodes' })
      .example('$0 sim --kubeconfig-out sim.kubeconfig', 'then: kubectl --kubeconfig sim.kubeconfig get ns')
      .epilogue('Failure injection: annotate a workload or its pod template with sim.kd.io/fail (crashloop, image-pull, unschedulable, config-error, never-ready, job-fail) or sim.kd.io/ready-after: 3s.'),
  run: (argv, ctx) => runSim(simOptionsFrom(argv), ctx),
  handlesInterrupt: true,
};
