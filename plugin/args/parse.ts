/**
 * kd's argument parser: turns the words after `kubectl kd` into the record a command's `run`
 * reads (flag names in kebab case, as declared; positionals by name), from the declarations of
 * kd's global flags and of the one command named (declare.ts), or refuses them with a usage
 * error (exit 2) that says what is wrong, where, and how to fix it. It reads flags as kubectl's
 * do: `-n x`, `-nx`, `-n=x`, `--namespace x`, `--namespace=x`, grouped one-letter flags
 * (`-An x`), `--no-FLAG` for yes/no flags, the last value of a flag given twice (unless the flag
 * is repeatable), `--` ending the flags, and a lone `-` among the paths as standard input.
 * `--help` and `--version` are the CLI's (cli.ts), seen before parsing.
 */
import { closest, usageError } from '../../src/index.js';
import { STDIN_ARG } from '../flags.js';
import type { Declaration, FlagDecl } from './declare.js';

export type ParsedArgs = Record<string, unknown>;

/** A value-taking flag takes the next word unless it is another flag (a negative number is a value). */
function isFlagWord(word: string): boolean {
  return word.startsWith('-') && word !== '-' && !/^-\d/.test(word);
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/**
 * Parses `args` (colour flags already normalised, cli.ts) for the command `word`, whose
 * declaration is `command`; `global` holds kd's own flags. The first positional is the command
 * word itself.
 */
export function parseArgs(args: readonly string[], global: Declaration, command: Declaration, word: string): ParsedArgs {
  const where = `kubectl kd ${word}`;
  const byName = new Map<string, FlagDecl>();
  const byLetter = new Map<string, FlagDecl>();
  for (const flag of [...global.flags, ...command.flags]) {
    byName.set(flag.name, flag);
    if (flag.alias) byLetter.set(flag.alias, flag);
  }
  const values = new Map<string, unknown>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];

  function unknownFlag(spelled: string): never {
    // A one-letter flag has no near miss worth naming.
    const candidates = spelled.startsWith('--') ? [...byName.values()].flatMap((f) => [`--${f.name}`, ...(f.type === 'boolean' ? [`--no-${f.name}`] : [])]) : [];
    const [near] = closest(spelled, candidates);
    const list = `\`${where} --help\` lists its flags`;
    throw usageError(`unknown flag ${spelled} for ${where}`, near ? `did you mean ${near}? (${list})` : list);
  }

  const store = (flag: FlagDecl, value: unknown): void => {
    if (flag.array || flag.repeatable) {
      const list = lists.get(flag.name) ?? [];
      list.push(value as string);
      lists.set(flag.name, list);
    } else values.set(flag.name, value);
  };

  const convert = (flag: FlagDecl, spelled: string, text: string): unknown => {
    if (flag.type === 'number') {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(n)) throw usageError(`${spelled} takes a number, not "${text}"`, `e.g. ${spelled} ${typeof flag.default === 'number' ? flag.default : 1}`);
      return n;
    }
    if (flag.choices && !flag.choices.includes(text))
      throw usageError(`${spelled} takes ${flag.choices.map((c) => `"${c}"`).join(', ')}, not "${text}"`, `e.g. ${spelled} ${flag.choices[0]}`);
    return text;
  };

  /** Reads one flag's value: from `inline` (after `=` or the letter), else from the next word. Returns how many words it took. */
  const take = (flag: FlagDecl, spelled: string, inline: string | undefined, next: string | undefined): number => {
    if (flag.type === 'boolean') {
      if (inline !== undefined) {
        const b = parseBoolean(inline);
        if (b === undefined) throw usageError(`${spelled}=${inline}: ${spelled} is a yes/no flag and takes true or false`, `use ${spelled}, ${spelled}=false or --no-${flag.name}`);
        store(flag, b);
        return 0;
      }
      // As before kd had its own parser: `--strict false` reads the word as the flag's value.
      if (next === 'true' || next === 'false') {
        store(flag, next === 'true');
        return 1;
      }
      store(flag, true);
      return 0;
    }
    if (flag.optionalValue) {
      if (inline !== undefined) store(flag, inline);
      else if (next !== undefined && flag.optionalValue.values.includes(next)) {
        store(flag, next);
        return 1;
      } else store(flag, flag.optionalValue.implied);
      return 0;
    }
    if (inline !== undefined) {
      store(flag, convert(flag, spelled, inline));
      return 0;
    }
    if (next === undefined) throw usageError(`${spelled} needs a value, and nothing follows it`, `give it as ${spelled} VALUE or ${spelled}=VALUE`);
    if (isFlagWord(next))
      throw usageError(`${spelled} needs a value, but the next word is the flag ${next}`, `give it as ${spelled} VALUE (or ${spelled}=VALUE for a value that starts with -)`);
    store(flag, convert(flag, spelled, next));
    return 1;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const flag = byName.get(name);
      if (flag) {
        i += take(flag, `--${name}`, inline, args[i + 1]);
        continue;
      }
      const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
      if (negated?.type === 'boolean') {
        if (inline !== undefined) throw usageError(`--${name} takes no value`, `use --${name}, or --${negated.name}=${inline === 'false' ? 'true' : 'false'}`);
        store(negated, false);
        continue;
      }
      unknownFlag(`--${name}`);
    }
    if (arg.startsWith('-') && arg !== '-') {
      // One-letter flags: yes/no ones may be grouped (-An x); a flag that takes a value takes the rest
      // of the word (-nshop, -o=json, -ojson) or, at its end, the next word.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const flag = byLetter.get(letter);
        if (!flag) unknownFlag(`-${letter}`);
        const rest = arg.slice(j + 1);
        if (flag.type === 'boolean' && !rest.startsWith('=')) {
          if (rest === '') i += take(flag, `-${letter}`, undefined, args[i + 1]);
          else store(flag, true);
          continue;
        }
        const inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
        i += take(flag, `-${letter}`, inline, args[i + 1]);
        break;
      }
      continue;
    }
    positionals.push(arg);
  }

  const argv: ParsedArgs = {};
  for (const flag of [...global.flags, ...command.flags]) {
    const list = lists.get(flag.name);
    if (list) argv[flag.name] = flag.array || list.length > 1 ? list : list[0];
    else if (values.has(flag.name)) argv[flag.name] = values.get(flag.name);
    else if (flag.default !== undefined) argv[flag.name] = flag.default;
  }

  // Only kd's own value flags are skipped when finding the command word (commands/index.ts), so
  // a command's flag before it (`-o validate x`) takes the word as its value.
  if (positionals[0] !== word) throw usageError(`a flag before the command word "${word}" took it as its value`, `put the command first: kubectl kd ${word} [flags]`);
  const words = positionals.slice(1);
  const usage = `kubectl kd ${command.usage}`;
  for (const p of command.positionals) {
    // Only the inputs (`[paths..]`) can be standard input; a release called `-` is refused by name.
    if (p.variadic) {
      argv[p.name] = words.splice(0).map((w) => (w === '-' ? STDIN_ARG : w));
      continue;
    }
    const value = words.shift();
    if (value !== undefined) argv[p.name] = value;
    else if (p.required) throw usageError(`${where} needs <${p.name}>${p.describe ? ` (${p.describe})` : ''}`, `usage: ${usage} (see \`${where} --help\`)`);
  }
  if (words.length > 0) {
    const what = words.map((w) => `"${w}"`).join(', ');
    const takes = command.positionals.length === 0 ? 'takes no arguments' : `takes ${command.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ')}`;
    throw usageError(`unexpected argument${words.length > 1 ? 's' : ''} ${what}: ${where} ${takes}`, `usage: ${usage} (see \`${where} --help\`)`);
  }
  return argv;
}
