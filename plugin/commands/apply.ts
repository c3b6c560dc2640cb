/**
 * `kubectl kd apply PATH...`: applies manifests with Server-Side Apply in sync waves, with hooks,
 * health gating, prune and a release record. Flags become an ApplyOptions value; `runApply`
 * options in, events out; the printers (text, JSON lines) only consume the events.
 * Exit codes: 0 applied and healthy, 1 the apply failed (invalid manifests, health, hook,
 * conflict, lock held), 2 usage, input or cluster-access error, 130 interrupted.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, readDesired, releaseNameProblem, usageError, type ApplyRequest, type DryRunMode, type Session, type StorageChoice } from '../../src/index.js';
import { STDIN_ARG, globalFlags, outputFlag, withStorageOptions } from '../flags.js';
import { RunNotifier, notifyConfigOf, notifyContextOf, withNotifyOptions, type NotifyConfig } from '../notify.js';
import type { CommandContext } from '../context.js';
import { INPUT_FLAG_OPTIONS, inputFlags, type InputFlags } from '../input-flags.js';
import { applyAndPrint } from './apply-and-print.js';
import { defaultReleaseName } from './release-name.js';
import { historyMaxFlag, openTarget, storageOf } from './target.js';
import type { CommandSpec } from './index.js';

export type ApplyOutput = 'text' | 'jsonl';

export interface ApplyOptions {
  paths: string[];
  release: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  sim: boolean;
  prune: boolean;
  allowEmpty: boolean;
  dryRun: DryRunMode;
  diff: boolean;
  timeoutMs: number;
  concurrency: number;
  forceConflicts: boolean;
  atomic: boolean;
  waitForLock: boolean;
  hooks: boolean;
  output: ApplyOutput;
  /** Client-side rate limit; the cluster layer's defaults when unset. */
  qps?: number;
  burst?: number;
  /** `--history-max`; the environment's KD_HISTORY_MAX, else 10, when unset. */
  historyMax?: number;
  color?: boolean;
  verbose: boolean;
  /** `--storage`, `--storage-namespace` (or their environment variables); Secrets in the release's namespace when unset. */
  storage?: StorageChoice;
  /** `--notify` (or KD_NOTIFY): where each run's summary is POSTed. */
  notify?: NotifyConfig;
  /** `--max-input-size`, `--allow-remote`. */
  input: InputFlags;
}

