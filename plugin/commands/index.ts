/**
 * The list of kd's commands, in the order --help shows them (plugin/command-word.ts), each with
 * how to load its module (./loaders.js): a command's module is loaded only when that command runs
 * (or for the overall --help), so `kubectl kd validate` never loads the cluster client, the
 * simulator or the terminal UI: start-up time is part of the product. In the build, each
 * command's bundle file holds only its own command (scripts/build.mjs replaces ./loaders.js).
 */
import type { ArgsBuilder } from '../args/declare.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../../src/index.js';
import { COMMAND_WORDS, commandWord } from '../command-word.js';
import { commandLoaders } from './loaders.js';

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

export const commandIndex: CommandEntry[] = COMMAND_WORDS.map((word) => ({ word, load: commandLoaders[word] }));

export { commandWord };

/** The command named `word`, or a usage error that lists the commands. */
export function findCommand(word: string): CommandEntry {
  const entry = commandIndex.find((e) => e.word === word);
  if (entry) return entry;
  throw usageError(`unknown command "${word}"`, `the commands are: ${commandIndex.map((e) => e.word).join(', ')} (kubectl kd --help)`);
}
