/**
 * Command-line declarations. Each command maps its flags to an options value and calls a
 * `run(options, ctx)` function that returns an exit code; nothing here does the work. Flags
 * shared with kubectl keep kubectl's names and meanings (-n, --context, --kubeconfig, -o).
 * Arguments are read by kd's own parser (plugin/args/) from kd's global flags (flags.ts) and the
 * one named command's declaration, so a command's start-up pays only for reading its own flags.
 */
import { ExitCode, usageError } from '../src/index.js';
import type { CommandContext } from './context.js';
import { handleError } from './handle-error.js';
import { commandIndex, commandWord, findCommand, type CommandEntry, type CommandSpec } from './commands/index.js';
import { asksForHelp } from './command-word.js';
import { declare, type Declaration } from './args/declare.js';
import { globalDeclaration } from './flags.js';
import { parseArgs } from './args/parse.js';

export { STDIN_ARG, globalDeclaration, globalFlags, type GlobalFlags } from './flags.js';

/** A command's declaration, read from its builder. */
export function commandDeclaration(spec: CommandSpec): Declaration {
  return declare(spec.name, spec.describe, spec.builder);
}

export async function runCli(args: string[], ctx: CommandContext): Promise<number> {
  let verbose = args.includes('--verbose');
  let color: boolean | undefined;
  try {
    const normalized = normalizeColorArgs(args);
    color = normalized.color;
    return await parseAndRun(normalized.args, ctx, (v) => (verbose = v));
  } catch (error) {
    return handleError(error, ctx, { verbose, ...(color === undefined ? {} : { color }) });
  }
}

async function parseAndRun(args: string[], ctx: CommandContext, setVerbose: (v: boolean) => void): Promise<number> {
  const end = args.indexOf('--');
  const flagWords = end < 0 ? args : args.slice(0, end);
  const word = commandWord(args);
  // An unknown command is named even when help or the version is asked for.
  const entry = word === undefined ? undefined : findCommand(word);
  // Help and the version are answered before parsing, so that they work whatever else is on the line.
  if (asksForHelp(args)) return printHelp(ctx, entry);
  if (flagWords.includes('--version')) return printVersion(ctx);
  if (entry === undefined || word === undefined) throw usageError('a command is required: kubectl kd <command> (see --help)', 'run with --help to see the accepted flags');
  const command = await entry.load();
  const argv = parseArgs(args, globalDeclaration, commandDeclaration(command), word);
  // Spelled so that the words above do not show them: `-Ah`, `--help=true`.
  if (argv.help === true) return printHelp(ctx, entry);
  if (argv.version === true) return printVersion(ctx);
  setVerbose(argv.verbose === true);
  if (ctx.interrupt) ctx.interrupt.handled = command.handlesInterrupt === true;
  return command.run(argv, ctx);
}

async function printHelp(ctx: CommandContext, entry: CommandEntry | undefined): Promise<number> {
  const { renderHelp } = await import('./args/help.js');
  const width = Math.min(110, ctx.stdout.columns ?? 100);
  const text = entry
    ? renderHelp(globalDeclaration, { command: commandDeclaration(await entry.load()), width })
    : renderHelp(globalDeclaration, { commands: (await Promise.all(commandIndex.map((e) => e.load()))).map(commandDeclaration), width });
  ctx.stdout.write(text);
  return ExitCode.ok;
}

function printVersion(ctx: CommandContext): number {
  ctx.stdout.write(`${ctx.version}\n`);
  return ExitCode.ok;
}

/**
 * `--color=always|never|auto` (the GNU and kubectl-plugin spelling) as the yes/no flag the
 * parser knows: always → --color, never → --no-color, auto → no flag. Returns the flag's value
 * too, because errors raised before parsing are printed with it.
 */
export function normalizeColorArgs(args: readonly string[]): { args: string[]; color?: boolean } {
  let color: boolean | undefined;
  const out: string[] = [];
  for (const a of args) {
    const m = /^--colou?r=(.*)$/.exec(a);
    if (a === '--') {
      out.push(...args.slice(args.indexOf(a)));
      break;
    }
    if (m) {
      const when = m[1]!.toLowerCase();
      if (when === 'always' || when === 'true') (color = true), out.push('--color');
      else if (when === 'never' || when === 'false') (color = false), out.push('--no-color');
      else if (when === 'auto') color = undefined;
      else throw usageError(`--color=${m[1]} is not a colour mode`, 'use --color=always, --color=never or --color=auto');
      continue;
    }
    if (a === '--color') color = true;
    if (a === '--no-color') color = false;
    out.push(a);
  }
  return color === undefined ? { args: out } : { args: out, color };
}
