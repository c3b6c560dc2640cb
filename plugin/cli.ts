/**
 * Command-line declarations. Each command maps its flags to an options value and calls a
 * `run(options, ctx)` function that returns an exit code; nothing here does the work. Flags
 * shared with kubectl keep kubectl's names and meanings (-n, --context, --kubeconfig, -o).
 */
import yargs, { type Argv } from 'yargs';
import { ExitCode, usageError } from '../src/index.js';
import type { CommandContext } from './context.js';
import { handleError } from './handle-error.js';
import { loadCommands } from './commands/index.js';
import { STDIN_ARG } from './flags.js';

export { STDIN_ARG, globalFlags, type GlobalFlags } from './flags.js';

/**
 * Flags whose value is optional, as kubectl declares them (pflag's NoOptDefVal): a bare `--dry-run`
 * means `--dry-run=client`, and the word after it is an argument (a path), not its value, unless
 * it is one of the flag's values. yargs has no such flags, so they are spelled out before parsing.
 */
const OPTIONAL_VALUE_FLAGS: Record<string, { implied: string; values: readonly string[] }> = {
  '--dry-run': { implied: 'client', values: ['none', 'client', 'server'] },
};

export function withOptionalValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = OPTIONAL_VALUE_FLAGS[arg];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!flag) {
      out.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && flag.values.includes(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(`${arg}=${flag.implied}`);
  }
  return out;
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

async function parseAndRun(colorArgs: string[], ctx: CommandContext, setVerbose: (v: boolean) => void): Promise<number> {
  let exitCode: number = ExitCode.ok;
  // yargs drops a lone `-` (stdin, as kubectl's `-f -`); carry it through as a placeholder.
  const argsForYargs = withOptionalValues(colorArgs).map((a) => (a === '-' ? STDIN_ARG : a));
  let parser: Argv = yargs(argsForYargs)
    .scriptName('kubectl kd')
    .usage('$0 <command> [options]\n\nValidate, drift-check, apply and simulate Kubernetes manifests kept in files.')
    .option('namespace', { alias: 'n', type: 'string', describe: 'namespace for namespaced objects that set none', global: true })
    .option('context', { type: 'string', describe: 'kubeconfig context to use', global: true })
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file', global: true })
    .option('sim', { type: 'boolean', default: false, describe: 'run against an in-process kd sim instead of a kubeconfig cluster', global: true })
    .option('verbose', { type: 'boolean', default: false, describe: 'more detail, and stack traces for internal errors', global: true })
    .option('color', { type: 'boolean', describe: 'colour: --color (or =always), --no-color (or --color=never), --color=auto (default: on for a TTY unless NO_COLOR is set)', global: true })
    .version(ctx.version)
    .help()
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'a command is required: kubectl kd <command> (see --help)')
    .wrap(Math.min(110, ctx.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw usageError(message ?? 'invalid arguments', 'run with --help to see the accepted flags');
    });
  for (const command of await loadCommands(colorArgs)) {
    parser = parser.command(
      command.name,
      command.describe,
      (y) => command.builder(y),
      async (argv) => {
        setVerbose(argv.verbose === true);
        if (ctx.interrupt) ctx.interrupt.handled = command.handlesInterrupt === true;
        exitCode = await command.run(argv as Record<string, unknown>, ctx);
      },
    );
  }
  skipHelpCache(parser);
  await parser.parseAsync();
  return exitCode;
}

/**
 * `--color=always|never|auto` (the GNU and kubectl-plugin spelling) as the boolean flag yargs
 * knows: always → --color, never → --no-color, auto → no flag. Returns the flag's value too,
 * because errors raised before yargs parses are printed with it.
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

/**
 * yargs renders the whole help text before it runs a command, to have it at hand should the
 * command fail; kd never shows help once a command has started (its failures go through
 * handleError), and that rendering (cliui, string-width, wrap-ansi) was a tenth of the start-up
 * of `kubectl kd validate` on a small file. `--help` itself renders as before.
 */
function skipHelpCache(parser: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
