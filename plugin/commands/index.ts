/** The list of kd's commands, in the order --help shows them. */
import type { Argv } from 'yargs';
import type { CommandContext } from '../context.js';
import { validateCommand } from './validate.js';

export interface CommandSpec {
  name: string;
  describe: string;
  builder: (y: Argv) => Argv;
  run: (argv: Record<string, unknown>, ctx: CommandContext) => Promise<number>;
}

export const commands: CommandSpec[] = [validateCommand];
