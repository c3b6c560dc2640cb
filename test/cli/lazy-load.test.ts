/**
 * What the built kubectl-kd loads (issue 17): a command loads what its run uses, and the rare
 * paths load the rest when they are taken, with the same results.
 *  - validate of a valid file and drift of an in-sync release (plain block YAML, as nearly every
 *    manifest and kubeconfig is) load neither js-yaml (dist/js-yaml.cjs) nor the `yaml` library
 *    (dist/yaml.cjs: problem positions, diffs, kustomize output), nor the apply executor, health
 *    gates or simulator, nor node:child_process (exec credential plugins, kustomize), node:tty
 *    or node:fs/promises (kustomize, file storage; readline and the fs watchers behind it);
 *  - a file with a problem still gets its exact file:line:col, a drift with differences still
 *    prints its diff (both load dist/yaml.cjs), and an exec-credential kubeconfig still works
 *    (it loads node:child_process), and a kustomization is still rendered and its problems placed
 *    in the user's files (kubectl kustomize through node:child_process, the output through `yaml`);
 *  - a cluster command to a plain http:// server (kubectl proxy, kd sim --no-auth) does not load
 *    node:https (the entry loads node:tls for every cluster command before knowing the server, as
 *    Node parses its root certificates on a thread it starts then: plugin/entry.ts).
 * A clean validate or drift loads its code from two bundle files: the entry, dist/kubectl-kd.cjs,
 * and its command's, dist/cli/<command>.cjs (scripts/build.mjs). A command's file also holds modules
 * it evaluates only when first imported (the cluster client for validate, the --help renderer
 * for drift): what a run "loads" is what it evaluated, proved by V8's coverage of those modules'
 * wrappers (scripts/loaded-modules.mjs `evaluatedSources`, shared with bench/startup.mjs and
 * test/lsp/lazy-start.test.ts); what each bundle file holds comes from the build's dist/meta.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundleInputs, evaluatedSources, loadedModules, loadedModulesAsync, type LoadedModules } from '../../scripts/loaded-modules.mjs';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim } from '../../src/sim/server.js';
import { startDriftSim, type DriftSim } from '../drift/support.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';
import { requireKubectl } from '../e2e/kubectl-harness.js';
import { tempHomeEnv } from '../support/temp-home.js';
import { kdBin, repoRoot } from './run-kd.js';

/** Sources no run of validate or in-sync drift needs (metafile input paths, by prefix). */
const NOT_FOR_A_CLEAN_RUN = [
  'node_modules/yaml/',
  'src/apply/runner.ts',
  'src/apply/run-apply.ts',
  'src/apply/apply-entries.ts',
  'src/apply/wait-healthy.ts',
  'src/apply/hooks.ts',
  'src/apply/release/delete-release.ts',
  'src/health/',
  'src/plan/plan-apply.ts',
  'src/sim/',
];
// perf_hooks: the global `performance` loads it (9 modules); drift's files' phase times its turns with process.hrtime.
// loadedModules' own preload and coverage load internal/readline/interface (and internal/fs/promises),
// so its baseline hides them here: `builtinsWith` below checks them without either.
const BUILTINS_NOT_NEEDED = ['child_process', 'dgram', 'tty', 'fs/promises', 'internal/readline/interface', 'perf_hooks'];

