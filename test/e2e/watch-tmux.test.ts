/**
 * `kubectl kd apply --watch` end to end: the real binary in a real terminal (tmux, 80×24) against
 * a `kubectl kd sim` process. First revision healthy; an edit re-applies and the new revision is
 * shown healthy; an invalid edit shows its diagnostic and applies nothing; `q` ends with exit code
 * 0, the cursor visible again, and the release's lock (a Lease) released; `d` on every row diffs the
 * files against the live object (in sync, never stale or /dev/null); `kubectl scale` shows as drift by
 * kubectl within a second, and with --self-heal is undone within 5 s. Needs tmux and a built
 * binary (`npm run build`).
 *
 * Deterministic whatever the environment of the run: tmux reads no user configuration, and the
 * command runs with `CI=true`, which test runs often have and which once made the screen show only
 * its finished-apply lines (Ink took the process for non-interactive; see plugin/ui/mount.ts).
 * Every step waits on the visible screen; a failure prints the last screens seen and the history.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectCluster } from '../../src/cluster/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'kubectl-kd.cjs');
const socket = `kd-e2e-${process.pid}`;
let dir = '';
let sim: ChildProcess | undefined;

const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'watch').stdout;
const history = () => tmux('capture-pane', '-p', '-S', '-', '-t', 'watch').stdout;
/** The distinct screens seen while waiting, for the failure message. */
const seen: string[] = [];

async function waitForScreen(test: (text: string) => boolean, what: string, timeoutMs = 30_000, pollMs = 150): Promise<string> {
  const until = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < until) {
    text = screen();
    if (seen.at(-1) !== text) seen.push(text);
    if (test(text)) return text;
    // The command has ended (the shell prints its exit code): no point waiting on.
    if (/KD-EXIT=/.test(text)) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const last = seen.slice(-3).map((s, i, all) => `--- screen ${seen.length - all.length + i + 1} of ${seen.length}:\n${s}`);
  throw new Error(`screen never showed ${what}; last screens:\n${last.join('\n')}\n--- history:\n${history()}`);
}

/** The live frame is on screen once: one key bar, below everything else. */
function expectOneFrame(text: string): void {
  const rows = text.replace(/\n+$/, '').split('\n');
  expect(rows.filter((r) => r.startsWith('q quit'))).toHaveLength(1);
  expect(rows.at(-1)).toMatch(/^q quit/);
  expect(rows.filter((r) => r.startsWith('kd apply --watch'))).toHaveLength(1);
}

beforeAll(async () => {
  if (!existsSync(path.join(root, 'dist', 'kubectl-kd.cjs'))) throw new Error('build first: npm run build');
  dir = mkdtempSync(path.join(tmpdir(), 'kd-watch-e2e-'));
  cpSync(path.join(root, 'examples', 'shop'), path.join(dir, 'shop'), { recursive: true });
  const kubeconfig = path.join(dir, 'kubeconfig');
  sim = spawn(process.execPath, [bin, 'sim', '--kubeconfig-out', kubeconfig, '--speed', '4'], { stdio: 'ignore', env: { ...process.env, HOME: dir, XDG_CACHE_HOME: path.join(dir, '.cache'), NO_COLOR: '1' } });
  const until = Date.now() + 15_000;
  while (!existsSync(kubeconfig) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(kubeconfig)) throw new Error('kd sim did not start');
});

