/**
 * `kubectl kd history NAME`: the revisions of a release, as an aligned table (REVISION, UPDATED,
 * STATUS, OBJECTS, DESCRIPTION) or `-o json`. Reads only the records' labels and annotations:
 * the applied objects, Secret values among them, are never printed.
 * `--diff A..B` (or `A`: against the latest) prints what changed between two revisions instead:
 * unified diffs object by object, Secret values masked, or `-o json` (kind RevisionDiff).
 * Exit codes: 0 shown, 2 usage, unknown release or revision, or cluster access.
 */
import type { ArgsBuilder } from '../args/declare.js';
import {
  diffRevisions,
  ExitCode,
  KdError,
  parseRevisionRange,
  renderHistoryText,
  renderRevisionDiffText,
  resolveRevisionRange,
  type RevisionRange,
} from '../../src/index.js';
import type { CommandContext } from '../context.js';
import { outputFlag, withStorageOptions } from '../flags.js';
import { releaseNameArg, releaseNotFound, withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';
import { formatHistoryJson, formatRevisionDiffJson } from '../output/releases-json.js';

export interface HistoryOptions {
  name: string;
  output: 'text' | 'json';
  /** `--diff A..B`: the two revisions to compare. */
  diff?: RevisionRange;
}

export function historyOptionsFrom(argv: Record<string, unknown>): HistoryOptions {
  const output = outputFlag(argv, 'history', ['text', 'json']);
  const options: HistoryOptions = { name: releaseNameArg(argv, 'history'), output };
  if (argv['diff'] !== undefined) options.diff = parseRevisionRange(String(argv['diff']));
  return options;
}

export async function runHistory(options: HistoryOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const release = { name: options.name, namespace: target.namespace };
  const revisions = await target.store.revisions(release);
  if (revisions.length === 0) throw releaseNotFound(release, target);
  if (options.diff) {
    const { from, to } = resolveRevisionRange(release, revisions, options.diff);
    const [a, b] = await Promise.all([target.store.record(release, from), target.store.record(release, to)]);
    // Trimmed by another run between the listing and the read.
    if (a === undefined || b === undefined) throw new KdError('usage', `revision ${a === undefined ? from : to} of release ${release.name} is gone (another run trimmed the history)`, { hint: `see \`kubectl kd history ${release.name}\`` });
    const diff = diffRevisions(release, a, b);
    ctx.stdout.write(options.output === 'json' ? formatRevisionDiffJson(diff) : renderRevisionDiffText(diff));
    return ExitCode.ok;
  }
  ctx.stdout.write(options.output === 'json' ? formatHistoryJson(release, revisions) : renderHistoryText(revisions));
  return ExitCode.ok;
}

export const historyCommand: CommandSpec = {
  name: 'history <name>',
  describe: 'show the revisions of a release',
  builder: (y: ArgsBuilder) =>
    withStorageOptions(y)
      .positional('name', { type: 'string', describe: 'the release' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json' })
      .option('diff', { type: 'string', describe: 'FROM..TO, or FROM (against the latest): what changed between two revisions' })
      .example('$0 history shop -n shop', 'revisions of release "shop"')
      .example('$0 history shop --diff 3..5', 'what changed from revision 3 to 5 (Secret values masked)')
      .epilogue('Exit codes: 0 shown, 2 usage, unknown release or revision, or cluster access.'),
  run: (argv, ctx) => {
    const options = historyOptionsFrom(argv);
    return withReleaseTarget(argv, ctx, (target) => runHistory(options, target, ctx));
  },
};
