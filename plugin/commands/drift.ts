/**
 * `kubectl kd drift [PATH...]`: three-way drift for audits — the files, what kd (or kubectl)
 * last applied, and the cluster. Flags become a DriftOptions value; `runDrift` gathers and
 * compares; the renderers (text, JSON, SARIF, JUnit) print the one report.
 * Exit codes, like `kubectl diff`: 0 nothing of the `--fail-on` classes found, 1 found or the
 * files are invalid (as validate), 2 error (usage, unreadable input, cluster access).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArgsBuilder } from '../args/declare.js';
import {
  type StorageChoice,
  DEFAULT_DRIFT_CONCURRENCY,
  DEFAULT_FAIL_ON,
  definedOnly,
  inputError,
  parseFailOn,
  parseIgnoreFile,
  parseIgnoreRule,
  runDrift,
  usageError,
  type DriftClass,
  type DriftRunRequest,
  type IgnoreRule,
} from '../../src/index.js';
import { exitForDiagnostics, exitForDrift } from '../exit-codes.js';
import { STDIN_ARG, globalFlags, outputFlag, withStorageOptions } from '../flags.js';
import { storageOf } from './target.js';
import { stderrStyle, stdoutStyle, type CommandContext } from '../context.js';
import { INPUT_FLAG_OPTIONS, inputFlags, type InputFlags } from '../input-flags.js';
import { formatDiagnosticsText } from '../output/diagnostics-text.js';
import { formatDriftJson } from '../output/drift-json.js';
import { formatDriftJunit } from '../output/drift-junit.js';
import { formatDriftSarif } from '../output/drift-sarif.js';
import { formatDriftText } from '../output/drift-text.js';
import { defaultReleaseName } from './release-name.js';
import type { CommandSpec } from './index.js';

export type DriftOutput = 'text' | 'json' | 'sarif' | 'junit';

export interface DriftOptions {
  paths: string[];
  release?: string;
  allReleases: boolean;
  allNamespaces: boolean;
  contexts: string[];
  namespace?: string;
  kubeconfig?: string;
  sim: boolean;
  ignore: IgnoreRule[];
  showForeign: boolean;
  diff: boolean;
  failOn: DriftClass[];
  output: DriftOutput;
  concurrency: number;
  color?: boolean;
  /** Where the records are read (`--storage`, `--storage-namespace`). */
  storage?: StorageChoice;
  /** `--max-input-size`, `--allow-remote`. */
  input: InputFlags;
}

