/**
 * The list of kd's commands, in the order --help shows them. Each command's module is loaded
 * only when that command runs (or for the overall --help), so `kubectl kd validate` never loads
 * the cluster client, the simulator or the terminal UI: start-up time is part of the product.
 * In the build each of these dynamic imports becomes a chunk of its own, sharing chunks with the
 * other commands for what they have in common (scripts/build.mjs); under tests they are ordinary
 * module imports.
 */
import type { Argv } from 'yargs';
import type { CommandContext } from '../context.js';

export interface CommandSpec {
  name: string;
  describe: string;
  builder: (y: Argv) => Argv;
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

/** The declarations needed for these arguments: the named command's only, else all (help, typos). */
export async function loadCommands(args: readonly string[]): Promise<CommandSpec[]> {
  const entry = commandIndex.find((e) => args.includes(e.word));
  if (entry) return [await entry.load()];
  if (args.length === 1 && args[0] === '--version') return [];
  return Promise.all(commandIndex.map((e) => e.load()));
}
