/**
 * The list of kd's commands, in the order --help shows them. Each command's module is loaded
 * only when that command runs (or for the overall --help), so `kubectl kd validate` never loads
 * the cluster client, the simulator or the terminal UI: start-up time is part of the product.
 * In the build each of these dynamic imports becomes a chunk of its own, sharing chunks with the
 * other commands for what they have in common (scripts/build.mjs); under tests they are ordinary
 * module imports.
 */
import type { ArgsBuilder } from '../args/declare.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../../src/index.js';
import { globalDeclaration } from '../flags.js';

export interface CommandSpec {
  name: string;
  describe: string;
  /** Declares the command's flags, positionals, examples and epilogue (plugin/args/declare.ts). */
  builder: (y: ArgsBuilder) => ArgsBuilder;
  run: (argv: Record<string, unknown>, ctx: CommandContext) => Promise<number>;
  /** The command watches ctx.signal and ends cleanly itself (exit code of its choosing). */
  handlesInterrupt?: boolean;
}

/** The command's first word, and how to load its declaration. */
export interface CommandEntry {
  word: string;
  load: () => Promise<CommandSpec>;
}

export const commandIndex: CommandEntry[] = [
  { word: 'validate', load: async () => (await import('./validate.js')).validateCommand },
  { word: 'apply', load: async () => (await import('./apply.js')).applyCommand },
  { word: 'drift', load: async () => (await import('./drift.js')).driftCommand },
  { word: 'history', load: async () => (await import('./history.js')).historyCommand },
  { word: 'rollback', load: async () => (await import('./rollback.js')).rollbackCommand },
  { word: 'list', load: async () => (await import('./list.js')).listCommand },
  { word: 'recover', load: async () => (await import('./recover.js')).recoverCommand },
  { word: 'delete', load: async () => (await import('./delete.js')).deleteCommand },
  { word: 'sim', load: async () => (await import('./sim.js')).simCommand },
];

/** Global flags (plugin/flags.ts) that take a value as the next word: `-n shop`, `--context prod`. */
const GLOBAL_FLAGS_WITH_VALUE = new Set(
  globalDeclaration.flags.filter((f) => f.type !== 'boolean' && !f.optionalValue).flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])]),
);

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

/** The command named `word`, or a usage error that lists the commands. */
export function findCommand(word: string): CommandEntry {
  const entry = commandIndex.find((e) => e.word === word);
  if (entry) return entry;
  throw usageError(`unknown command "${word}"`, `the commands are: ${commandIndex.map((e) => e.word).join(', ')} (kubectl kd --help)`);
}
