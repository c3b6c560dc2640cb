/**
 * The one place where an error becomes a message and an exit code. Known errors (KdError) are
 * printed as `error: what` plus a `hint:` line; anything else is a bug, printed with a request to
 * report it, and with its stack only under --verbose.
 */
import { ExitCode, KdError, exitCodeFor } from '../src/index.js';
import type { CommandContext } from './context.js';
import { stderrStyle } from './context.js';

export function handleError(error: unknown, ctx: CommandContext, options: { verbose: boolean; color?: boolean }): number {
  const style = stderrStyle(ctx, options.color);
  if (error instanceof KdError) {
    if (error.kind === 'interrupted') {
      ctx.stderr.write(`${style.yellow('interrupted')}: ${error.message}\n`);
      return ExitCode.interrupted;
    }
    ctx.stderr.write(`${style.red('error')}: ${error.message}\n`);
    if (error.hint) ctx.stderr.write(`${style.dim('hint')}: ${error.hint}\n`);
    if (options.verbose && error.cause instanceof Error && error.cause.stack) ctx.stderr.write(`${error.cause.stack}\n`);
    return exitCodeFor(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`${style.red('error')}: internal error: ${message}\n`);
  if (options.verbose && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  else ctx.stderr.write(`${style.dim('hint')}: this is a bug in kubectl-kd; run again with --verbose and report the output\n`);
  return ExitCode.error;
}
