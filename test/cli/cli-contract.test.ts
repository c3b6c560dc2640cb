/**
 * The CLI's contract across commands, in-process through runCli: which word is the command,
 * exit codes (README "Exit codes"), and colour (--color over NO_COLOR over the terminal).
 */
import { describe, expect, it } from 'vitest';
import { normalizeColorArgs } from '../../plugin/cli.js';
import { talksTls } from '../../plugin/command-word.js';
import { commandWord } from '../../plugin/commands/index.js';
import { shouldColor } from '../../plugin/output/style.js';
import { runKd } from './run-kd.js';
import { folder, kdInProcess } from './support/cli-sim.js';

const kdIn = kdInProcess;

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: fast }\n';
const BAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { replicas: "three" }\n';

describe('the command word', () => {
  it('is the first word that is not a flag or a global flag\'s value', () => {
    expect(commandWord(['delete', 'apply'])).toBe('delete');
    expect(commandWord(['-n', 'apply', 'validate', 'sim'])).toBe('validate');
    expect(commandWord(['--context', 'list', '--namespace=x', 'history', 'apply'])).toBe('history');
    expect(commandWord(['--verbose', '--sim'])).toBeUndefined();
  });

  it('tells the entry which command lines will talk to a cluster, to load node:tls early', () => {
    const tls = (args: string[]) => talksTls(commandWord(args), args);
    for (const args of [['drift', '.'], ['-n', 'x', 'apply', '.'], ['history', 'web'], ['rollback', 'web'], ['list'], ['recover', 'web'], ['delete', 'web'], ['validate', '--cluster', '.']]) expect(tls(args), args.join(' ')).toBe(true);
    // Offline, asking for help or the version, no command, or --cluster only after `--` (a file name there).
    for (const args of [['validate', '.'], ['drift', '--help'], ['apply', '-h'], ['--version'], ['drift', '.', '--version'], [], ['sim'], ['validate', '--', '--cluster']]) expect(tls(args), args.join(' ')).toBe(false);
    // `--version` after `--` is an argument.
    expect(tls(['drift', '--', '--version'])).toBe(true);
  });

  it('lets a release named apply be deleted, and a folder named apply, sim or list be validated', async () => {
    const r = await kdIn(['delete', 'apply', '--sim']);
    // The release does not exist in the fresh sim: the delete command ran and said so.
    expect(r.stderr).not.toContain('Unknown argument');
    expect(r.stderr).toMatch(/release "?apply"?/);
    for (const name of ['apply', 'sim', 'list']) {
      const dir = folder({ [`${name}/cm.yaml`]: CM });
      // The built binary, run in the folder: the argument is the bare word.
      const v = runKd(['validate', name], { cwd: dir });
      expect(v.stderr).toBe('');
      expect(v.stdout).toContain('1 object');
      expect(v.status).toBe(0);
    }
  });

  it('names an unknown command and lists the commands, exit 2', async () => {
    const r = await kdIn(['frobnicate', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown command "frobnicate"');
    expect(r.stderr).toContain('validate, apply, drift, history, rollback, list, recover, delete, sim');
    expect((await kdIn(['-n', 'shop', 'frobnicate'])).stderr).toContain('unknown command "frobnicate"');
  });
});

describe('exit codes', () => {
  it('validate and drift both exit 1 for invalid manifests', async () => {
    const dir = folder({ 'web.yaml': BAD });
    const v = await kdIn(['validate', dir]);
    expect(v.code).toBe(1);
    const d = await kdIn(['drift', dir, '--sim']);
    expect(d.stderr).toContain('replicas');
    expect(d.code).toBe(1);
  });

  it('exits 2 for usage errors', async () => {
    expect((await kdIn(['drift'])).code).toBe(2);
    expect((await kdIn(['validate', '--color=sometimes', '.'])).code).toBe(2);
  });

  it.each([
    [['validate', '.'], 'validate', 'use -o text, -o json or -o sarif'],
    [['drift', '.'], 'drift', 'use -o text, -o json, -o sarif or -o junit'],
    [['apply', '.'], 'apply', 'use -o text or -o jsonl'],
    [['rollback', 'shop'], 'rollback', 'use -o text or -o jsonl'],
    [['history', 'shop'], 'history', 'use -o text or -o json'],
    [['list'], 'list', 'use -o text or -o json'],
  ])('%j -o yaml names the formats it takes, exit 2', async (args, command, hint) => {
    const r = await kdIn([...args, '-o', 'yaml']);
    expect(r.stderr).toContain(`unknown output format "yaml" for ${command}`);
    expect(r.stderr).toContain(hint);
    expect(r.code).toBe(2);
  });
});

describe('colour', () => {
  it('lets an explicit --color or --no-color win over NO_COLOR and the terminal', () => {
    expect(shouldColor({ isTTY: false }, { NO_COLOR: '1' }, true)).toBe(true);
    expect(shouldColor({ isTTY: true }, {}, false)).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('reads --color=always|never|auto', () => {
    expect(normalizeColorArgs(['validate', '--color=always'])).toEqual({ args: ['validate', '--color'], color: true });
    expect(normalizeColorArgs(['--color=never', 'validate'])).toEqual({ args: ['--no-color', 'validate'], color: false });
    expect(normalizeColorArgs(['validate', '--color=auto'])).toEqual({ args: ['validate'] });
  });

  it('colours validate output with --color under NO_COLOR, and not without it', async () => {
    const dir = folder({ 'web.yaml': BAD });
    const forced = await kdIn(['validate', dir, '--color=always'], { env: { NO_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await kdIn(['validate', dir], { env: { NO_COLOR: '1' }, tty: true });
    expect(plain.stdout).not.toContain('\u001b[');
    const tty = await kdIn(['validate', dir], { env: { NO_COLOR: undefined }, tty: true });
    expect(tty.stdout).toContain('\u001b[');
    const never = await kdIn(['validate', dir, '--no-color'], { env: { NO_COLOR: undefined }, tty: true });
    expect(never.stdout).not.toContain('\u001b[');
  });
});
