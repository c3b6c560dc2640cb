/**
 * What the release commands (history, list, rollback, delete) share: the target with the
 * release store over it, opened for one run and always closed; the checked NAME positional;
 * the error for a release that has no records.
 */
import { KdError, RecordStore, describeStorage, openStorage, releaseNameProblem, usageError, type ApplyTarget, type ReleaseLock, type ReleaseRef } from '../../src/index.js';
import { globalFlags } from '../flags.js';
import type { CommandContext } from '../context.js';
import { historyMaxFlag, openTarget, storageOf } from './target.js';

/** A connected target plus the release store over it. */
export interface ReleaseTarget extends ApplyTarget {
  store: RecordStore;
  /** The release lock of the chosen storage (delete takes it itself). */
  lock: ReleaseLock;
}

export async function openReleaseTarget(argv: Record<string, unknown>, ctx: CommandContext): Promise<ReleaseTarget> {
  const storage = storageOf(argv, ctx.env);
  const history = historyMaxFlag(argv);
  const target = await openTarget({ ...globalFlags(argv), ...history, storage }, ctx);
  const { store, lock } = openStorage(storage, { client: target.client, clock: target.clock, kdVersion: ctx.version, signal: ctx.signal, ...history });
  return { ...target, store, lock };
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
