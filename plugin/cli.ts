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
  let exitCode: number = ExitCode.ok;
  let verbose = args.includes('--verbose');
  const color = args.includes('--no-color') ? false : args.includes('--color') ? true : undefined;
  // yargs drops a lone `-` (stdin, as kubectl's `-f -`); carry it through as a placeholder.
  const argsForYargs = withOptionalValues(args).map((a) => (a === '-' ? STDIN_ARG : a));
  let parser: Argv = yargs(argsForYargs)
    .scriptName('kubectl kd')
    .usage('$0 <command> [options]\n\nValidate, drift-check, apply and simulate Kubernetes manifests kept in files.')
    .option('namespace', { alias: 'n', type: 'string', describe: 'namespace for namespaced objects that set none', global: true })
    .option('context', { type: 'string', describe: 'kubeconfig context to use', global: true })
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file', global: true })
    .option('sim', { type: 'boolean', default: false, describe: 'run against an in-process kd sim instead of a kubeconfig cluster', global: true })
    .option('verbose', { type: 'boolean', default: false, describe: 'more detail, and stack traces for internal errors', global: true })
    .option('color', { type: 'boolean', describe: 'force colour on or off (default: on for a TTY unless NO_COLOR is set)', global: true })
    .version(ctx.version)
    .help()
    .alias('help', 'h')
    .strict()
    .demandCommand(1, 'a command is required: kubectl kd <command> (see --help)')
    .recommendCommands()
    .wrap(Math.min(110, ctx.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      const text = message ?? 'invalid arguments';
      // yargs' suggestion alone ("Did you mean validate?") does not say what was wrong.
      if (/^Did you mean /.test(text)) {
        const word = args.find((a) => !a.startsWith('-'));
        throw usageError(`unknown command "${word ?? ''}"; ${text.charAt(0).toLowerCase()}${text.slice(1)}`, 'run kubectl kd --help to see the commands');
      }
      throw usageError(text, 'run with --help to see the accepted flags');
    });
  for (const command of await loadCommands(args)) {
    parser = parser.command(
      command.name,
      command.describe,
      (y) => command.builder(y),
      async (argv) => {
        verbose = argv.verbose === true;
        if (ctx.interrupt) ctx.interrupt.handled = command.handlesInterrupt === true;
        exitCode = await command.run(argv as Record<string, unknown>, ctx);
      },
    );
  }
  skipHelpCache(parser);
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (error) {
    return handleError(error, ctx, { verbose, ...(color === undefined ? {} : { color }) });
  }
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