export function applyOptionsFrom(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ApplyOptions {
  const g = globalFlags(argv);
  const paths = ((argv.paths as string[] | undefined) ?? []).map((p) => (p === STDIN_ARG ? '-' : String(p)));
  if (paths.length === 0) throw usageError('no input: give one or more files or folders, or - for standard input', 'kubectl kd apply manifests/ --release shop');
  const output = outputFlag(argv, 'apply', ['text', 'jsonl']);
  const dryRun = String(argv['dry-run'] ?? 'none');
  if (dryRun !== 'none' && dryRun !== 'client' && dryRun !== 'server')
    throw usageError(`--dry-run must be none, client or server, not "${dryRun}"`, 'a bare --dry-run means --dry-run=client, as in kubectl');
  const timeoutMs = parseTimeout(String(argv.timeout ?? '5m'));
  const concurrency = Number(argv.concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError(`--concurrency must be a whole number of at least 1, not "${String(argv.concurrency)}"`);
  const release = typeof argv.release === 'string' && argv.release !== '' ? argv.release : defaultReleaseName(paths[0]!);
  const releaseProblem = releaseNameProblem(release);
  if (releaseProblem !== undefined) throw usageError(releaseProblem, 'name it with --release NAME');
  const options: ApplyOptions = {
    paths,
    release,
    sim: g.sim,
    prune: argv.prune === true,
    allowEmpty: argv['allow-empty'] === true,
    dryRun,
    diff: argv.diff === true,
    timeoutMs,
    concurrency,
    forceConflicts: argv['force-conflicts'] === true,
    atomic: argv.atomic === true,
    waitForLock: argv['wait-for-lock'] === true,
    hooks: argv.hooks !== false,
    output,
    verbose: g.verbose,
    input: inputFlags(argv),
  };
  for (const key of ['qps', 'burst'] as const) {
    const value = argv[key];
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw usageError(`--${key} must be a number of at least 0, not "${String(value)}"`);
    options[key] = n;
  }
  Object.assign(options, historyMaxFlag(argv));
  options.storage = storageOf(argv, env);
  const notify = notifyConfigOf(argv, env);
  if (notify) options.notify = notify;
  if (g.namespace) options.namespace = g.namespace;
  if (g.context) options.context = g.context;
  if (g.kubeconfig) options.kubeconfig = g.kubeconfig;
  if (g.color !== undefined) options.color = g.color;
  return options;
}

// Kept here too: the apply command's callers import it from this module.
export { defaultReleaseName };

/** `5m`, `90s`, `1h30m`, `500ms`, or a bare number of seconds. */
export function parseTimeout(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * (unit[m[2]!] ?? 0);
    matched += m[0].length;
  }
  if (matched === 0 || matched !== t.length || total <= 0) throw usageError(`--timeout "${text}" is not a duration`, 'use e.g. --timeout 5m, 90s or 1h');
  return Math.round(total);
}

/** What an apply request takes from the flags: the same for one apply and for every apply of --watch. */
export function applyRequestSettings(options: ApplyOptions, namespace: string) {
  return {
    release: { name: options.release, namespace },
    paths: options.paths,
    prune: options.prune,
    allowEmpty: options.allowEmpty,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    forceConflicts: options.forceConflicts,
    hooks: options.hooks,
    atomic: options.atomic,
    waitForLock: options.waitForLock,
  } satisfies Partial<ApplyRequest>;
}

export async function runApplyCommand(options: ApplyOptions, ctx: CommandContext): Promise<number> {
  let target: Session | undefined;
  try {
    target = await openTarget(options, ctx);
    const desired = await readDesired({
      paths: options.paths,
      readStdin: () => ctx.stdin,
      input: options.input,
      defaultNamespace: target.namespace,
      env: ctx.env,
      cwd: ctx.cwd,
    });
    const request: ApplyRequest = {
      ...applyRequestSettings(options, target.namespace),
      objects: desired.manifests,
      diagnostics: desired.diagnostics,
      dryRun: options.dryRun,
      diff: options.diff,
    };
    // Dry runs change nothing: there is no run to tell anyone about.
    const notifier =
      options.notify && options.dryRun === 'none' ? new RunNotifier(options.notify, { release: request.release!, context: notifyContextOf(target.description), operation: 'apply' }) : undefined;
    return await applyAndPrint(request, target, ctx, { ...options, ...(notifier ? { notifier } : {}) });
  } finally {
    await target?.close();
  }
}

export const applyCommand: CommandSpec = {
  name: 'apply [paths..]',
  describe: 'apply manifests with Server-Side Apply in sync waves, with hooks, health gating and prune',
  builder: (y: ArgsBuilder) =>
    withNotifyOptions(withStorageOptions(y))
      .positional('paths', { type: 'string', array: true, describe: 'files, folders (recursive), kustomization folders, or - for stdin' })
      .option('release', { type: 'string', describe: 'release name (default: the base name of the first path)' })
      .option('prune', { type: 'boolean', default: false, describe: 'delete objects of the release that are no longer in the files' })
      .option('allow-empty', { type: 'boolean', default: false, describe: 'with --prune, allow an input without objects (it deletes every object of the release)' })
      .option('dry-run', { type: 'string', default: 'none', optionalValue: { implied: 'client', values: ['none', 'client', 'server'] }, describe: 'none | client (print the plan; a bare --dry-run means client) | server (also send each object as a server-side dry run)' })
      .option('diff', { type: 'boolean', default: false, describe: 'print unified diffs of what changes (Secret values masked)' })
      .option('timeout', { type: 'string', default: '5m', describe: 'how long to wait for objects to become healthy, for the whole run' })
      .option('concurrency', { type: 'number', default: DEFAULT_CONCURRENCY, describe: 'objects applied in parallel within a wave' })
      .option('force-conflicts', { type: 'boolean', default: false, describe: 'take over fields other field managers own' })
      .option('atomic', { type: 'boolean', default: false, describe: 'on failure, roll back to the last deployed revision' })
      .option('wait-for-lock', { type: 'boolean', default: false, describe: 'wait for another apply of the release to finish instead of failing' })
      .option('hooks', { type: 'boolean', default: true, describe: 'run hooks (--no-hooks skips them)' })
      .option('history-max', { type: 'string', describe: 'revisions of the release to keep; older superseded and failed ones are deleted after a successful run (0 keeps all; default 10, or KD_HISTORY_MAX)' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | jsonl' })
      .options(INPUT_FLAG_OPTIONS)
      // --watch (issue 6): re-apply on save; plugin/watch/ does the work.
      .option('watch', { alias: 'w', type: 'boolean', default: false, describe: 're-apply whenever a watched file is saved, with a terminal screen (q quits)' })
      .option('tui', { type: 'boolean', default: true, describe: 'with --watch: the terminal screen (--no-tui prints plain lines; also when not a TTY)' })
      .option('self-heal', { type: 'boolean', default: false, describe: 'with --watch: re-apply what another manager changes or deletes in the cluster (after a short delay; stops on a field another controller keeps changing back)' })
      .example('$0 apply --watch examples/shop --sim', 'apply, then re-apply on every save')
      .option('qps', { type: 'number', describe: 'client-side request rate limit per second for the whole run (default: none, like kubectl)' })
      .option('burst', { type: 'number', describe: 'requests allowed at once before --qps applies (default 10)' })
      .example('$0 apply deploy/ --release shop -n shop', 'apply a folder as release "shop"')
      .example('$0 apply examples/shop --sim', 'apply to an in-process kd sim (demo, CI)')
      .example('$0 apply deploy/ --dry-run=client', 'print the plan: phases, waves, and per object create / update / unchanged / prune')
      .epilogue(`Default timeout ${DEFAULT_TIMEOUT_MS / 60_000}m. Exit codes: 0 applied and healthy, 1 apply failed (invalid, health, hook, conflict, lock), 2 usage, input or cluster access, 130 interrupted.`),
  // --watch (issue 6)
  // --watch is loaded only when asked for: it brings Ink and React, which a one-shot apply never
  // renders, and loading them was a large part of apply's start-up.
  run: async (argv, ctx) =>
    argv.watch === true
      ? (await import('../watch/run-apply-watch.js')).runApplyWatch({ ...applyOptionsFrom(argv, ctx.env), tui: argv.tui !== false, selfHeal: argv['self-heal'] === true }, ctx)
      : runApplyCommand(applyOptionsFrom(argv, ctx.env), ctx),
  // Ctrl-C stops new work, marks the revision failed and releases the lock before exiting 130.
  handlesInterrupt: true,
};
