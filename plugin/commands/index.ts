/** The list of kd's commands, in the order --help shows them. */
import type { Argv } from 'yargs';
import type { CommandContext } from '../context.js';
import { validateCommand } from './validate.js';
import { applyCommand } from './apply.js';
import { historyCommand } from './history.js';
import { rollbackCommand } from './rollback.js';
import { listCommand } from './list.js';
import { deleteCommand } from './delete.js';
import { simCommand } from './sim.js';

export interface CommandSpec {
  name: string;
  describe: string;
  builder: (y: Argv) => Argv;
  run: (argv: Record<string, unknown>, ctx: CommandContext) => Promise<number>;
  /** The command watches ctx.signal and ends cleanly itself (exit code of its choosing). */
  handlesInterrupt?: boolean;
}

export const commands: CommandSpec[] = [validateCommand, applyCommand, historyCommand, rollbackCommand, listCommand, deleteCommand, simCommand];
