/**
 * `kubectl kd delete NAME`: removes a release — pre-delete hooks, its objects in reverse waves
 * and kinds (each group waited on until gone), post-delete hooks, the ApplySet parent, and the
 * records unless `--keep-history` (then the latest revision is marked `deleted`). Objects marked
 * keep stay. One line per step on stdout.
 * Exit codes: 0 deleted, 1 it failed (a hook, a timeout, lock held), 2 usage, unknown release
 * or cluster access, 130 interrupted.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { ExitCode, deleteRelease, describeRef, type ApplyEvent } from '../../src/index.js';
import { exitForFailure } from '../exit-codes.js';
import { globalFlags, withStorageOptions } from '../flags.js';
import { RunNotifier, notifyConfigOf, notifyContextOf, withNotifyOptions, type NotifyConfig } from '../notify.js';
import { stderrStyle, type CommandContext } from '../context.js';
import { parseTimeout } from './apply.js';
import { releaseNameArg, withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';

export interface DeleteOptions {
  name: string;
  keepHistory: boolean;
  hooks: boolean;
  timeoutMs: number;
  waitForLock: boolean;
  color?: boolean;
  notify?: NotifyConfig;
}

export function deleteOptionsFrom(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): DeleteOptions {
  const g = globalFlags(argv);
  const options: DeleteOptions = {
    name: releaseNameArg(argv, 'delete'),
    keepHistory: argv['keep-history'] === true,
    hooks: argv.hooks !== false,
    timeoutMs: parseTimeout(String(argv.timeout ?? '5m')),
    waitForLock: argv['wait-for-lock'] === true,
  };
  if (g.color !== undefined) options.color = g.color;
  const notify = notifyConfigOf(argv, env);
  if (notify) options.notify = notify;
  return options;
}

function line(event: ApplyEvent): string {
  switch (event.type) {
    case 'object-deleted':
      return `${event.result === 'gone' ? 'gone' : 'deleted'} ${describeRef(event.ref)}\n`;
    case 'hook-started':
      return `hook ${event.phase} ${describeRef(event.ref)} started\n`;
    case 'hook-finished':
      return `hook ${event.phase} ${describeRef(event.ref)} ${event.ok ? 'completed' : `failed: ${event.message}`}${event.deleted ? ' (deleted)' : ''}\n`;
    default:
      return '';
  }
}

export async function runDelete(options: DeleteOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const release = { name: options.name, namespace: target.namespace };
  const notifier = options.notify ? new RunNotifier(options.notify, { release, context: notifyContextOf(target.description), operation: 'delete' }) : undefined;
  const result = await deleteRelease(
    { release, keepHistory: options.keepHistory, hooks: options.hooks, timeoutMs: options.timeoutMs, waitForLock: options.waitForLock },
    {
      client: target.client,
      clock: target.clock,
      signal: ctx.signal,
      store: target.store,
      lock: target.lock,
      inventory: target.ports.inventory,
      emit: (e) => {
        notifier?.observe(e);
        const text = line(e);
        if (text) ctx.stdout.write(text);
      },
    },
  );
  await notifier?.send(ctx, options.color);
  for (const ref of result.kept) ctx.stdout.write(`kept ${describeRef(ref)} (resource-policy: keep)\n`);
  if (result.keptForHistory) ctx.stdout.write(`kept ${describeRef(result.keptForHistory)} (it holds the release's history; --keep-history)\n`);
  if (result.ok) {
    const history = options.keepHistory ? 'history kept' : `${result.recordsDeleted} record${result.recordsDeleted === 1 ? '' : 's'} removed`;
    ctx.stdout.write(`release ${release.name} deleted: ${result.deleted.length} object${result.deleted.length === 1 ? '' : 's'} deleted, ${history}\n`);
    return ExitCode.ok;
  }
  const style = stderrStyle(ctx, options.color);
  const failure = result.failure!;
  if (failure.kind === 'interrupted') {
    ctx.stderr.write(`${style.yellow('interrupted')}: ${failure.message}\n`);
    if (failure.hint) ctx.stderr.write(`${style.dim('hint')}: ${failure.hint}\n`);
    return exitForFailure(failure.kind);
  }
  ctx.stderr.write(`${style.red('error')}: ${failure.message}\n`);
  if (failure.hint) ctx.stderr.write(`${style.dim('hint')}: ${failure.hint}\n`);
  return exitForFailure(failure.kind);
}

export const deleteCommand: CommandSpec = {
  name: 'delete <name>',
  describe: 'delete a release: its hooks, its objects in reverse waves, and its records',
  builder: (y: ArgsBuilder) =>
    withNotifyOptions(withStorageOptions(y))
      .positional('name', { type: 'string', describe: 'the release' })
      .option('keep-history', { type: 'boolean', default: false, describe: 'keep the release records (the latest is marked deleted)' })
      .option('hooks', { type: 'boolean', default: true, describe: 'run pre-delete and post-delete hooks (--no-hooks skips them)' })
      .option('timeout', { type: 'string', default: '5m', describe: 'how long to wait for hooks and for objects to go' })
      .option('wait-for-lock', { type: 'boolean', default: false, describe: 'wait for another run on the release to finish instead of failing' })
      .example('$0 delete shop -n shop', 'delete release "shop" and its records')
      .epilogue('Exit codes: 0 deleted, 1 failed (hook, timeout, lock), 2 usage, unknown release or cluster access, 130 interrupted.'),
  run: (argv, ctx) => {
    const options = deleteOptionsFrom(argv, ctx.env);
    return withReleaseTarget(argv, ctx, (target) => runDelete(options, target, ctx));
  },
  // Ctrl-C stops new work, marks the revision failed, cleans hooks up per policy and releases the lock before exiting 130.
  handlesInterrupt: true,
};