export function driftOptionsFrom(argv: Record<string, unknown>, cwd: string, env: NodeJS.ProcessEnv = {}): DriftOptions {
  const g = globalFlags(argv);
  const paths = ((argv.paths as string[] | undefined) ?? []).map((p) => (p === STDIN_ARG ? '-' : String(p)));
  const allReleases = argv['all-releases'] === true;
  const allNamespaces = argv['all-namespaces'] === true;
  if (allNamespaces && !allReleases) throw usageError('-A (all namespaces) goes with --all-releases', 'kubectl kd drift --all-releases -A');
  if (allReleases && paths.length > 0) throw usageError('--all-releases compares each release with its last deployed revision: give no paths', 'kubectl kd drift --all-releases -n shop');
  if (!allReleases && paths.length === 0) throw usageError('no input: give the files or folders of the release, or --all-releases', 'kubectl kd drift deploy/ --release shop');
  const output = outputFlag(argv, 'drift', ['text', 'json', 'sarif', 'junit']);
  const failOnFlag = argv['fail-on'] === undefined ? [DEFAULT_FAIL_ON.join(',')] : ([] as unknown[]).concat(argv['fail-on']).map(String);
  const failOn = parseFailOn(failOnFlag);
  if ('problem' in failOn) throw usageError(failOn.problem);
  const ignore: IgnoreRule[] = [];
  for (const text of ([] as unknown[]).concat(argv.ignore ?? []).map(String)) {
    const parsed = parseIgnoreRule(text);
    if ('problem' in parsed) throw usageError(parsed.problem);
    ignore.push(parsed.rule);
  }
  for (const file of ([] as unknown[]).concat(argv['ignore-file'] ?? []).map(String)) {
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw inputError(`cannot read --ignore-file ${file}: ${(error as Error).message}`);
    }
    const parsed = parseIgnoreFile(text);
    if (parsed.problems.length > 0) throw usageError(`--ignore-file ${file}: ${parsed.problems.join('; ')}`);
    ignore.push(...parsed.rules);
  }
  const concurrency = Number(argv.concurrency ?? DEFAULT_DRIFT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError(`--concurrency must be a whole number of at least 1, not "${String(argv.concurrency)}"`);
  const contexts = (g.context ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (g.sim && contexts.length > 0) throw usageError('--sim and --context exclude each other');
  const options: DriftOptions = {
    paths,
    allReleases,
    allNamespaces,
    contexts,
    sim: g.sim,
    ignore,
    showForeign: argv['show-foreign'] === true,
    diff: argv.diff === true,
    failOn: failOn.failOn,
    output,
    concurrency,
    input: inputFlags(argv),
  };
  if (!allReleases) options.release = typeof argv.release === 'string' && argv.release !== '' ? argv.release : defaultReleaseName(paths[0]!);
  if (g.namespace) options.namespace = g.namespace;
  if (g.kubeconfig) options.kubeconfig = g.kubeconfig;
  if (g.color !== undefined) options.color = g.color;
  options.storage = storageOf(argv, env);
  return options;
}

export async function runDriftCommand(options: DriftOptions, ctx: CommandContext): Promise<number> {
  if (options.sim)
    ctx.stderr.write(stderrStyle(ctx, options.color).dim('note: --sim compares against a fresh in-process kd sim: it holds nothing unless seeded, so every object shows as new\n'));
  const request: DriftRunRequest = {
    paths: options.paths,
    readStdin: () => ctx.stdin,
    input: options.input,
    env: ctx.env,
    cwd: ctx.cwd,
    allReleases: options.allReleases,
    allNamespaces: options.allNamespaces,
    contexts: options.contexts,
    sim: options.sim,
    ignore: options.ignore,
    showForeign: options.showForeign,
    diff: options.diff,
    failOn: options.failOn,
    concurrency: options.concurrency,
    secretSalt: randomBytes(16).toString('hex'),
    now: () => Date.now(),
    signal: ctx.signal,
    kdVersion: ctx.version,
    ...definedOnly({ release: options.release, namespace: options.namespace, kubeconfig: options.kubeconfig, storage: options.storage }),
  };
  const { report, diagnostics } = await runDrift(request);
  if (diagnostics.length > 0) ctx.stderr.write(formatDiagnosticsText(diagnostics, { files: 0, objects: 0 }, stderrStyle(ctx, options.color)));
  // Invalid manifests are a "no" (1) as for validate: the files are the user's input, not kd's environment.
  if (diagnostics.some((d) => d.severity === 'error')) return exitForDiagnostics(diagnostics);
  let text: string;
  if (options.output === 'json') text = formatDriftJson(report);
  else if (options.output === 'sarif') text = formatDriftSarif(report, { toolVersion: ctx.version, cwd: ctx.cwd });
  else if (options.output === 'junit') text = formatDriftJunit(report);
  else text = formatDriftText(report, { style: stdoutStyle(ctx, options.color), diff: options.diff });
  ctx.stdout.write(text);
  return exitForDrift(report.driftFound);
}

export const driftCommand: CommandSpec = {
  name: 'drift [paths..]',
  describe: 'three-way drift: what changed in the files, in the cluster (by whom), and what is orphaned',
  builder: (y: ArgsBuilder) =>
    withStorageOptions(y)
      .positional('paths', { type: 'string', array: true, describe: 'the release\'s files, folders or kustomizations (as for apply), or - for stdin' })
      .option('release', { type: 'string', describe: 'release name (default: the base name of the first path, as apply)' })
      .options(INPUT_FLAG_OPTIONS)
      .option('all-releases', { type: 'boolean', default: false, describe: 'audit every release of the namespace (-A: of the cluster) against its last deployed revision' })
      .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'with --all-releases: every namespace' })
      .option('ignore', { type: 'string', repeatable: true, describe: 'KIND:/json/pointer to leave out (repeatable; KIND may be * or Kind.group)' })
      .option('ignore-file', { type: 'string', repeatable: true, describe: 'a file of --ignore rules, one per line (# comments)' })
      .option('show-foreign', { type: 'boolean', default: false, describe: 'also list fields other managers set that kd never set' })
      .option('diff', { type: 'boolean', default: false, describe: 'print a unified diff (live → files) per object (Secret values masked)' })
      .option('fail-on', { type: 'string', repeatable: true, describe: `classes that make the exit code 1 (default ${DEFAULT_FAIL_ON.join(',')}; none for never)` })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json | sarif | junit' })
      .option('concurrency', { type: 'number', default: DEFAULT_DRIFT_CONCURRENCY, describe: 'server dry runs in flight at once' })
      .example('$0 drift deploy/ --release shop -n shop', 'compare release "shop" with its files and the cluster')
      .example('$0 drift --all-releases -A -o junit', 'audit every release of the cluster for CI')
      .example('$0 drift deploy/ --context prod-eu,prod-us -o json', 'one report over several clusters')
      .epilogue(
        'Classes: in-sync, pending (files changed), drifted (cluster changed), conflict (both), missing, new, orphan, foreign (--show-foreign). ' +
          'Exit codes: 0 nothing of the --fail-on classes, 1 found or invalid manifests, 2 usage, input or cluster error.',
      ),
  run: (argv, ctx) => runDriftCommand(driftOptionsFrom(argv, ctx.cwd, ctx.env), ctx),
};
