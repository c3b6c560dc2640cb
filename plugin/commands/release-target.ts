/**
 * What the release commands (history, list, rollback, delete) share: the target with the
 * release store over it, opened for one run and always closed; the checked NAME positional;
 * the error for a release that has no records.
 */
import { KdError, SecretReleaseStore, releaseNameProblem, usageError, type ApplyTarget, type ReleaseRef } from '../../src/index.js';
import { globalFlags } from '../flags.js';
import type { CommandContext } from '../context.js';
import { historyMaxFlag, openTarget } from './target.js';

/** A connected target plus the release store over it. */
export interface ReleaseTarget extends ApplyTarget {
  store: SecretReleaseStore;
}

export async function openReleaseTarget(argv: Record<string, unknown>, ctx: CommandContext): Promise<ReleaseTarget> {
  const target = await openTarget({ ...globalFlags(argv), ...historyMaxFlag(argv) }, ctx);
  return { ...target, store: new SecretReleaseStore({ client: target.client, now: () => target.clock.now(), kdVersion: ctx.version, signal: ctx.signal }) };
}

/** Runs `work` on a freshly opened release target, closing the target however `work` ends. */
export async function withReleaseTarget(argv: Record<string, unknown>, ctx: CommandContext, work: (target: ReleaseTarget) => Promise<number>): Promise<number> {
  const target = await openReleaseTarget(argv, ctx);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

/** The release name positional, checked. */
export function releaseNameArg(argv: Record<string, unknown>, command: string): string {
  const name = typeof argv.name === 'string' ? argv.name : '';
  if (name === '') throw usageError(`a release name is required: kubectl kd ${command} NAME`, 'list the releases with `kubectl kd list`');
  const problem = releaseNameProblem(name);
  if (problem !== undefined) throw usageError(problem);
  return name;
}

export function releaseNotFound(release: ReleaseRef): KdError {
  return new KdError('input', `release ${release.name} not found in namespace ${release.namespace}`, { hint: 'list the releases with `kubectl kd list -A`, and pick the namespace with -n' });
}
