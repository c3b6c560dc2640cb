/**
 * The flags every command shares with kubectl: their declaration (kd's global flags, which the
 * parser and `--help` read) and their values, read from parsed arguments. Kept apart from the
 * CLI wiring so that a command module can use them without loading every other command.
 */

import { declare, type ArgsBuilder, type Declaration } from './args/declare.js';
import { usageError } from '../src/index.js';

/** Stands for a lone `-` on the command line until the command reads its positionals. */
export const STDIN_ARG = '\u0000stdin';

/** kd's own flags, on every command (and the first word that is not one of them names the command). */
export const globalDeclaration: Declaration = declare('<command> [options]', 'Validate, drift-check, apply and simulate Kubernetes manifests kept in files.', (y) =>
  y
    .option('namespace', { alias: 'n', type: 'string', describe: 'namespace for namespaced objects that set none' })
    .option('context', { type: 'string', describe: 'kubeconfig context to use' })
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file' })
    .option('sim', { type: 'boolean', default: false, describe: 'run against an in-process kd sim instead of a kubeconfig cluster' })
    .option('verbose', { type: 'boolean', default: false, describe: 'more detail, and stack traces for internal errors' })
    .option('color', { type: 'boolean', describe: 'colour: --color (or =always), --no-color (or --color=never), --color=auto (default: on for a TTY unless NO_COLOR is set)' })
    .option('version', { type: 'boolean', describe: 'Show version number' })
    .option('help', { alias: 'h', type: 'boolean', describe: 'Show help' }),
);

export interface GlobalFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  sim: boolean;
  verbose: boolean;
  color?: boolean;
}

/** `-o`: one of the command's `formats` (the first is the default); any other is a usage error that lists them. */
export function outputFlag<const F extends readonly string[]>(argv: Record<string, unknown>, command: string, formats: F): F[number] {
  const output = String(argv.output ?? formats[0]);
  if (!formats.includes(output)) {
    const choices = formats.map((f) => `-o ${f}`);
    throw usageError(`unknown output format "${output}" for ${command}`, `use ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`);
  }
  return output;
}

/** `--storage` and `--storage-namespace` as given (the environment is read where they are parsed). */
export function storageFlags(argv: Record<string, unknown>): { storage?: string; storageNamespace?: string } {
  return {
    ...(typeof argv.storage === 'string' ? { storage: argv.storage } : {}),
    ...(typeof argv['storage-namespace'] === 'string' ? { storageNamespace: argv['storage-namespace'] } : {}),
  };
}

/** Declares the storage flags on a command that reads or writes release records. */
export function withStorageOptions(y: ArgsBuilder): ArgsBuilder {
  return y
    .option('storage', { type: 'string', describe: 'where release records live: secret (default) | configmap | file:DIR (or KD_STORAGE)' })
    .option('storage-namespace', { type: 'string', describe: 'namespace of the records and the release lock, created when missing (default: the release\'s; or KD_STORAGE_NAMESPACE)' });
}

export function globalFlags(argv: Record<string, unknown>): GlobalFlags {
  const flags: GlobalFlags = { sim: argv.sim === true, verbose: argv.verbose === true };
  if (typeof argv.namespace === 'string') flags.namespace = argv.namespace;
  if (typeof argv.context === 'string') flags.context = argv.context;
  if (typeof argv.kubeconfig === 'string') flags.kubeconfig = argv.kubeconfig;
  if (typeof argv.color === 'boolean') flags.color = argv.color;
  return flags;
}

