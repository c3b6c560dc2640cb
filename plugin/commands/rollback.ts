/**
 * `kubectl kd rollback NAME [REVISION]`: re-applies a recorded revision (default: the one before
 * the current deployed one) through the executor — the same plan, waves, hooks and health gates
 * as an apply — as a new revision. Output as apply's (`-o text|jsonl`).
 * Exit codes: as apply: 0 rolled back and healthy, 1 it failed (health, hook, conflict, lock
 * held), 2 usage, unknown release or revision, cluster access, 130 interrupted.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { chooseRollbackRevision, rollbackRequest, tolerateCorruptDeployed, usageError } from '../../src/index.js';
import { globalFlags, outputFlag, withStorageOptions } from '../flags.js';
import { RunNotifier, notifyConfigOf, notifyContextOf, withNotifyOptions, type NotifyConfig } from '../notify.js';
import type { CommandContext } from '../context.js';
import { parseTimeout } from './apply.js';
import { applyAndPrint } from './apply-and-print.js';
import { releaseNameArg, releaseNotFound, withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';

export interface RollbackOptions {
  name: string;
  revision?: number;
  timeoutMs: number;
  waitForLock: boolean;
  hooks: boolean;
  forceConflicts: boolean;
  output: 'text' | 'jsonl';
  color?: boolean;
  verbose: boolean;
  notify?: NotifyConfig;
}

export function rollbackOptionsFrom(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): RollbackOptions {
  const g = globalFlags(argv);
  const output = outputFlag(argv, 'rollback', ['text', 'jsonl']);
  const options: RollbackOptions = {
    name: releaseNameArg(argv, 'rollback'),
    timeoutMs: parseTimeout(String(argv.timeout ?? '5m')),
    waitForLock: argv['wait-for-lock'] === true,
    hooks: argv.hooks !== false,
    forceConflicts: argv['force-conflicts'] === true,
    output,
    verbose: g.verbose,
  };
  if (argv.revision !== undefined) {
    const n = Number(argv.revision);
    if (!Number.isInteger(n) || n < 1) throw usageError(`REVISION must be a revision number (1, 2, ...), not "${String(argv.revision)}"`);
    options.revision = n;
  }
  if (g.color !== undefined) options.color = g.color;
  const notify = notifyConfigOf(argv, env);
  if (notify) options.notify = notify;
  return options;
}

export async function runRollback(options: RollbackOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const release = { name: options.name, namespace: target.namespace };
  const revisions = await target.store.revisions(release);
  if (revisions.length === 0) throw releaseNotFound(release, target);
  const revision = chooseRollbackRevision(release, revisions, options.revision);
  const record = await target.store.record(release, revision);
  if (record === undefined) throw releaseNotFound(release);
  const request = rollbackRequest(release, record, { timeoutMs: options.timeoutMs, waitForLock: options.waitForLock, hooks: options.hooks, forceConflicts: options.forceConflicts });
  // The one place a rollback runs: the executor, exactly as an apply.
  const notifier = options.notify ? new RunNotifier(options.notify, { release, context: notifyContextOf(target.description), operation: 'rollback' }) : undefined;
  return applyAndPrint(request, { ...target, ports: tolerateCorruptDeployed(target.ports) }, ctx, { ...options, ...(notifier ? { notifier } : {}) });
}

export const rollbackCommand: CommandSpec = {
  name: 'rollback <name> [revision]',
  describe: 're-apply an earlier revision of a release, as a new revision',
  builder: (y: ArgsBuilder) =>
    withNotifyOptions(withStorageOptions(y))
      .positional('name', { type: 'string', describe: 'the release' })
      .positional('revision', { type: 'string', describe: 'the revision to go back to (default: the one before the current)' })
      .option('timeout', { type: 'string', default: '5m', describe: 'how long to wait for objects to become healthy, for the whole run' })
      .option('wait-for-lock', { type: 'boolean', default: false, describe: 'wait for another run on the release to finish instead of failing' })
      .option('hooks', { type: 'boolean', default: true, describe: 'run the revision\'s hooks (--no-hooks skips them)' })
      .option('force-conflicts', { type: 'boolean', default: false, describe: 'take over fields other field managers own' })
      .option('history-max', { type: 'string', describe: 'revisions of the release to keep (0 keeps all; default 10, or KD_HISTORY_MAX)' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | jsonl' })
      .example('$0 rollback shop', 'back to the revision before the current one')
      .example('$0 rollback shop 3', 'back to revision 3')
      .epilogue('Exit codes: 0 rolled back and healthy, 1 failed (health, hook, conflict, lock), 2 usage, unknown release or cluster access, 130 interrupted.'),
  run: (argv, ctx) => {
    const options = rollbackOptionsFrom(argv, ctx.env);
    return withReleaseTarget(argv, ctx, (target) => runRollback(options, target, ctx), { interruptibleRecords: false });
  },
  // Ctrl-C stops new work, marks the revision failed, cleans hooks up per policy and releases the lock before exiting 130.
  handlesInterrupt: true,
};