afterAll(async () => {
  tmux('kill-server');
  // The simulator's HOME is in `dir`: it may still write there (its code cache) until it has exited.
  if (sim && sim.exitCode === null) {
    const exited = new Promise((r) => sim!.once('exit', r));
    sim.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('watch: apply, edit, invalid edit, quit', async () => {
  const kubeconfig = path.join(dir, 'kubeconfig');
  const command = `cd ${dir} && HOME=${dir} XDG_CACHE_HOME=${dir}/.cache CI=true NO_COLOR=1 ${process.execPath} ${bin} apply --watch shop --kubeconfig ${kubeconfig}; echo KD-EXIT=$?; sleep 60`;
  expect(tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', command).status).toBe(0);
  expect(tmux('display-message', '-p', '-t', 'watch', '#{pane_width}x#{pane_height}').stdout.trim()).toBe('80x24');

  // 1. The first revision, healthy, with its waves.
  const first = await waitForScreen((s) => /revision 1 +● watching/.test(s), 'revision 1 healthy', 40_000);
  expect(first).toMatch(/wave 2 ✓/);
  expect(first).toMatch(/✓ Deployment shop\/worker +create +healthy 1\/1/);
  expect(first).toMatch(/Job shop\/shop-migrate-\* +hook +healthy/);
  expect(first).toMatch(/^\d\d:\d\d:\d\d revision 1 succeeded in /m);
  expectOneFrame(first);

  // 2. An edit: only the changed object is updated, and revision 2 is shown healthy.
  const web = path.join(dir, 'shop', '40-web.yaml');
  writeFileSync(web, readFileSync(web, 'utf8').replace('replicas: 2', 'replicas: 3'));
  const second = await waitForScreen((s) => /revision 2 +● watching/.test(s), 'revision 2 healthy');
  expect(second).toMatch(/✓ Deployment shop\/web +update +healthy 3\/3/);
  expect(second).toMatch(/= ConfigMap shop\/shop-config +unchanged/);
  expectOneFrame(second);
  expect(history()).toMatch(/changed: shop\/40-web\.yaml/);

  // 2b. d on every row: the files against the object as it is in the cluster now.
  const rows = second.split('\n').filter((r) => /^[› ] . \S/.test(r)).length;
  expect(rows).toBeGreaterThanOrEqual(7);
  for (let i = 0; i < rows; i++) {
    tmux('send-keys', '-t', 'watch', 'd');
    const detail = await waitForScreen((s) => /^diff /m.test(s), `d on row ${i + 1}`);
    expect(detail).not.toContain('/dev/null');
    expect(detail).not.toMatch(/replicas: 2/);
    expect(detail).toMatch(/in sync|a hook: created by each apply/);
    tmux('send-keys', '-t', 'watch', 'Escape');
    await waitForScreen((s) => /^q quit +a apply now/m.test(s), 'the overlay closed');
    // One key per read: keys arriving together reach the screen as one input.
    const selected = (s: string) => s.split('\n').filter((r) => /^[› ] . \S/.test(r)).findIndex((r) => r.startsWith('›'));
    tmux('send-keys', '-t', 'watch', 'j');
    if (i < rows - 1) await waitForScreen((s) => selected(s) === i + 1, `row ${i + 2} selected`);
  }

  // 2c. kubectl scale: drifted, by kubectl, within a second (no --self-heal: it stays).
  expect(kubectl('scale', 'deployment/web', '-n', 'shop', '--replicas=6').status).toBe(0);
  const scaledAt = Date.now();
  const drifted = await waitForScreen((s) => /drifted Deployment shop\/web spec\.replicas 3 → 6 by kubectl/.test(s), 'drift by kubectl', 5_000, 50);
  expect(Date.now() - scaledAt).toBeLessThan(1000);
  expect(drifted).toMatch(/^drift \(1\)/m);
  // kubectl label: a field kd never set, added during the watch: foreign, by kubectl.
  expect(kubectl('label', 'deployment/web', '-n', 'shop', 'tier=gold').status).toBe(0);
  await waitForScreen((s) => /foreign Deployment shop\/web metadata\.labels\.tier "gold" by kubectl/.test(s), 'the label as foreign', 5_000, 50);

  expect(history()).not.toContain(dir);

  // 3. An invalid edit: its diagnostic, and nothing applied.
  writeFileSync(web, readFileSync(web, 'utf8').replace('replicas: 3', 'replicas: three'));
  const invalid = await waitForScreen((s) => s.includes('problems (1): nothing applied'), 'the problem');
  expect(invalid).toContain('shop/40-web.yaml:12:13: error: spec.replicas');
  expect(invalid).toMatch(/revision 2 +✗ invalid/);
  expectOneFrame(invalid);
  await new Promise((r) => setTimeout(r, 500));
  expect(screen()).not.toMatch(/revision 3/);

  // 4. q: exit 0, the cursor back, the lock released, the cluster still at the last good state.
  tmux('send-keys', '-t', 'watch', 'q');
  await waitForScreen((s) => s.includes('KD-EXIT=0'), 'exit code 0', 15_000);
  expect(tmux('display-message', '-p', '-t', 'watch', '#{cursor_flag} #{alternate_on}').stdout.trim()).toBe('1 0');
  const session = await connectCluster({ kubeconfig, env: {}, cacheDir: false });
  try {
    const leases = await session.client.list({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, { allNamespaces: true, labelSelector: 'kd.io/release=shop' });
    expect(leases.items).toEqual([]);
    const deployment = await session.client.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    // Scaled by hand to 6 above, and not self-healed.
    expect((deployment?.spec as { replicas?: number }).replicas).toBe(6);
  } finally {
    session.close();
  }
}, 150_000);

test('watch --self-heal: kubectl scale is undone within 5 s, with a line naming who changed what', async () => {
  tmux('kill-session', '-t', 'watch');
  const kubeconfig = path.join(dir, 'kubeconfig');
  // The files say 3 (the first test's edit, before its invalid one): put that back.
  const web = path.join(dir, 'shop', '40-web.yaml');
  writeFileSync(web, readFileSync(web, 'utf8').replace('replicas: three', 'replicas: 3'));
  // The cluster as the files say again (the first test scaled it to 6), so the watch starts in sync.
  expect(kubectl('scale', 'deployment/web', '-n', 'shop', '--replicas=3').status).toBe(0);
  const command = `cd ${dir} && HOME=${dir} XDG_CACHE_HOME=${dir}/.cache CI=true NO_COLOR=1 ${process.execPath} ${bin} apply --watch shop --self-heal --kubeconfig ${kubeconfig}; echo KD-EXIT=$?; sleep 60`;
  expect(tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', command).status).toBe(0);
  const start = await waitForScreen((s) => /revision \d+ +● watching/.test(s) && /last apply \S+ succeeded/.test(s), 'the first apply', 40_000);
  const revision = Number(/revision (\d+) +●/.exec(start)![1]);

  expect(kubectl('scale', 'deployment/web', '-n', 'shop', '--replicas=6').status).toBe(0);
  const scaledAt = Date.now();
  await waitForScreen((s) => /drifted Deployment shop\/web spec\.replicas 3 → 6 by kubectl/.test(s), 'drift by kubectl', 5_000, 50);
  expect(Date.now() - scaledAt).toBeLessThan(1000);
  const restored = await waitForScreen((s) => / web: spec\.replicas 3 → 6 by kubectl\S* \(Update\) \d\d:\d\d:\d\d · restored/.test(s), 'restored', 10_000, 50);
  const replicas = () => kubectl('get', 'deployment/web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}').stdout.trim();
  expect(replicas()).toBe('3');
  expect(history().match(/· restored/g)).toHaveLength(1);
  expect(Date.now() - scaledAt).toBeLessThan(5000);
  // Something was restored: one new revision, the one object written, no hook run.
  expect(restored).toMatch(new RegExp(`revision ${revision + 1} +● watching`));
  expect(history()).toMatch(new RegExp(`revision ${revision + 1} succeeded in \\S+ \\(1 applied, \\d+ unchanged\\)`));
  expect(history()).not.toContain(dir);

  tmux('send-keys', '-t', 'watch', 'q');
  await waitForScreen((s) => s.includes('KD-EXIT=0'), 'exit code 0', 15_000);
}, 120_000);

function kubectl(...args: string[]) {
  return spawnSync('kubectl', ['--kubeconfig', path.join(dir, 'kubeconfig'), ...args], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
}
