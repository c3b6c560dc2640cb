/**
 * What the release commands (history, list, rollback, recover, delete) share: the session, opened
 * for one run and always closed, with its record store and lock under the names these commands
 * use (the session's own ports, built once); the checked NAME positional; the error for a
 * release that has no records.
 */
import { KdError, RecordStore, describeStorage, releaseNameProblem, usageError, type ReleaseLock, type ReleaseRef, type Session } from '../../src/index.js';
import { globalFlags } from '../flags.js';
import type { CommandContext } from '../context.js';
import { historyMaxFlag, openTarget, storageOf } from './target.js';

/** A session, with its record store and lock named as the release commands read them. */
export interface ReleaseTarget extends Session {
  /** `ports.releases`. */
  store: RecordStore;
  /** `ports.lock` (delete and recover take it themselves). */
  lock: ReleaseLock;
}

export interface ReleaseTargetOptions {
  /**
   * The records' requests stop on Ctrl-C (history, list, recover, delete); false for rollback,
   * whose run marks its revision failed after an interrupt.
   */
  interruptibleRecords?: boolean;
}

export async function openReleaseTarget(argv: Record<string, unknown>, ctx: CommandContext, options: ReleaseTargetOptions = {}): Promise<ReleaseTarget> {
  const target = await openTarget({ ...globalFlags(argv), ...historyMaxFlag(argv), storage: storageOf(argv, ctx.env) }, ctx, options.interruptibleRecords === false ? {} : { signal: ctx.signal });
  return { ...target, store: target.ports.releases, lock: target.ports.lock };
}

/** Runs `work` on a freshly opened release target, closing the target however `work` ends. */
export async function withReleaseTarget(
  argv: Record<string, unknown>,
  ctx: CommandContext,
  work: (target: ReleaseTarget) => Promise<number>,
  options: ReleaseTargetOptions = {},
): Promise<number> {
  const target = await openReleaseTarget(argv, ctx, options);
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

/** Names where the records were looked for, and the other drivers to try (records do not move between drivers by themselves). */
export function releaseNotFound(release: ReleaseRef, target?: ReleaseTarget): KdError {
  if (target === undefined)
    return new KdError('input', `release ${release.name} not found in namespace ${release.namespace}`, { hint: 'list the releases with `kubectl kd list -A`, and pick the namespace with -n' });
  const kind = target.storage.kind;
  const others = (['secret', 'configmap', 'file:DIR'] as const).filter((k) => !k.startsWith(kind)).map((k) => `--storage ${k}`);
  return new KdError('input', `release ${release.name} not found in namespace ${release.namespace} (looked in ${target.store.where(release.namespace)}; storage ${describeStorage(target.storage)})`, {
    hint: `if its records were written with another storage, look there: ${others.join(', ')}${target.storage.namespace === undefined ? ', or --storage-namespace NS' : ''}; list the releases with \`kubectl kd list -A\``,
  });
}
