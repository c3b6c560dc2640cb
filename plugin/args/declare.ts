/**
 * How a command declares its flags and positionals: the small builder its `builder` function
 * calls (`.option`, `.options`, `.positional`, `.example`, `.epilogue`), and the recording of
 * those calls that the parser (parse.ts) and the help (help.ts) read. One declaration per flag,
 * in the command's module; nothing here parses or prints.
 */

export type FlagType = 'string' | 'boolean' | 'number';

export interface FlagOptions {
  type: FlagType;
  describe: string;
  /** One letter: `-o` for `--output`. */
  alias?: string;
  default?: string | number | boolean;
  /**
   * Repeatable, one value per occurrence (`--crd a --crd b`): the value is a string when given
   * once and an array of strings when given more than once. A flag that is not repeatable keeps
   * its last value, as kubectl's flags do.
   */
  repeatable?: boolean;
  /** Always an array, one value per occurrence (`--notify URL` may be given again). */
  array?: boolean;
  /** The only values the flag takes. */
  choices?: readonly string[];
  /**
   * The flag's value is optional (kubectl's NoOptDefVal): a bare `--dry-run` means `implied`, and
   * the word after it is its value only when it is one of `values` (else it is an argument).
   */
  optionalValue?: { implied: string; values: readonly string[] };
}

export interface PositionalOptions {
  type: 'string';
  describe: string;
  array?: boolean;
}

/** The builder a command's declaration receives. */
export interface ArgsBuilder {
  option(name: string, options: FlagOptions): ArgsBuilder;
  options(options: Readonly<Record<string, FlagOptions>>): ArgsBuilder;
  positional(name: string, options: PositionalOptions): ArgsBuilder;
  /** `$0` stands for `kubectl kd`. */
  example(command: string, description: string): ArgsBuilder;
  epilogue(text: string): ArgsBuilder;
}

export interface FlagDecl extends FlagOptions {
  name: string;
}

export interface PositionalDecl {
  name: string;
  describe: string;
  required: boolean;
  /** `[paths..]`: takes every remaining argument. */
  variadic: boolean;
}

/** What one command (or kd itself) declared. */
export interface Declaration {
  /** `history <name>`, as the command spec names it; kd's own is `<command>`. */
  usage: string;
  describe: string;
  flags: FlagDecl[];
  positionals: PositionalDecl[];
  examples: Array<[command: string, description: string]>;
  epilogue?: string;
}

/**
 * Records a builder's calls. The positionals' order and arity come from the usage string
 * (`rollback <name> [revision]`, `apply [paths..]`), their descriptions from `.positional`.
 */
export function declare(usage: string, describe: string, builder: (y: ArgsBuilder) => ArgsBuilder): Declaration {
  const positionals: PositionalDecl[] = [];
  for (const word of usage.split(/\s+/).slice(1)) {
    const m = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(word);
    if (!m) throw new Error(`command usage "${usage}": cannot read "${word}"`);
    positionals.push({ name: m[2]!, describe: '', required: m[1] === '<', variadic: m[3] !== undefined });
  }
  const declaration: Declaration = { usage, describe, flags: [], positionals, examples: [] };
  const recorder: ArgsBuilder = {
    option(name, options) {
      const at = declaration.flags.findIndex((f) => f.name === name);
      if (at >= 0) declaration.flags.splice(at, 1);
      declaration.flags.push({ ...options, name });
      return recorder;
    },
    options(options) {
      for (const [name, o] of Object.entries(options)) recorder.option(name, o);
      return recorder;
    },
    positional(name, options) {
      const p = positionals.find((x) => x.name === name);
      if (!p) throw new Error(`command usage "${usage}" has no positional "${name}"`);
      p.describe = options.describe;
      return recorder;
    },
    example(command, description) {
      declaration.examples.push([command, description]);
      return recorder;
    },
    epilogue(text) {
      declaration.epilogue = text;
      return recorder;
    },
  };
  builder(recorder);
  return declaration;
}
