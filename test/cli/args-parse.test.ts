/**
 * kd's argument parser (plugin/args/parse.ts), case by case against the real declarations of
 * kd's global flags and its commands: what each valid command line gives the command, and the
 * usage error (what, where, how to fix) each invalid one gets. The cases marked "changed" read
 * differently from the yargs-based CLI before it (see the notes at each).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KdError } from '../../src/index.js';
import { commandDeclaration, globalDeclaration } from '../../plugin/cli.js';
import { commandIndex, commandWord } from '../../plugin/commands/index.js';
import { declare, type Declaration } from '../../plugin/args/declare.js';
import { parseArgs } from '../../plugin/args/parse.js';
import { STDIN_ARG } from '../../plugin/flags.js';
import { kdInProcess } from './support/cli-sim.js';

const declarations = new Map<string, Declaration>();
beforeAll(async () => {
  for (const entry of commandIndex) declarations.set(entry.word, commandDeclaration(await entry.load()));
});

function parse(args: string[]): Record<string, unknown> {
  const word = commandWord(args)!;
  return parseArgs(args, globalDeclaration, declarations.get(word)!, word);
}

function usageErrorOf(args: string[]): { message: string; hint?: string } {
  try {
    parse(args);
  } catch (error) {
    expect(error).toBeInstanceOf(KdError);
    expect((error as KdError).kind).toBe('usage');
    return { message: (error as KdError).message, ...((error as KdError).hint === undefined ? {} : { hint: (error as KdError).hint }) };
  }
  throw new Error(`${JSON.stringify(args)} parsed without an error`);
}

const GLOBAL = { sim: false, verbose: false };
const VALIDATE = { ...GLOBAL, 'allow-remote': false, cluster: false, output: 'text', strict: true };
const DRIFT = { ...GLOBAL, 'all-namespaces': false, 'all-releases': false, 'allow-remote': false, concurrency: 16, diff: false, output: 'text', 'show-foreign': false };
const APPLY = {
  ...GLOBAL,
  'allow-empty': false,
  'allow-remote': false,
  atomic: false,
  concurrency: 8,
  diff: false,
  'dry-run': 'none',
  'force-conflicts': false,
  hooks: true,
  output: 'text',
  prune: false,
  'self-heal': false,
  timeout: '5m',
  tui: true,
  'wait-for-lock': false,
  watch: false,
};
const ROLLBACK = { ...GLOBAL, 'force-conflicts': false, hooks: true, output: 'text', timeout: '5m', 'wait-for-lock': false };
const LIST = { ...GLOBAL, 'all-namespaces': false, output: 'text', pending: false };
const SIM = { ...GLOBAL, 'add-context': false, auth: true, force: false, host: '127.0.0.1', 'log-requests': false, nodes: 3, port: 0, speed: 1, tls: false };

describe('valid command lines give the command its flags and positionals', () => {
  it.each<[string[], Record<string, unknown>]>([
    [['validate', 'a.yaml'], { ...VALIDATE, paths: ['a.yaml'] }],
    // Global flags, in every spelling kubectl takes, before or after the command word.
    [['validate', '-n', 'x', 'a.yaml'], { ...VALIDATE, namespace: 'x', paths: ['a.yaml'] }],
    [['validate', '--namespace=x', 'a.yaml'], { ...VALIDATE, namespace: 'x', paths: ['a.yaml'] }],
    [['--namespace', 'x', 'validate', 'a.yaml'], { ...VALIDATE, namespace: 'x', paths: ['a.yaml'] }],
    [['validate', '--namespace=a=b', 'a'], { ...VALIDATE, namespace: 'a=b', paths: ['a'] }],
    [['validate', '-n=x', 'a'], { ...VALIDATE, namespace: 'x', paths: ['a'] }],
    // changed: yargs read -nx as -n -x ("Unknown argument: x") and -nshop as five flags (showing help); kubectl reads -nx as -n x.
    [['validate', '-nx', 'a.yaml'], { ...VALIDATE, namespace: 'x', paths: ['a.yaml'] }],
    [['validate', '-nshop', 'a.yaml'], { ...VALIDATE, namespace: 'shop', paths: ['a.yaml'] }],
    [['--context', 'c', 'validate', 'a', '--kubeconfig', 'k'], { ...VALIDATE, context: 'c', kubeconfig: 'k', paths: ['a'] }],
    [['validate', 'a', '--kubeconfig='], { ...VALIDATE, kubeconfig: '', paths: ['a'] }],
    // Yes/no flags.
    [['validate', 'a', '--sim'], { ...VALIDATE, sim: true, paths: ['a'] }],
    [['validate', 'a', '--sim=false'], { ...VALIDATE, paths: ['a'] }],
    [['validate', 'a', '--sim', 'false'], { ...VALIDATE, paths: ['a'] }],
    [['validate', 'a', '--sim', 'true'], { ...VALIDATE, sim: true, paths: ['a'] }],
    [['validate', 'a', '--sim', '--sim'], { ...VALIDATE, sim: true, paths: ['a'] }],
    // changed: yargs read --sim=1 and --sim=TRUE as false.
    [['validate', 'a', '--sim=1'], { ...VALIDATE, sim: true, paths: ['a'] }],
    [['validate', 'a', '--sim=TRUE'], { ...VALIDATE, sim: true, paths: ['a'] }],
    [['validate', 'a', '--no-color'], { ...VALIDATE, color: false, paths: ['a'] }],
    [['validate', 'a', '--color'], { ...VALIDATE, color: true, paths: ['a'] }],
    [['validate', 'a', '--no-strict'], { ...VALIDATE, strict: false, paths: ['a'] }],
    [['validate', 'a', '--strict=false'], { ...VALIDATE, strict: false, paths: ['a'] }],
    [['validate', 'a', '--strict', '--no-strict'], { ...VALIDATE, strict: false, paths: ['a'] }],
    [['validate', '--no-verbose', 'a'], { ...VALIDATE, paths: ['a'] }],
    // A word after a yes/no flag that is not exactly true or false is an argument.
    [['validate', 'a', '--strict', 'no'], { ...VALIDATE, paths: ['a', 'no'] }],
    [['list', '-A'], { ...LIST, 'all-namespaces': true }],
    [['list', '-A', '-A'], { ...LIST, 'all-namespaces': true }],
    // One-letter flags grouped: yes/no flags, then one that takes the rest or the next word.
    [['list', '-An', 'x'], { ...LIST, 'all-namespaces': true, namespace: 'x' }],
    [['list', '-Anx'], { ...LIST, 'all-namespaces': true, namespace: 'x' }],
    [['sim', '-v'], { ...SIM, 'log-requests': true }],
    // Repeatable flags: a string once, an array when repeated (as the commands read them).
    [['validate', 'a.yaml', '--crd', 'c1'], { ...VALIDATE, crd: 'c1', paths: ['a.yaml'] }],
    [['validate', 'a.yaml', '--crd', 'c1', '--crd', 'c2'], { ...VALIDATE, crd: ['c1', 'c2'], paths: ['a.yaml'] }],
    [['validate', '--crd=a', '--crd', 'b', 'x'], { ...VALIDATE, crd: ['a', 'b'], paths: ['x'] }],
    [['validate', 'a', '--skip', 'Secret', '--skip=ConfigMap'], { ...VALIDATE, skip: ['Secret', 'ConfigMap'], paths: ['a'] }],
    [['validate', 'a', '--exclude', 'x', '--exclude', 'y'], { ...VALIDATE, exclude: ['x', 'y'], paths: ['a'] }],
    [['drift', 'a', '--fail-on', 'new', '--fail-on', 'orphan'], { ...DRIFT, 'fail-on': ['new', 'orphan'], paths: ['a'] }],
    [['drift', 'a', '--fail-on=new,orphan'], { ...DRIFT, 'fail-on': 'new,orphan', paths: ['a'] }],
    [['drift', 'a', '--ignore', 'Kind:/a', '--ignore-file', 'f'], { ...DRIFT, ignore: 'Kind:/a', 'ignore-file': 'f', paths: ['a'] }],
    [['sim', '--allow-host', 'a', '--allow-host', 'b'], { ...SIM, 'allow-host': ['a', 'b'] }],
    [['apply', 'a', '--notify', 'u1', '--notify', 'u2'], { ...APPLY, notify: ['u1', 'u2'], paths: ['a'] }],
    // changed: --notify took every following word (yargs' array), so `b` was lost as a path and posted to.
    [['apply', 'a', '--notify', 'u1', 'b'], { ...APPLY, notify: ['u1'], paths: ['a', 'b'] }],
    // changed: a flag that is not repeatable keeps its last value, as kubectl's do; yargs made an
    // array of them, which the commands then ignored (-n a -n b ran without a namespace).
    [['drift', 'a', '--release', 'r1', '--release', 'r2'], { ...DRIFT, release: 'r2', paths: ['a'] }],
    [['drift', 'a', '-n', 'a', '-n', 'b'], { ...DRIFT, namespace: 'b', paths: ['a'] }],
    [['validate', 'a', '--output', 'json', '-o', 'text'], { ...VALIDATE, output: 'text', paths: ['a'] }],
    [['sim', '--nodes', '1', '--nodes', '2'], { ...SIM, nodes: 2 }],
    // -o in each spelling.
    [['drift', 'a', '-o', 'json'], { ...DRIFT, output: 'json', paths: ['a'] }],
    [['drift', 'a', '-o=json'], { ...DRIFT, output: 'json', paths: ['a'] }],
    // changed: yargs read -ojson as -o -j -s -o -n.
    [['drift', 'a', '-ojson'], { ...DRIFT, output: 'json', paths: ['a'] }],
    // Numbers.
    [['drift', 'a', '--concurrency', '3'], { ...DRIFT, concurrency: 3, paths: ['a'] }],
    [['drift', 'a', '--concurrency=3.5'], { ...DRIFT, concurrency: 3.5, paths: ['a'] }],
    [['drift', 'a', '--concurrency', '-3'], { ...DRIFT, concurrency: -3, paths: ['a'] }],
    [['apply', 'a', '--qps', '5'], { ...APPLY, qps: 5, paths: ['a'] }],
    [['sim', '--speed', '2.5', '--port', '8080'], { ...SIM, speed: 2.5, port: 8080 }],
    // Strings that look like numbers stay strings.
    [['history', '123'], { ...GLOBAL, name: '123', output: 'text' }],
    [['rollback', 'shop', '007'], { ...ROLLBACK, name: 'shop', revision: '007' }],
    [['validate', 'a', '--kubernetes-version', '1.30'], { ...VALIDATE, 'kubernetes-version': '1.30', paths: ['a'] }],
    // Positionals: variadic paths (an empty list when none), required and optional names.
    [['drift', 'a', 'b', 'c'], { ...DRIFT, paths: ['a', 'b', 'c'] }],
    [['drift'], { ...DRIFT, paths: [] }],
    [['drift', '--all-releases', '-A'], { ...DRIFT, 'all-releases': true, 'all-namespaces': true, paths: [] }],
    [['rollback', 'shop', '3'], { ...ROLLBACK, name: 'shop', revision: '3' }],
    [['rollback', 'shop'], { ...ROLLBACK, name: 'shop' }],
    [['recover', 'shop'], { ...GLOBAL, name: 'shop' }],
    [['delete', 'shop', '--keep-history'], { ...GLOBAL, name: 'shop', 'keep-history': true, hooks: true, timeout: '5m', 'wait-for-lock': false }],
    // A lone - is standard input; a flag's value - is the word itself.
    [['drift', '-'], { ...DRIFT, paths: [STDIN_ARG] }],
    [['validate', '-', 'b'], { ...VALIDATE, paths: [STDIN_ARG, 'b'] }],
    [['validate', 'a', '-n', '-'], { ...VALIDATE, namespace: '-', paths: ['a'] }],
    // changed: a release named - reached the command as the stand-in for standard input, and its error message printed a NUL.
    [['history', '-'], { ...GLOBAL, name: '-', output: 'text' }],
    // changed: after --, yargs put the words in argv._, which no command reads (they were ignored).
    [['drift', '--', '-a', '--b'], { ...DRIFT, paths: ['-a', '--b'] }],
    [['drift', 'a', '--', '--release', 'x'], { ...DRIFT, paths: ['a', '--release', 'x'] }],
    [['validate', '-o', 'json', '--', '-'], { ...VALIDATE, output: 'json', paths: [STDIN_ARG] }],
    [['history', '--', '-x'], { ...GLOBAL, name: '-x', output: 'text' }],
    // --dry-run's value is optional: a bare one means client; the next word is its value only if it is one of its values.
    [['apply', 'a', '--dry-run'], { ...APPLY, 'dry-run': 'client', paths: ['a'] }],
    [['apply', '--dry-run', 'a'], { ...APPLY, 'dry-run': 'client', paths: ['a'] }],
    [['apply', '--dry-run', 'server', 'a'], { ...APPLY, 'dry-run': 'server', paths: ['a'] }],
    [['apply', '--dry-run=server', 'a'], { ...APPLY, 'dry-run': 'server', paths: ['a'] }],
    [['apply', '-', '--dry-run', 'client'], { ...APPLY, 'dry-run': 'client', paths: [STDIN_ARG] }],
    // The apply command says what is wrong with another value.
    [['apply', 'a', '--dry-run=bogus'], { ...APPLY, 'dry-run': 'bogus', paths: ['a'] }],
    [['apply', 'a', '--dry-run', '--', 'b'], { ...APPLY, 'dry-run': 'client', paths: ['a', 'b'] }],
    [['apply', 'a', '--no-hooks', '-w'], { ...APPLY, hooks: false, watch: true, paths: ['a'] }],
    [['apply', 'a', '--hooks=false', '--history-max', '5'], { ...APPLY, hooks: false, 'history-max': '5', paths: ['a'] }],
    [['validate', 'a', '--max-input-size', '1Mi', '--verbose'], { ...VALIDATE, 'max-input-size': '1Mi', verbose: true, paths: ['a'] }],
    [['-n', 'x', '--sim', 'list'], { ...LIST, namespace: 'x', sim: true }],
  ])('%j', (args, expected) => {
    expect(parse(args)).toEqual(expected);
  });
});

describe('the declarations', () => {
  it('give every flag one name and one letter at most once per command, kd\'s own flags included', () => {
    for (const [word, declaration] of declarations) {
      const flags = [...globalDeclaration.flags, ...declaration.flags];
      const names = flags.map((f) => f.name);
      const letters = flags.flatMap((f) => (f.alias ? [f.alias] : []));
      expect(new Set(names).size, word).toBe(names.length);
      expect(new Set(letters).size, word).toBe(letters.length);
      for (const f of flags) expect(f.describe, `${word} --${f.name}`).not.toBe('');
    }
  });
});

describe('invalid command lines are usage errors that say what, where and how to fix it', () => {
  it.each<[string[], RegExp, RegExp]>([
    // Unknown flags (strict), with a hint when a known flag is close.
    [['validate', 'a', '--bogus'], /^unknown flag --bogus for kubectl kd validate$/, /^`kubectl kd validate --help` lists its flags$/],
    [['validate', 'a', '--strictt'], /^unknown flag --strictt for kubectl kd validate$/, /^did you mean --strict\?/],
    [['drift', 'a', '--relase', 'x'], /^unknown flag --relase for kubectl kd drift$/, /^did you mean --release\?/],
    [['apply', 'a', '--no-hook'], /^unknown flag --no-hook for kubectl kd apply$/, /^did you mean --no-hooks\?/],
    [['validate', 'a', '--NAMESPACE', 'x'], /^unknown flag --NAMESPACE/, /^did you mean --namespace\?/],
    [['validate', 'a', '--colour'], /^unknown flag --colour/, /^did you mean --color\?/],
    [['validate', 'a', '--release', 'r'], /^unknown flag --release for kubectl kd validate$/, /--help/],
    [['drift', 'a', '--no-release'], /^unknown flag --no-release for kubectl kd drift$/, /did you mean --release\?/],
    [['validate', 'a', '-q'], /^unknown flag -q for kubectl kd validate$/, /--help/],
    [['validate', 'a', '-vn', 'x'], /^unknown flag -v for kubectl kd validate$/, /--help/],
    // A flag missing its value: at the end of the line, or followed by another flag.
    [['drift', 'a', '--release'], /^--release needs a value, and nothing follows it$/, /--release VALUE or --release=VALUE/],
    [['drift', 'a', '-n'], /^-n needs a value/, /-n VALUE/],
    [['validate', 'a', '-o'], /^-o needs a value/, /-o VALUE/],
    [['drift', 'a', '--concurrency'], /^--concurrency needs a value/, /--concurrency VALUE/],
    [['validate', 'a', '--namespace', '--sim'], /^--namespace needs a value, but the next word is the flag --sim$/, /--namespace=VALUE for a value that starts with -/],
    [['validate', '-n', '-x', 'a'], /^-n needs a value, but the next word is the flag -x$/, /-n=VALUE/],
    // Numbers.
    [['drift', 'a', '--concurrency', 'abc'], /^--concurrency takes a number, not "abc"$/, /^e\.g\. --concurrency 16$/],
    [['apply', 'a', '--concurrency', ''], /^--concurrency takes a number, not ""$/, /--concurrency 8/],
    [['apply', 'a', '--qps=fast'], /^--qps takes a number, not "fast"$/, /--qps 1/],
    [['sim', '--port', 'abc'], /^--port takes a number, not "abc"$/, /--port 0/],
    // Yes/no flags take true or false only.
    [['validate', 'a', '--sim=yes'], /^--sim=yes: --sim is a yes\/no flag and takes true or false$/, /--sim, --sim=false or --no-sim/],
    [['validate', 'a', '--no-sim=true'], /^--no-sim takes no value$/, /--sim=false/],
    // Positionals: a required one missing, too many.
    [['history'], /^kubectl kd history needs <name> \(the release\)$/, /^usage: kubectl kd history <name>/],
    [['delete'], /^kubectl kd delete needs <name>/, /usage: kubectl kd delete <name>/],
    [['history', 'shop', 'extra'], /^unexpected argument "extra": kubectl kd history takes <name>$/, /usage: kubectl kd history <name>/],
    [['rollback', 'shop', '3', '4'], /^unexpected argument "4": kubectl kd rollback takes <name> \[revision\]$/, /rollback --help/],
    [['list', 'extra', 'more'], /^unexpected arguments "extra", "more": kubectl kd list takes no arguments$/, /usage: kubectl kd list/],
    [['sim', 'extra'], /^unexpected argument "extra": kubectl kd sim takes no arguments$/, /sim --help/],
    // A command's own flag before the command word.
    [['-o', 'validate', 'x'], /^a flag before the command word "validate" took it as its value$/, /^put the command first: kubectl kd validate \[flags\]$/],
  ])('%j', (args, message, hint) => {
    const error = usageErrorOf(args);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('checks a declared list of choices, and names the flag', () => {
    const declaration = declare('demo [paths..]', 'a command with choices', (y) =>
      y.option('mode', { type: 'string', choices: ['fast', 'safe'], default: 'safe', describe: 'how' }).option('level', { alias: 'l', type: 'number', describe: 'how much' }),
    );
    const run = (args: string[]) => parseArgs(['demo', ...args], globalDeclaration, declaration, 'demo');
    expect(run(['--mode', 'fast', 'x'])).toEqual({ ...GLOBAL, mode: 'fast', paths: ['x'] });
    expect(run([])).toEqual({ ...GLOBAL, mode: 'safe', paths: [] });
    expect(run(['-l3'])).toEqual({ ...GLOBAL, mode: 'safe', level: 3, paths: [] });
    expect(() => run(['--mode=quick'])).toThrow('--mode takes "fast", "safe", not "quick"');
    expect(() => run(['-l', 'x'])).toThrow('-l takes a number, not "x"');
  });
});

describe('through the CLI', () => {
  it.each<[string[], string]>([
    [['validate', '.', '--bogus'], 'error: unknown flag --bogus for kubectl kd validate\nhint: `kubectl kd validate --help` lists its flags\n'],
    [['history'], 'error: kubectl kd history needs <name> (the release)\nhint: usage: kubectl kd history <name> (see `kubectl kd history --help`)\n'],
    [['drift', '.', '--concurrency', 'many'], 'error: --concurrency takes a number, not "many"\nhint: e.g. --concurrency 16\n'],
    [[], 'error: a command is required: kubectl kd <command> (see --help)\nhint: run with --help to see the accepted flags\n'],
    [['--sim'], 'error: a command is required: kubectl kd <command> (see --help)\nhint: run with --help to see the accepted flags\n'],
    [['frobnicate', '--help'], 'error: unknown command "frobnicate"\nhint: the commands are: validate, apply, drift, history, rollback, list, recover, delete, sim (kubectl kd --help)\n'],
  ])('%j exits 2 with its message and nothing on stdout', async (args, stderr) => {
    const r = await kdInProcess(args);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  it('names a release given as - plainly', async () => {
    const r = await kdInProcess(['history', '-', '--sim']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the release name "-" is not a DNS-1123 label');
  });

  it('prints the version for --version, anywhere before --', async () => {
    expect(await kdInProcess(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    expect(await kdInProcess(['validate', 'a', '--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    expect(await kdInProcess(['validate', 'a', '--version=true'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('shows the command\'s help for -h grouped with other letters, and for --help=true', async () => {
    const help = await kdInProcess(['list', '--help']);
    expect(help.stdout.startsWith('kubectl kd list\n')).toBe(true);
    expect(await kdInProcess(['list', '-Ah'])).toEqual(help);
    expect(await kdInProcess(['list', '--help=true'])).toEqual(help);
  });
});
