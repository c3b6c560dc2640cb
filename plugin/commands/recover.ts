/**
 * `kubectl kd recover NAME`: a release whose run died (SIGKILL, a lost machine) keeps a pending
 * revision and, for up to the lock's duration, its lock. This marks the pending revision failed,
 * so the next apply or a rollback starts from a clean history (the next apply would repair it
 * too, with a warning; this does it without applying anything). It takes the release's lock
 * first: while the lock is live (its run may still be going) it refuses, naming the holder; an
 * expired lock is taken over, and released at the end.
 * Exit codes: 0 recovered (or nothing to recover), 1 refused (the lock is live), 2 usage,
 * unknown release or cluster access.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { ExitCode, KdError, LockHeldError } from '../../src/index.js';
import type { CommandContext } from '../context.js';
import { withStorageOptions } from '../flags.js';
import { releaseNameArg, releaseNotFound, withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';

export interface RecoverOptions {
  name: string;
}

export async function runRecover(options: RecoverOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const release = { name: options.name, namespace: target.namespace };
  const revisions = await target.store.revisions(release);
  if (revisions.length === 0) throw releaseNotFound(release, target);
  if (!revisions.some((r) => r.state === 'pending')) {
    const latest = revisions[revisions.length - 1]!;
    ctx.stdout.write(`release ${release.name} has no pending revision (the latest, ${latest.revision}, is ${latest.state}): nothing to recover\n`);
    return ExitCode.ok;
  }
  let lock;
  try {
    lock = await target.lock.acquire(release, { wait: false, signal: ctx.signal });
  } catch (error) {
    // Both locks (a Lease, the lock file of --storage file:DIR) say LockHeldError.
    if (!(error instanceof LockHeldError)) throw error;
    ctx.stderr.write(
      `error: not recovering release ${release.name}: its lock is live, held by ${error.holder} since ${error.since}: that run may still be going\n` +
        `hint: wait for it to finish; a lock left by a run that died expires on its own (see \`kubectl kd list --pending\`), then run this again\n`,
    );
    return ExitCode.no;
  }
  try {
    const recovered = await target.store.recoverStale(release, 'the run that wrote this revision stopped before finishing; marked failed by kubectl kd recover');
    if (recovered.length === 0) throw new KdError('cluster', `the pending revision of release ${release.name} was finished by another run meanwhile`);
    const which = recovered.length === 1 ? `revision ${recovered[0]}` : `revisions ${recovered.join(', ')}`;
    ctx.stdout.write(`release ${release.name}: ${which} marked failed; the next apply or a rollback starts clean\n`);
    return ExitCode.ok;
  } finally {
    await lock.release();
  }
}

export const recoverCommand: CommandSpec = {
  name: 'recover <name>',
  describe: 'mark the pending revision of a release whose run died as failed',
  builder: (y: ArgsBuilder) =>
    withStorageOptions(y)
      .positional('name', { type: 'string', describe: 'the release' })
      .example('$0 list -A --pending', 'releases left pending, and whether their lock is live or expired')
      .example('$0 recover shop -n shop', 'mark the pending revision of "shop" failed once its lock has expired')
      .epilogue('Exit codes: 0 recovered or nothing to recover, 1 refused (the lock is live), 2 usage, unknown release or cluster access.'),
  run: (argv, ctx) => {
    const options: RecoverOptions = { name: releaseNameArg(argv, 'recover') };
    return withReleaseTarget(argv, ctx, (target) => runRecover(options, target, ctx));
  },
};
