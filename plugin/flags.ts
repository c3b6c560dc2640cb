/**
 * The flags every command shares with kubectl, read from parsed arguments. Kept apart from the
 * CLI wiring so that a command module can use them without loading every other command.
 */

/** Stands for a lone `-` on the command line until the command reads its positionals. */
export const STDIN_ARG = '\u0000stdin';

export interface GlobalFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  sim: boolean;
  verbose: boolean;
  color?: boolean;
}

export function globalFlags(argv: Record<string, unknown>): GlobalFlags {
  const flags: GlobalFlags = { sim: argv.sim === true, verbose: argv.verbose === true };
  if (typeof argv.namespace === 'string') flags.namespace = argv.namespace;
  if (typeof argv.context === 'string') flags.context = argv.context;
  if (typeof argv.kubeconfig === 'string') flags.kubeconfig = argv.kubeconfig;
  if (typeof argv.color === 'boolean') flags.color = argv.color;
  return flags;
}

