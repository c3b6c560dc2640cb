/**
 * `kubectl kd list`: the releases in a namespace (`-n`, the context's) or in all (`-A`), each
 * with its latest revision: NAME, NAMESPACE, REVISION, STATUS, UPDATED, OBJECTS; or `-o json`.
 * `--pending`: only releases whose latest revision is pending (a run going on, or one that died),
 * each with its lock: live (held by a running run, named) or expired (`kubectl kd recover` fixes it).
 * Exit codes: 0 listed (also when there are none), 2 usage or cluster access.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { ExitCode, renderListText, renderPendingText, type LeaseLock, type PendingRelease } from '../../src/index.js';
import type { CommandContext } from '../context.js';
import { outputFlag, withStorageOptions } from '../flags.js';
import { withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';
import { formatListJson, formatPendingJson } from '../output/releases-json.js';

export interface ListOptions {
  allNamespaces: boolean;
  output: 'text' | 'json';
  /** Only releases whose latest revision is pending, with their locks. */
  pending?: boolean;
}

export function listOptionsFrom(argv: Record<string, unknown>): ListOptions {
  const output = outputFlag(argv, 'list', ['text', 'json']);
  const options: ListOptions = { allNamespaces: argv['all-namespaces'] === true, output };
  if (argv['pending'] === true) options.pending = true;
  return options;
}

export async function runList(options: ListOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const releases = await target.store.releases(options.allNamespaces ? { allNamespaces: true } : { namespace: target.namespace });
  if (options.pending) return listPending(releases.filter((r) => r.state === 'pending'), options, target, ctx);
  if (options.output === 'json') ctx.stdout.write(formatListJson(releases));
  // Like kubectl: nothing on stdout, a note on stderr, so scripts read an empty list.
  else if (releases.length === 0) ctx.stderr.write(options.allNamespaces ? 'No releases found.\n' : `No releases found in namespace ${target.namespace}.\n`);
  else ctx.stdout.write(renderListText(releases));
  return ExitCode.ok;
}

async function listPending(releases: ReadonlyArray<Omit<PendingRelease, 'lock'>>, options: ListOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  // The lock of the chosen storage: a Lease (in the storage namespace) or a lock file.
  const lock = target.lock as Partial<Pick<LeaseLock, 'inspect'>>;
  const pending: PendingRelease[] = [];
  for (const r of releases) {
    const held = await lock.inspect?.({ name: r.name, namespace: r.namespace }, ctx.signal);
    pending.push({ ...r, lock: held ?? null });
  }
  if (options.output === 'json') ctx.stdout.write(formatPendingJson(pending));
  else if (pending.length === 0) ctx.stderr.write(options.allNamespaces ? 'No pending releases found.\n' : `No pending releases found in namespace ${target.namespace}.\n`);
  else ctx.stdout.write(renderPendingText(pending));
  return ExitCode.ok;
}

export const listCommand: CommandSpec = {
  name: 'list',
  describe: 'list the releases in a namespace, or in all namespaces with -A',
  builder: (y: ArgsBuilder) =>
    withStorageOptions(y)
      .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'releases in every namespace' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json' })
      .option('pending', { type: 'boolean', default: false, describe: 'only releases whose latest revision is pending, with whether their lock is live or expired' })
      .example('$0 list -A', 'every release in the cluster')
      .example('$0 list -A --pending', 'releases left pending by a run (recover them with `kubectl kd recover NAME`)')
      .epilogue('Exit codes: 0 listed, 2 usage or cluster access.'),
  run: (argv, ctx) => {
    const options = listOptionsFrom(argv);
    return withReleaseTarget(argv, ctx, (target) => runList(options, target, ctx));
  },
};
