/**
 * Which command a command line names, read without loading anything else: the built
 * dist/kubectl-kd.cjs (plugin/entry.ts) reads it to load the one bundle file of that command, so
 * this module imports nothing (no core module, no flag declarations; a copy of it in the entry
 * and another in a command's bundle share no state). test/cli/cli-contract.test.ts checks the
 * lists below against plugin/commands/index.ts and the global flags' declaration.
 */

/** kd's commands, in the order --help shows them. */
export const COMMAND_WORDS = ['validate', 'apply', 'drift', 'history', 'rollback', 'list', 'recover', 'delete', 'sim'] as const;
export type CommandWord = (typeof COMMAND_WORDS)[number];

/** Global flags (plugin/flags.ts) that take a value as the next word: `-n shop`, `--context prod`. */
export const GLOBAL_FLAGS_WITH_VALUE: ReadonlySet<string> = new Set(['--namespace', '-n', '--context', '--kubeconfig']);

/**
 * The command word: the first word that is neither a flag nor a global flag's value, as kubectl
 * reads `kubectl -n shop get pods`. Only that position names the command, so a release or a
 * folder called `apply` or `sim` given to another command stays an argument.
 */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1];
    if (GLOBAL_FLAGS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') && a !== '-') continue;
    return a;
  }
  return undefined;
}

/** `word` names one of kd's commands. */
export function isCommandWord(word: string | undefined): word is CommandWord {
  return (COMMAND_WORDS as readonly (string | undefined)[]).includes(word);
}

/** The commands that always talk to a cluster (or a sim), over TLS unless its server is http://. */
const CLUSTER_WORDS: ReadonlySet<string> = new Set(['apply', 'drift', 'history', 'rollback', 'list', 'recover', 'delete']);

/**
 * The command line will most likely open a TLS connection: a cluster command (`validate` only
 * with `--cluster`), not asking for help or the version (answered before parsing: plugin/cli.ts).
 * A guess from the words alone (a kubeconfig's http:// server is known only later), used only to
 * load node:tls early (plugin/entry.ts).
 */
export function talksTls(word: string | undefined, args: readonly string[]): boolean {
  if (word === undefined || asksForHelp(args) || flagWords(args).includes('--version')) return false;
  return CLUSTER_WORDS.has(word) || (word === 'validate' && flagWords(args).includes('--cluster'));
}

/** The words before `--`: those kd's parser may read as flags. */
export function flagWords(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/** The command line asks for help before any `--` (`-h` or `--help`), as plugin/cli.ts reads it. */
export function asksForHelp(args: readonly string[]): boolean {
  const flags = flagWords(args);
  return flags.includes('--help') || flags.includes('-h');
}
