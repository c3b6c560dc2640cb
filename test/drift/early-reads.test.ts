/**
 * drift reads the cluster while it reads the files (src/session/drift-run.ts): the reads that need
 * no files (the release record, the ApplySet inventory, the server version) start as soon as the
 * session is open. Proven by the order of events against kd sim — the sim answers the record and
 * inventory reads while standard input, the only file, is still open; and while many ordinary
 * files, read synchronously, are read and validated (the files' phase pauses, and the event loop
 * turns there while a read is in flight), the lists of the record's kinds included — never by timing.
 *
 * And the sequences around it behave as when the cluster was read after the files:
 *  - invalid files: the files' diagnostics and exit 1, no cluster error and no report, nothing
 *    written, whether the cluster answers or not; no request left running, every connection closed;
 *  - valid files and a failing read (a damaged record, an unreachable server): the same message and
 *    exit code as before, nothing left running;
 *  - an interrupt while the early reads are in flight: the run stops with the interrupt (and the
 *    real binary exits 130), nothing left running, every connection closed.
 * "Nothing left running" is counted at the client: every call the run made has settled when the
 * run returns.
 */
import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../src/cluster/index.js';
import { systemClock } from '../../src/cluster/clock.js';
import type { ClusterClient } from '../../src/cluster/types.js';
import { ClusterRequestError } from '../../src/cluster/errors.js';
import { CorruptRecordError } from '../../src/apply/release/store.js';
import { DEFAULT_FAIL_ON } from '../../src/drift/index.js';
import { builtInSource } from '../../src/io/schema-sources.js';
import { openConnection } from '../../src/session/connection.js';
import { runDrift, type DriftRunDeps, type DriftRunRequest } from '../../src/session/drift-run.js';
import { sessionOver, type Session } from '../../src/session/open.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { folder, kdInProcess } from '../cli/support/cli-sim.js';
import { kdBin, repoRoot, runKdAsync } from '../cli/run-kd.js';
import { connectToSim, type ConnectedSim } from '../support/connected-sim.js';
import { rejectionOf } from '../support/rejection.js';
import { tempHomeEnv } from '../support/temp-home.js';

