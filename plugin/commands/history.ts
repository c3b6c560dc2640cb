/**
 * `kubectl kd history NAME`: the revisions of a release, as an aligned table (REVISION, UPDATED,
 * STATUS, OBJECTS, DESCRIPTION) or `-o json`. Reads only the records' labels and annotations:
 * the applied objects, Secret values among them, are never printed.
 * Exit codes: 0 shown, 2 usage, unknown release or cluster access.
 */
import type { Argv } from 'yargs';
import { ExitCode, renderHistoryText, usageError } from '../../src/index.js';
import type { CommandContext } from '../context.js';
import { withStorageOptions } from '../flags.js';
import { releaseNameArg, releaseNotFound, withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';
import { formatHistoryJson } from '../output/releases-json.js';

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
  if (revisions.length === 0) throw releaseNotFound(release, target);
  ctx.stdout.write(options.output === 'json' ? formatHistoryJson(release, revisions) : renderHistoryText(revisions));
  return ExitCode.ok;
}

export const historyCommand: CommandSpec = {
  name: 'history <name>',
  describe: 'show the revisions of a release',
  builder: (y: Argv) =>
    withStorageOptions(y)
      .positional('name', { type: 'string', describe: 'the release' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json' })
      .example('$0 history shop -n shop', 'revisions of release "shop"')
      .epilogue('Exit codes: 0 shown, 2 usage, unknown release or cluster access.'),
  run: (argv, ctx) => {
    const options = historyOptionsFrom(argv);
    return withReleaseTarget(argv, ctx, (target) => runHistory(options, target, ctx));
  },
};