let dir: string;
let holds: (file: string) => string[];
let evaluated: (run: LoadedModules) => string[];
const env = () => ({ ...process.env, NO_COLOR: '1', ...tempHomeEnv(), KUBECONFIG: '', KD_SCHEMA_DIR: '' });

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'dist', 'meta.json'))) throw new Error('dist/meta.json is missing: run `npm run build` first');
  holds = bundleInputs(repoRoot);
  evaluated = evaluatedSources(repoRoot);
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-lazy-load-'));
  writeFileSync(path.join(dir, 'web.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  greeting: hello\n');
  writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  greeting: hello\nbogus: 1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yamlLoaded = (run: LoadedModules) => run.files.some((f) => f.file === path.join(repoRoot, 'dist', 'yaml.cjs'));
/** js-yaml reads only what simple-yaml.ts leaves to it (anchors, flow collections, block scalars, errors). */
const jsYamlLoaded = (run: LoadedModules) => run.files.some((f) => f.file === path.join(repoRoot, 'dist', 'js-yaml.cjs'));
/** The sources of NOT_FOR_A_CLEAN_RUN that the run evaluated. */
function unneededSources(run: LoadedModules): string[] {
  return evaluated(run).filter((s) => NOT_FOR_A_CLEAN_RUN.some((p) => s.startsWith(p)));
}

/** The files of kd's bundle (dist/) a run loaded, relative to dist/. */
const bundleFiles = (run: LoadedModules) =>
  run.files.map((f) => path.relative(path.join(repoRoot, 'dist'), f.file)).filter((f) => !f.startsWith('..'));

/**
 * A clean run over plain block YAML of `command`: its code from the entry and its command's one
 * bundle file, its own code (`source`) evaluated, and nothing of the rare paths.
 */
function expectCleanRun(run: LoadedModules, command: string, source: string): void {
  expect(bundleFiles(run)).toEqual(['kubectl-kd.cjs', `cli/${command}.cjs`]);
  // The listing works: the command's own code ran.
  expect(evaluated(run)).toContain(source);
  expect(yamlLoaded(run)).toBe(false);
  expect(jsYamlLoaded(run)).toBe(false);
  expect(unneededSources(run)).toEqual([]);
  expect(run.builtins.filter((b) => BUILTINS_NOT_NEEDED.includes(b))).toEqual([]);
}

describe('validate', () => {
  it('starts no ES module loader: the bin, the entry and the command file are CommonJS scripts', () => {
    // Seen from a CommonJS preload (loadedModules' own preload is an ES module, which starts one).
    const preload = path.join(dir, 'module-list.cjs');
    const out = path.join(dir, 'module-list.json');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`);
    const r = spawnSync(process.execPath, ['-r', preload, kdBin, 'validate', path.join(dir, 'web.yaml')], { env: env(), cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout).toBe('valid: 1 object in 1 file\n');
    const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((m) => m.startsWith('NativeModule internal/modules/esm/module_job'))).toEqual([]);
  });

  it('of a valid file loads no yaml library, executor, simulator or child_process', () => {
    const run = loadedModules([kdBin, 'validate', path.join(dir, 'web.yaml')], { env: env(), cwd: repoRoot });
    expect(run.stdout).toBe('valid: 1 object in 1 file\n');
    expect(run.status).toBe(0);
    expectCleanRun(run, 'validate', 'plugin/commands/validate.ts');
    // Offline: no TLS, not even the entry's early load of it for cluster commands.
    expect(run.builtins).not.toContain('tls');
    // The file holds the cluster client (for --cluster), evaluated only when imported: not here.
    expect(holds(path.join(repoRoot, 'dist', 'cli', 'validate.cjs'))).toContain('src/cluster/connect.ts');
    expect(evaluated(run)).not.toContain('src/cluster/connect.ts');
  });

  it('of a file in flow style loads js-yaml for it, with the same answer', () => {
    const flow = path.join(dir, 'flow.yaml');
    writeFileSync(flow, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: default}\ndata: {greeting: hello}\n');
    const run = loadedModules([kdBin, 'validate', flow], { env: env(), cwd: repoRoot });
    expect(run.stdout).toBe('valid: 1 object in 1 file\n');
    expect(run.status).toBe(0);
    expect(jsYamlLoaded(run)).toBe(true);
    expect(yamlLoaded(run)).toBe(false);
  });

  it('of a file with a problem loads the yaml library for the exact position', () => {
    const run = loadedModules([kdBin, 'validate', path.join(dir, 'bad.yaml')], { env: env(), cwd: repoRoot });
    expect(run.stdout).toBe(`${path.join(dir, 'bad.yaml')}:8:1: error: unknown field "bogus" [schema/unknown-field]\ninvalid: 1 error in 1 object in 1 file\n`);
    expect(run.status).toBe(1);
    expect(yamlLoaded(run)).toBe(true);
  });

  it('of a kustomization renders it and places a problem in the resource file', () => {
    requireKubectl();
    const kz = path.join(dir, 'kz');
    mkdirSync(kz);
    writeFileSync(path.join(kz, 'kustomization.yaml'), 'resources:\n  - app.yaml\nnamePrefix: shop-\n');
    writeFileSync(
      path.join(kz, 'app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: hello\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: "two"\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: api, image: nginx}]\n',
    );
    const run = loadedModules([kdBin, 'validate', kz], { env: { ...env(), PATH: process.env.PATH }, cwd: repoRoot });
    expect(run.stdout).toBe(`${path.join(kz, 'app.yaml')}:13:13: error: spec.replicas: must be integer, got string [schema/type]\ninvalid: 1 error in 2 objects in 1 file\n`);
    expect(run.status).toBe(1);
    expect(run.builtins).toContain('child_process');
    expect(yamlLoaded(run)).toBe(true);
  });
});

/**
 * For the describe block that calls it: a kd sim holding release `app` (one ConfigMap, applied
 * from the folder `app`) in namespace `ns`, and the kubeconfig to reach it; set before its tests.
 */
function appRelease(ns: string): { d: DriftSim; kubeconfig: string; app: string } {
  const r = {} as { d: DriftSim; kubeconfig: string; app: string };
  beforeAll(async () => {
    r.d = await startDriftSim();
    r.app = r.d.folder({ 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n' }).dir;
    await r.d.apply(r.app, 'app', ns);
    r.kubeconfig = r.d.kubectl(ns).kubeconfig;
  }, 60_000);
  afterAll(async () => {
    await r.d?.stop();
  });
  return r;
}

describe('drift against kd sim', () => {
  const ns = 'lazy-load';
  const r = appRelease(ns);

  const drift = (args: string[], kc = r.kubeconfig) => loadedModulesAsync([kdBin, 'drift', '--release', 'app', '-n', ns, '--kubeconfig', kc, ...args], { env: env(), cwd: repoRoot });

  it('of an in-sync release loads no yaml library, executor, health gates, simulator or child_process', async () => {
    const run = await drift([r.app]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('1 object: 1 in-sync');
    expect(run.status).toBe(0);
    // The kubeconfig and the manifests are plain block YAML.
    expectCleanRun(run, 'drift', 'src/session/drift-run.ts');
    // The file holds the --help renderer, evaluated only when imported: not here.
    expect(holds(path.join(repoRoot, 'dist', 'cli', 'drift.cjs'))).toContain('plugin/args/help.ts');
    expect(evaluated(run)).not.toContain('plugin/args/help.ts');
    // An https server: TLS is loaded (and the list is not empty by accident), by the entry before
    // the command's file runs (before it loads node:http), so that Node's parse of its root
    // certificates, which starts with node:tls, overlaps the loading of that file.
    expect(run.builtins).toContain('tls');
    expect(run.builtins.indexOf('tls')).toBeLessThan(run.builtins.indexOf('http'));
  });

  it('with a difference still prints its diff, loading the yaml library to render it', async () => {
    const changed = r.d.folder({ 'app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: slow }\n' }).dir;
    const run = await drift([changed, '--diff']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('--- live ConfigMap lazy-load/settings\n+++ desired ConfigMap lazy-load/settings\n');
    expect(run.stdout).toContain('\n data:\n-  mode: fast\n+  mode: slow\n');
    expect(yamlLoaded(run)).toBe(true);
  });

  it('with an exec credential plugin in the kubeconfig still connects, loading child_process for it', async () => {
    // The sim's own kubeconfig, its credential handed out by an exec plugin instead.
    const config = parse(r.d.s.sim.kubeconfig({ namespace: ns })) as { users: Array<{ user: Record<string, string> }> };
    const user = config.users[0]!.user;
    const status = user['token'] !== undefined
      ? { token: user['token'] }
      : { clientCertificateData: Buffer.from(user['client-certificate-data']!, 'base64').toString(), clientKeyData: Buffer.from(user['client-key-data']!, 'base64').toString() };
    const credential = path.join(dir, 'credential.json');
    writeFileSync(credential, JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
    const plugin = path.join(dir, 'kd-auth.sh');
    writeFileSync(plugin, `#!/bin/sh\ncat '${credential}'\n`);
    chmodSync(plugin, 0o755);
    config.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } as unknown as Record<string, string>;
    const kc = path.join(dir, 'exec.kubeconfig');
    writeFileSync(kc, JSON.stringify(config));
    const run = await drift([r.app], kc);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('1 object: 1 in-sync');
    expect(run.status).toBe(0);
    expect(run.builtins).toContain('child_process');
  });
});

