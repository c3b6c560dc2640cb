/**
 * `kubectl kd history NAME`: the revisions of a release, as an aligned table (REVISION, UPDATED,
 * STATUS, OBJECTS, DESCRIPTION) or `-o json`. Reads only the records' labels and annotations:
 * the applied objects, Secret values among them, are never printed.
 * Exit codes: 0 shown, 2 usage, unknown release or cluster access.
 *
 * Also home of `openReleaseTarget`, the connection that history, list, rollback and delete share.
 */
import type { Argv } from 'yargs';
import {
  ExitCode,
  KdError,
  SecretReleaseStore,
  openApplyTarget,
  releaseNameProblem,
  renderHistoryJson,
  renderHistoryText,
  usageError,
  type ApplyTarget,
  type ReleaseRef,
} from '../../src/index.js';
import { globalFlags } from '../flags.js';
import type { CommandContext } from '../context.js';
import type { CommandSpec } from './index.js';

/** A connected target plus the release store over it. */
export interface ReleaseTarget extends ApplyTarget {
  store: SecretReleaseStore;
}

export async function openReleaseTarget(argv: Record<string, unknown>, ctx: CommandContext): Promise<ReleaseTarget> {
  const g = globalFlags(argv);
  const target = await openApplyTarget({
    sim: g.sim,
    env: ctx.env,
    version: ctx.version,
    ...(g.kubeconfig === undefined ? {} : { kubeconfig: g.kubeconfig }),
    ...(g.context === undefined ? {} : { context: g.context }),
    ...(g.namespace === undefined ? {} : { namespace: g.namespace }),
  });
  return { ...target, store: new SecretReleaseStore({ client: target.client, now: () => target.clock.now(), kdVersion: ctx.version, signal: ctx.signal }) };
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

export interface HistoryOptions {
  name: string;
  output: 'text' | 'json';
}

export function historyOptionsFrom(argv: Record<string, unknown>): HistoryOptions {
  const output = String(argv.output ?? 'text');
  if (output !== 'text' && output !== 'json') throw usageError(`unknown output format "${output}" for history`, 'use -o text or -o json');
  return { name: releaseNameArg(argv, 'history'), output };
}

export async function runHistory(options: HistoryOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const release = { name: options.name, namespace: target.namespace };
  const revisions = await target.store.revisions(release);
  if (revisions.length === 0) throw releaseNotFound(release);
  ctx.stdout.write(options.output === 'json' ? renderHistoryJson(release, revisions) : renderHistoryText(revisions));
  return ExitCode.ok;
}

export const historyCommand: CommandSpec = {
  name: 'history <name>',
  describe: 'show the revisions of a release',
  builder: (y: Argv) =>
    y
      .positional('name', { type: 'string', describe: 'the release' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json' })
      .example('$0 history shop -n shop', 'revisions of release "shop"')
      .epilogue('Exit codes: 0 shown, 2 usage, unknown release or cluster access.'),
  run: async (argv, ctx) => {
    const options = historyOptionsFrom(argv);
    const target = await openReleaseTarget(argv, ctx);
    try {
      return await runHistory(options, target, ctx);
    } finally {
      await target.close();
    }
  },
};
