/**
 * `--max-input-size`, `--allow-remote` and `--exclude`: how the commands that read manifests
 * (validate, apply, drift, apply --watch) read their inputs. One definition, so the four commands
 * agree on which files they read. Kept out of flags.ts, which the CLI wiring loads for
 * every command, because parsing them reports usage errors through the core.
 */
import { parseIgnorePatterns, usageError, type InputOptions } from '../src/index.js';

/** `--max-input-size`, `--allow-remote` and `--exclude`, on every command that reads manifests. */
export type InputFlags = InputOptions;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** Bytes, or a number with a suffix: Ki, Mi, Gi (powers of 1024) or k, M, G (of 1000), optionally followed by B. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(k|K|M|G|Ki|Mi|Gi)?B?\s*$/.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * SIZE_UNITS[m[2] ?? '']!;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export function inputFlags(argv: Record<string, unknown>): InputFlags {
  const flags: InputFlags = {};
  if (argv['allow-remote'] === true) flags.allowRemote = true;
  const raw = argv['max-input-size'];
  if (raw !== undefined) {
    const bytes = parseSize(String(raw));
    if (bytes === undefined) throw usageError(`--max-input-size ${String(raw)} is not a size`, 'give bytes or a size such as 64Mi or 1Gi');
    flags.maxInputBytes = bytes;
  }
  const exclude = ([] as unknown[]).concat(argv.exclude ?? []).map(String);
  if (exclude.length > 0) flags.exclude = parseIgnorePatterns(exclude.join('\n'));
  return flags;
}

export const INPUT_FLAG_OPTIONS = {
  'max-input-size': { type: 'string', describe: 'refuse any input (file, stdin, pipe) larger than this, e.g. 128Mi (default 64Mi)' },
  'allow-remote': { type: 'boolean', default: false, describe: 'let kustomizations fetch remote bases (git, http); off: kd stays offline' },
  exclude: { type: 'string', repeatable: true, describe: 'paths to leave out of folder walks, a gitignore-style pattern (repeatable; also .kdignore)' },
} as const;
