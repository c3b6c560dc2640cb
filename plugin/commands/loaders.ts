/**
 * How to load each command's module: a dynamic import each, so that a command line loads only
 * the command it names. Under tests and for the overall --help, every command is here; the
 * build gives each command's bundle file a replacement of this module that holds only that
 * command (scripts/build.mjs), so one command's bundle never carries the others.
 */
import type { CommandWord } from '../command-word.js';
import type { CommandSpec } from './index.js';

export const commandLoaders: Record<CommandWord, () => Promise<CommandSpec>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  drift: async () => (await import('./drift.js')).driftCommand,
  history: async () => (await import('./history.js')).historyCommand,
  rollback: async () => (await import('./rollback.js')).rollbackCommand,
  list: async () => (await import('./list.js')).listCommand,
  recover: async () => (await import('./recover.js')).recoverCommand,
  delete: async () => (await import('./delete.js')).deleteCommand,
  sim: async () => (await import('./sim.js')).simCommand,
};
