/**
 * `kubectl kd list`: the releases in a namespace (`-n`, the context's) or in all (`-A`), each
 * with its latest revision: NAME, NAMESPACE, REVISION, STATUS, UPDATED, OBJECTS; or `-o json`.
 * Exit codes: 0 listed (also when there are none), 2 usage or cluster access.
 */
import type { Argv } from 'yargs';
import { ExitCode, renderListText, usageError } from '../../src/index.js';
import type { CommandContext } from '../context.js';
import { withStorageOptions } from '../flags.js';
import { withReleaseTarget, type ReleaseTarget } from './release-target.js';
import type { CommandSpec } from './index.js';
import { formatListJson } from '../output/releases-json.js';

export interface ListOptions {
  allNamespaces: boolean;
  output: 'text' | 'json';
}

export function listOptionsFrom(argv: Record<string, unknown>): ListOptions {
  const output = String(argv.output ?? 'text');
  if (output !== 'text' && output !== 'json') throw usageError(`unknown output format "${output}" for list`, 'use -o text or -o json');
  return { allNamespaces: argv['all-namespaces'] === true, output };
}

export async function runList(options: ListOptions, target: ReleaseTarget, ctx: CommandContext): Promise<number> {
  const releases = await target.store.releases(options.allNamespaces ? { allNamespaces: true } : { namespace: target.namespace });
  if (options.output === 'json') ctx.stdout.write(formatListJson(releases));
  // Like kubectl: nothing on stdout, a note on stderr, so scripts read an empty list.
  else if (releases.length === 0) ctx.stderr.write(options.allNamespaces ? 'No releases found.\n' : `No releases found in namespace ${target.namespace}.\n`);
  else ctx.stdout.write(renderListText(releases));
  return ExitCode.ok;
}

export const listCommand: CommandSpec = {
  name: 'list',
  describe: 'list the releases in a namespace, or in all namespaces with -A',
  builder: (y: Argv) =>
    withStorageOptions(y)
      .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'releases in every namespace' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json' })
      .example('$0 list -A', 'every release in the cluster')
      .epilogue('Exit codes: 0 listed, 2 usage or cluster access.'),
  run: (argv, ctx) => {
    const options = listOptionsFrom(argv);
    return withReleaseTarget(argv, ctx, (target) => runList(options, target, ctx));
  },
};
