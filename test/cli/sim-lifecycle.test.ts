/**
 * kd sim's promises about its surroundings (issue 20): one Kubernetes version (the banner's, what
 * kubectl reads from /version, the nodes' kubeletVersion); the temporary kubeconfig it chose is
 * removed when it stops; --add-context never replaces an existing kd-sim context without --force.
 * In-process (runCli with an abort signal standing for Ctrl-C), kubectl as a child process.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../plugin/cli.js';
import type { CommandContext } from '../../plugin/context.js';

const run = promisify(execFile);

/** Starts `kubectl kd sim ARGS` in-process; resolves once it printed its banner. */
async function startSim(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const controller = new AbortController();
  const ctx: CommandContext = { stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1', ...env }, cwd: env.HOME!, signal: controller.signal, version: '0.1.0', interrupt: { handled: false } };
  const done = runCli(['sim', ...args], ctx);
  const until = Date.now() + 20_000;
  while (!out.includes('press Ctrl-C') && Date.now() < until) {
    const finished = await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
    if (finished) break;
  }
  return { banner: () => out, stderr: () => err, stop: async () => (controller.abort(), await done), done };
}

const home = () => mkdtempSync(path.join(tmpdir(), 'kd-sim-home-'));

describe('kd sim', () => {
  it('reports one Kubernetes version: in its banner, to kubectl, and as the nodes\' kubelet version', async () => {
    const h = home();
    const kubeconfig = path.join(h, 'sim.kubeconfig');
    const sim = await startSim(['--kubeconfig-out', kubeconfig], { HOME: h });
    try {
      const version = /reports Kubernetes (v\d+\.\d+\.\d+)/.exec(sim.banner())?.[1];
      expect(version).toBe('v1.32.4');
      expect(sim.banner()).toMatch(/serves the API of built-in schemas \(Kubernetes \d+\.\d+\)/);
      const v = JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], { env: { ...process.env, HOME: h } })).stdout);
      expect(v.serverVersion.gitVersion).toBe(version);
      const until = Date.now() + 10_000;
      let kubelets = '';
      while (Date.now() < until && kubelets === '') {
        kubelets = (await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'jsonpath={.items[*].status.nodeInfo.kubeletVersion}'], { env: { ...process.env, HOME: h } })).stdout.trim();
      }
      expect(new Set(kubelets.split(' '))).toEqual(new Set([version]));
    } finally {
      await sim.stop();
    }
  });

  it('removes the temporary kubeconfig it chose when it stops (and keeps one given with --kubeconfig-out)', async () => {
    const h = home();
    const sim = await startSim([], { HOME: h });
    const file = /kubeconfig written to (\S+)/.exec(sim.banner())?.[1];
    expect(file).toBeDefined();
    expect(sim.banner()).toContain('(removed when the sim stops)');
    expect(existsSync(file!)).toBe(true);
    expect(await sim.stop()).toBe(0);
    expect(existsSync(file!)).toBe(false);
    const kept = path.join(h, 'mine.kubeconfig');
    const own = await startSim(['--kubeconfig-out', kept], { HOME: h });
    expect(await own.stop()).toBe(0);
    expect(existsSync(kept)).toBe(true);
  });

  it('--add-context refuses to replace an existing kd-sim context unless --force', async () => {
    const h = home();
    const config = path.join(h, 'config');
    const theirs = 'apiVersion: v1\nkind: Config\ncurrent-context: work\nclusters:\n- name: kd-sim\n  cluster: { server: "https://10.0.0.1:6443" }\ncontexts:\n- name: kd-sim\n  context: { cluster: kd-sim, user: me }\n- name: work\n  context: { cluster: kd-sim, user: me }\nusers:\n- name: me\n  user: { token: abc }\n';
    writeFileSync(config, theirs);
    const refused = await startSim(['--add-context', '--kubeconfig', config], { HOME: h });
    expect(await refused.done).toBe(2);
    expect(refused.stderr()).toContain(`error: ${config} already has a context named kd-sim; kd sim will not replace it`);
    expect(refused.stderr()).toContain('hint: pass --force to replace it');
    expect(readFileSync(config, 'utf8')).toBe(theirs);
    const forced = await startSim(['--add-context', '--force', '--kubeconfig', config], { HOME: h });
    expect(forced.banner()).toContain(`context kd-sim added to ${config}`);
    expect(await forced.stop()).toBe(0);
    const merged = parse(readFileSync(config, 'utf8'));
    expect(merged['current-context']).toBe('work');
    expect(merged.clusters.find((c: { name: string }) => c.name === 'kd-sim').cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:/);
  });
});
