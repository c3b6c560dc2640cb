/**
 * What a command may touch of the outside world, passed in so that commands run in-process in
 * tests: output streams, environment, working directory, standard input, and an abort signal
 * raised by SIGINT/SIGTERM.
 */
import type { Readable, Writable } from 'node:stream';
import { makeStyle, shouldColor, type Style } from './output/style.js';

export interface CommandContext {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
  version: string;
  /**
   * Set by the CLI to whether the running command stops cleanly on its own when `signal` aborts
   * (releasing locks, marking revisions). Commands that do not are ended at once on Ctrl-C.
   */
  interrupt?: { handled: boolean };
}

export function stdoutStyle(ctx: CommandContext, colorFlag?: boolean): Style {
  return makeStyle(shouldColor(ctx.stdout, ctx.env, colorFlag));
}

export function stderrStyle(ctx: CommandContext, colorFlag?: boolean): Style {
  return makeStyle(shouldColor(ctx.stderr, ctx.env, colorFlag));
}