/** What Node loads when a run reads process.stdin and it is a file (fs streams, and with them fs/promises and readline) or a terminal (node:tty). */
const STANDARD_STREAM_BUILTINS = ['internal/fs/streams', 'internal/fs/promises', 'internal/readline/interface', 'tty'];
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs `node args...` with standard input a file (`/dev/null`, as cron, CI or hyperfine give it;
 * or a regular file) or a pseudo-terminal (`script`: a user typing the command), stdout and
 * stderr to files, and says which of Node's built-ins it loaded, as a CommonJS preload sees them
 * when the process exits. Not through loadedModules: its preload and coverage load fs/promises
 * and readline themselves, so its baseline hides them.
 */
async function builtinsWith(stdin: 'null' | 'file' | 'terminal', args: string[], stdinFile = '/dev/null'): Promise<{ status: number | null; stdout: string; stderr: string; builtins: string[] }> {
  const run = mkdtempSync(path.join(dir, 'stdin-'));
  const [preload, list, out, err] = ['preload.cjs', 'builtins.json', 'stdout', 'stderr'].map((f) => path.join(run, f)) as [string, string, string, string];
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
  const node = [process.execPath, '-r', preload, ...args].map(quote).join(' ');
  // Not stderr on the terminal too: Node's net reads process.stderr whenever a socket is destroyed
  // (a cluster command's last step), which for a terminal loads node:tty.
  const command = stdin === 'terminal' ? ['script', ['-qec', `${node} >${quote(out)} 2>${quote(err)}`, '/dev/null']] as const : ['/bin/sh', ['-c', `${node} <${quote(stdin === 'null' ? '/dev/null' : stdinFile)} >${quote(out)} 2>${quote(err)}`]] as const;
  const status = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command[0], command[1], { env: env(), cwd: repoRoot, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const builtins = existsSync(list) ? (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)) : [];
  return { status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8'), builtins };
}

describe('standard input and error are opened only when used', () => {
  const ns = 'lazy-stdin';
  beforeAll(() => {
    if (spawnSync('script', ['--version']).status !== 0) throw new Error('`script` (util-linux) is not on PATH: these tests give kd a pseudo-terminal through it');
  });
  const r = appRelease(ns);

  const drift = (stdin: 'null' | 'file' | 'terminal', paths: string[], stdinFile?: string) =>
    builtinsWith(stdin, [kdBin, 'drift', '--release', 'app', '-n', ns, '--kubeconfig', r.kubeconfig, ...paths], stdinFile);

  for (const stdin of ['null', 'file', 'terminal'] as const)
    it(`a drift with standard input ${stdin === 'null' ? '/dev/null' : stdin === 'file' ? 'a file' : 'a terminal'} that does not read it loads neither fs streams nor readline nor tty`, async () => {
      const run = await drift(stdin, [r.app], path.join(r.app, 'app.yaml'));
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('1 object: 1 in-sync');
      expect(run.status).toBe(0);
      expect(run.builtins).toContain('tls');
      expect(run.builtins.filter((b) => STANDARD_STREAM_BUILTINS.includes(b))).toEqual([]);
    });

  it('a validate with standard input /dev/null that does not read it loads neither fs streams nor readline nor tty', async () => {
    const run = await builtinsWith('null', [kdBin, 'validate', path.join(dir, 'web.yaml')]);
    expect(run.stdout).toBe('valid: 1 object in 1 file\n');
    expect(run.status).toBe(0);
    expect(run.builtins).toContain('fs');
    expect(run.builtins.filter((b) => STANDARD_STREAM_BUILTINS.includes(b))).toEqual([]);
  });

  it('a drift of `-` still reads the release from standard input (a file), and so loads fs streams', async () => {
    const run = await drift('file', ['-'], path.join(r.app, 'app.yaml'));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('1 object: 1 in-sync');
    expect(run.status).toBe(0);
    expect(run.builtins).toContain('internal/fs/streams');
  });

  it('an error is still written to standard error', async () => {
    const run = await drift('terminal', [path.join(r.app, 'missing.yaml')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: .*missing\.yaml/);
    expect(run.stdout).toBe('');
  });
});

describe('a plain http:// server', () => {
  it('apply and drift do not load node:https (node:tls, loaded early by the entry for any cluster command, opens no connection)', async () => {
    const sim = await startSim({ noAuth: true, schemaSource: new SchemaDirSource(BUILT_IN_SCHEMAS) });
    try {
      const kc = path.join(dir, 'http.kubeconfig');
      writeFileSync(kc, sim.kubeconfig());
      const args = ['--release', 'plain', '-n', 'default', '--kubeconfig', kc, path.join(dir, 'web.yaml')];
      const applied = await loadedModulesAsync([kdBin, 'apply', ...args], { env: env(), cwd: repoRoot });
      expect(applied.stderr).toBe('');
      expect(applied.status).toBe(0);
      const drift = await loadedModulesAsync([kdBin, 'drift', ...args], { env: env(), cwd: repoRoot });
      expect(drift.stderr).toBe('');
      expect(drift.stdout).toContain('1 object: 1 in-sync');
      expect(drift.status).toBe(0);
      for (const run of [applied, drift]) {
        expect(run.builtins).toContain('http');
        expect(run.builtins.filter((b) => ['https', '_http_agent'].includes(b))).toEqual(['_http_agent']);
      }
    } finally {
      await sim.stop();
    }
  });
});