const files = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;
/** A ConfigMap's data values are strings: a number is a schema error. */
const invalid = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: 3 }
`;

let sim: SimHandle;
let connected: ConnectedSim;
let ns: string;
let dir: string;
const home = tempHomeEnv().HOME;
/** The sim's request log (`METHOD URL STATUS ...`, written when the answer is sent). */
const logged: string[] = [];
let onLogged: (() => void) | undefined;
/** The connections the sim accepted, open or closed. */
const accepted: Array<{ socket: Socket; closed: Promise<void> }> = [];

beforeAll(async () => {
  sim = await startSim({
    schemaSource: builtInSource(),
    log: (line) => {
      logged.push(line);
      onLogged?.();
    },
    onConnection: (socket) => accepted.push({ socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) }),
  });
  connected = await connectToSim(sim, 'kd-drift-early-');
  ns = await connected.namespace('early');
  dir = folder({ 'app.yaml': files });
  const applied = await kd(['apply', dir, '--release', 'app', '-n', ns]);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await connected?.stop();
});

function kd(args: string[], options: { signal?: AbortSignal } = {}) {
  return kdInProcess([...args, '--kubeconfig', connected.kubeconfigPath], { cwd: dir, env: { HOME: home }, ...options });
}

/** Resolves when the sim has logged a line matching `pattern` since `from` (an index into `logged`). */
function untilLogged(from: number, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      const line = logged.slice(from).find((l) => pattern.test(l));
      if (line === undefined) return false;
      resolve(line);
      return true;
    };
    if (check()) return;
    const previous = onLogged;
    onLogged = () => {
      previous?.();
      if (check()) onLogged = previous;
    };
  });
}

/** Every connection the sim accepted from index `from` on has closed. */
async function closedSince(from: number): Promise<void> {
  await Promise.all(accepted.slice(from).map((a) => a.closed));
}

/**
 * A folder with the release's two objects and `extra` ConfigMaps (one file each, as a release of
 * many objects is laid out): plain files, read, loaded and validated without waiting on anything.
 */
function manyFiles(extra: number): string {
  const more: Record<string, string> = {};
  for (let i = 0; i < extra; i++) more[`extra-${String(i).padStart(4, '0')}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-${i}\ndata:\n  key: value-${i}\n`;
  return folder({ 'app.yaml': files, ...more });
}

/** Runs `body` while noting, for each drift phase published, how many lines the sim had logged by then. */
async function withPhases<T>(body: () => Promise<T>): Promise<{ result: T; phases: Array<{ name: string; logged: number }> }> {
  const phases: Array<{ name: string; logged: number }> = [];
  const note = (message: unknown) => void phases.push({ name: (message as { name: string }).name, logged: logged.length });
  subscribe('kd:drift:phase', note);
  try {
    return { result: await body(), phases };
  } finally {
    unsubscribe('kd:drift:phase', note);
  }
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const recordRead = (namespace: string, release: string) => new RegExp(`^GET /api/v1/namespaces/${escaped(namespace)}/secrets\\?labelSelector=owner%3Dkubectl-kd%2Cname%3D${escaped(release)}[&% ]`);
/** The inventory's members of one kind: a list by the ApplySet's part-of label. */
const membersRead = (namespace: string, plural: string) => new RegExp(`^GET /api/v1/namespaces/${escaped(namespace)}/${plural}\\?labelSelector=applyset\\.kubernetes\\.io%2Fpart-of%3D`);
const inventoryRead = (namespace: string, release: string) => new RegExp(`^GET /api/v1/namespaces/${escaped(namespace)}/secrets/kd-applyset-${escaped(release)} `);

function request(overrides: Partial<DriftRunRequest>): DriftRunRequest {
  return {
    paths: [dir],
    env: { HOME: home },
    cwd: dir,
    release: 'app',
    namespace: ns,
    contexts: [],
    kubeconfig: connected.kubeconfigPath,
    ignore: [],
    showForeign: false,
    diff: false,
    failOn: [...DEFAULT_FAIL_ON],
    secretSalt: 'test-salt',
    now: () => Date.UTC(2026, 0, 15, 12),
    kdVersion: '0.1.0-test',
    ...overrides,
  };
}

/**
 * The run's session over a client that counts its calls: `inFlight()` is how many have not
 * settled. `onCall` sees each call as it starts (to interrupt the run right then).
 */
function countedTarget(connect: () => Promise<{ client: ClusterClient; close(): void | Promise<void> }>, options: { namespace?: string; onCall?: (method: string) => void } = {}) {
  const { namespace = ns, onCall } = options;
  let inFlight = 0;
  const calls: string[] = [];
  const counted = (client: ClusterClient): ClusterClient =>
    new Proxy(client, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = String(property);
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          calls.push(method);
          inFlight++;
          result.then(
            () => inFlight--,
            () => inFlight--,
          );
          onCall?.(method);
          return result;
        };
      },
    });
  const openTarget: NonNullable<DriftRunDeps['openTarget']> = async (_context, signal): Promise<Session> => {
    const { client, close } = await connect();
    return sessionOver(counted(client), { version: '0.1.0-test', signal }, { clock: systemClock, namespace, context: 'kd-sim', description: 'kd sim', close: async () => void (await close()) });
  };
  return { openTarget, calls, inFlight: () => inFlight };
}

/** The sim through its kubeconfig, as kd connects to it. */
const toSim = async () => {
  const c = await openConnection({ sim: false, env: { HOME: home }, kubeconfig: connected.kubeconfigPath, namespace: ns });
  return { client: c.client, close: () => c.close() };
};

/** A kubeconfig for a server nobody listens on (connections refused), retried quickly. */
async function unreachable(): Promise<{ kubeconfigPath: string; connect: () => Promise<{ client: ClusterClient; close(): void }> }> {
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(p));
    });
  });
  const text = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: someone, user: { token: not-a-secret } }]
contexts: [{ name: gone, context: { cluster: gone, user: someone, namespace: ${ns} } }]
current-context: gone
`;
  const kubeconfigPath = path.join(connected.dir, `gone-${port}.yaml`);
  writeFileSync(kubeconfigPath, text);
  return {
    kubeconfigPath,
    connect: async () => {
      const c = await connectCluster({ kubeconfigText: text, env: {}, cacheDir: false, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
      return { client: c.client, close: () => c.close() };
    },
  };
}

describe('drift reads the cluster while it reads the files', () => {
  it('asks for the release record and the inventory before the files are read: the sim answers them while stdin is still open', async () => {
    const from = lines();
    const stdin = new PassThrough();
    let settled = false;
    const run = runDrift(request({ paths: ['-'], readStdin: () => stdin }));
    void run.then(
      () => (settled = true),
      () => (settled = true),
    );
    await untilLogged(from, recordRead(ns, 'app'));
    await untilLogged(from, inventoryRead(ns, 'app'));
    // The only file has not been given yet: the run waits for it, its cluster reads answered.
    expect(settled).toBe(false);
    stdin.end(files);
    const { report, diagnostics } = await run;
    expect(diagnostics).toEqual([]);
    expect(report.counts['in-sync']).toBe(2);
    expect(report.driftFound).toBe(false);
    expect(report.targets[0]!.revision).toBe(1);
    // Read once each: the early reads are the run's reads, not extra ones.
    expect(logged.slice(from).filter((l) => recordRead(ns, 'app').test(l))).toHaveLength(1);
    expect(logged.slice(from).filter((l) => inventoryRead(ns, 'app').test(l))).toHaveLength(1);
  });

  it('many plain files: the record, the inventory and its members are answered while the files are read and validated; what the files add is asked after', async () => {
    const many = manyFiles(300);
    const from = lines();
    const { result, phases } = await withPhases(() => runDrift(request({ paths: [many], cwd: many })));
    const filesRead = phases.find((p) => p.name === 'files-read');
    expect(filesRead).toBeDefined();
    // What the sim answered before the files' phase ended: every read that needs no files.
    const before = logged.slice(from, filesRead!.logged);
    for (const read of [recordRead(ns, 'app'), inventoryRead(ns, 'app'), membersRead(ns, 'configmaps'), membersRead(ns, 'services')])
      expect(before.filter((l) => read.test(l)), String(read)).toHaveLength(1);
    // The extra ConfigMaps are not members: their list is what the files add, asked after them.
    const plainList = new RegExp(`^GET /api/v1/namespaces/${escaped(ns)}/configmaps\\?limit=`);
    expect(before.some((l) => plainList.test(l))).toBe(false);
    expect(logged.slice(filesRead!.logged).filter((l) => plainList.test(l))).toHaveLength(1);
    // The same answer as ever: the release in sync, the extra ConfigMaps new.
    const { report, diagnostics } = result;
    expect(diagnostics).toEqual([]);
    expect(report.counts['in-sync']).toBe(2);
    expect(report.counts['new']).toBe(300);
  });

  it('an interrupt while many files are read stops the files\' phase with it: no files-read phase, nothing left running, every connection closed', async () => {
    const many = manyFiles(300);
    const interrupt = new AbortController();
    const reason = new Error('received SIGINT');
    const from = lines();
    const sockets = accepted.length;
    const counted = countedTarget(toSim);
    // Interrupted once the sim has answered the record: the files are still being read then.
    void untilLogged(from, recordRead(ns, 'app')).then(() => interrupt.abort(reason));
    const { result, phases } = await withPhases(() => runDrift(request({ paths: [many], cwd: many, signal: interrupt.signal }), { openTarget: counted.openTarget }).catch((e: unknown) => e));
    expect(result).toBe(reason);
    expect(phases.map((p) => p.name)).toEqual(['session-open']);
    expect(counted.inFlight()).toBe(0);
    await closedSince(sockets);
  });

  it('invalid files and an unreachable cluster: the files\' diagnostics, exit 1, no cluster error, nothing left running', async () => {
    const bad = folder({ 'app.yaml': invalid });
    const gone = await unreachable();
    const cli = await kdInProcess(['drift', bad, '--release', 'app', '--kubeconfig', gone.kubeconfigPath], { cwd: bad, env: { HOME: home } });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/app\.yaml:4:\d+: error/);
    expect(cli.stderr).not.toMatch(/^error: |cannot reach/m);

    const counted = countedTarget(gone.connect);
    const { report, diagnostics } = await runDrift(request({ paths: [bad], cwd: bad }), { openTarget: counted.openTarget });
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(report.targets).toEqual([]);
    // The early reads had started, and were stopped: none outlives the run.
    expect(counted.calls.length).toBeGreaterThan(0);
    expect(counted.inFlight()).toBe(0);
  });

  it('invalid files and a cluster that answers: no report, nothing written, every connection closed', async () => {
    const bad = folder({ 'app.yaml': invalid });
    const from = lines();
    const sockets = accepted.length;
    const cli = await kdInProcess(['drift', bad, '--release', 'app', '-n', ns, '--kubeconfig', connected.kubeconfigPath], { cwd: bad, env: { HOME: home } });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/app\.yaml:4:\d+: error/);
    expect(cli.stderr).not.toMatch(/^error: /m);
    expect(logged.slice(from).filter((l) => !l.startsWith('GET '))).toEqual([]);
    await closedSince(sockets);

    const counted = countedTarget(toSim);
    const { report } = await runDrift(request({ paths: [bad], cwd: bad }), { openTarget: counted.openTarget });
    expect(report.targets).toEqual([]);
    expect(counted.inFlight()).toBe(0);

    // The real binary ends on its own: no connection or timer keeps its event loop alive.
    const real = await runKdAsync(['drift', bad, '--release', 'app', '-n', ns, '--kubeconfig', connected.kubeconfigPath], { cwd: bad });
    expect(real.status).toBe(1);
    expect(real.stdout).toBe('');
    expect(real.stderr).toMatch(/app\.yaml:4:\d+: error/);
  });

  it('valid files and a damaged record: the same message and exit code 2, nothing left running', async () => {
    const broken = await connected.namespace('broken');
    const applied = await kd(['apply', dir, '--release', 'app', '-n', broken]);
    expect(applied.code).toBe(0);
    await connected.session.client.patch({ group: '', version: 'v1', kind: 'Secret', namespace: broken, name: 'kd.release.v1.app.v1' }, { data: { release: Buffer.from('not gzip').toString('base64') } }, { type: 'merge' });

    const cli = await kd(['drift', dir, '--release', 'app', '-n', broken]);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(new RegExp(`^error: revision 1 of release app \\(Secret kd\\.release\\.v1\\.app\\.v1 in namespace ${broken}\\) cannot be read: kd\\.release\\.v1\\.app\\.v1: the record is not valid gzip data`));
    expect(cli.stderr).toContain('hint: the Secret was changed outside kd');

    const counted = countedTarget(toSim, { namespace: broken });
    const error = await rejectionOf(runDrift(request({ namespace: broken }), { openTarget: counted.openTarget }), CorruptRecordError);
    expect(error.message).toBe(cli.stderr.split('\n')[0]!.replace(/^error: /, ''));
    expect(counted.inFlight()).toBe(0);
  });

  it('valid files and an unreachable cluster: the network error, as before, nothing left running', async () => {
    const gone = await unreachable();
    const counted = countedTarget(gone.connect);
    const error = await rejectionOf(runDrift(request({}), { openTarget: counted.openTarget }), ClusterRequestError);
    // The first read awaited is the record's, which needs discovery (no cache here) as when it
    // followed the files; discovery asks /api and /apis at once, and either may fail first.
    expect(error.message).toMatch(/^discover API groups \(\/apis?\): ECONNREFUSED: cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(counted.inFlight()).toBe(0);
  });

  it('an interrupt while the early reads are in flight stops the run with it, nothing left running, every connection closed', async () => {
    const interrupt = new AbortController();
    const reason = new Error('received SIGINT');
    const stdin = new PassThrough();
    const sockets = accepted.length;
    // Interrupted the moment the record is asked for: that read, and the others, are in flight.
    const counted = countedTarget(toSim, {
      onCall: (method) => {
        if (method === 'list' && !interrupt.signal.aborted) queueMicrotask(() => interrupt.abort(reason));
      },
    });
    const run = runDrift(request({ paths: ['-'], readStdin: () => stdin, signal: interrupt.signal }), { openTarget: counted.openTarget });
    const caught = run.catch((e: unknown) => e);
    await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
    stdin.end(files);
    expect(await caught).toBe(reason);
    expect(counted.inFlight()).toBe(0);
    await closedSince(sockets);
  });

  it('several contexts read stdin once and report each; --all-releases reports every release of the namespace, in order', async () => {
    const other = await connected.namespace('early-two');
    expect((await kd(['apply', dir, '--release', 'app', '-n', other])).code).toBe(0);
    const one = path.join(connected.dir, 'one.yaml');
    const two = path.join(connected.dir, 'two.yaml');
    writeFileSync(one, sim.kubeconfig({ context: 'one', namespace: ns }));
    writeFileSync(two, sim.kubeconfig({ context: 'two', namespace: other }));
    const both = await kdInProcess(['drift', '-', '--release', 'app', '--context', 'one,two', '-o', 'json'], { cwd: dir, env: { HOME: home, KUBECONFIG: `${one}${path.delimiter}${two}` }, stdin: files });
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
    const report = JSON.parse(both.stdout) as { targets: Array<{ context: string; namespace: string; revision: number; counts: Record<string, number> }> };
    expect(report.targets.map((t) => [t.context, t.namespace, t.revision, t.counts['in-sync']])).toEqual([
      ['one', ns, 1, 2],
      ['two', other, 1, 2],
    ]);

    const extra = folder({ 'extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\ndata: { a: b }\n' });
    expect((await kd(['apply', extra, '--release', 'extra', '-n', other])).code).toBe(0);
    const all = await kd(['drift', '--all-releases', '-n', other, '-o', 'json']);
    expect(all.code).toBe(0);
    const audit = JSON.parse(all.stdout) as { targets: Array<{ release: string; counts: Record<string, number> }> };
    expect(audit.targets.map((t) => [t.release, t.counts['in-sync']])).toEqual([
      ['app', 2],
      ['extra', 1],
    ]);
  });

  it('one request at a time (--concurrency 1): the early reads, a list the files add and the dry runs share the bound, and finish', async () => {
    const changed = folder({
      'app.yaml': files.replace('mode: fast', 'mode: slow'),
      'more.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: robot }\n',
    });
    const from = lines();
    const r = await kdInProcess(['drift', changed, '--release', 'app', '-n', ns, '--kubeconfig', connected.kubeconfigPath, '--concurrency', '1', '-o', 'json'], { cwd: changed, env: { HOME: home } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { counts: Record<string, number>; targets: Array<{ objects: Array<{ object: { kind: string; name: string }; class: string }> }> };
    expect(report.targets[0]!.objects.map((o) => `${o.object.kind}/${o.object.name} ${o.class}`).sort()).toEqual(['ConfigMap/settings pending', 'Service/web in-sync', 'ServiceAccount/robot new']);
    // The ServiceAccounts were listed after the files (the record names none), the ConfigMap dry-run.
    expect(logged.slice(from).some((l) => l.startsWith(`GET /api/v1/namespaces/${ns}/serviceaccounts`))).toBe(true);
    expect(logged.slice(from).some((l) => l.startsWith(`PATCH /api/v1/namespaces/${ns}/configmaps/settings?`) && l.includes('dryRun=All'))).toBe(true);
  });

  it('the real binary: the sim answers the record read while kd still waits for stdin, and Ctrl-C then exits 130', async () => {
    const from = lines();
    const child = spawn(process.execPath, [kdBin, 'drift', '-', '--release', 'app', '-n', ns, '--kubeconfig', connected.kubeconfigPath, '-o', 'json'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...tempHomeEnv(), KUBECONFIG: '', KD_SCHEMA_DIR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await untilLogged(from, recordRead(ns, 'app'));
      expect(child.exitCode).toBe(null);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stdout).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function lines(): number {
  return logged.length;
}
