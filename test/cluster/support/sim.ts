/**
 * Helpers for the cluster tests: a `kd sim` on loopback with the built-in bundle's Kubernetes API, a temp
 * cache folder per test, a request log (to count what went over the wire), a fake clock, and a
 * client connected through the sim's own kubeconfig.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SchemaDirSource } from '../../../src/io/schema-dir-source.js';
import { startSim, type SimHandle, type SimOptions } from '../../../src/sim/server.js';
import { connectCluster, type ConnectedCluster, type ConnectOptions } from '../../../src/cluster/index.js';
import type { ClusterClock } from '../../../src/cluster/clock.js';
import { BUILT_IN_SCHEMAS } from '../../support/schemas.js';
import { crdWithSpec } from '../../support/validating-sim.js';

export const openapiDir = BUILT_IN_SCHEMAS;
export const schemaSource = new SchemaDirSource(openapiDir);

export interface TestSim {
  sim: SimHandle;
  /** `METHOD /path?query STATUS` per request, in order. */
  requests: string[];
  tmp: string;
  connect(options?: Partial<ConnectOptions>): Promise<ConnectedCluster>;
  stop(): Promise<void>;
}

export async function startTestSim(options: Partial<SimOptions> = {}): Promise<TestSim> {
  const requests: string[] = [];
  const sim = await startSim({
    schemaSource,
    log: (line) => {
      const m = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\d+)/.exec(line);
      if (m) requests.push(`${m[1]} ${m[2]} ${m[3]}`);
    },
    ...options,
  });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kd-cluster-'));
  const sessions: ConnectedCluster[] = [];
  return {
    sim,
    requests,
    tmp,
    async connect(overrides = {}) {
      const s = await connectCluster({ kubeconfigText: sim.kubeconfig(), env: {}, cacheDir: path.join(tmp, 'cache'), ...overrides });
      sessions.push(s);
      return s;
    },
    async stop() {
      for (const s of sessions) s.close();
      await sim.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Time that moves only when someone sleeps: every wait is recorded and returns at once. */
export class FakeClock implements ClusterClock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
    await Promise.resolve();
  }
}

/** A CRD with a schema that keeps unknown fields under `spec.extra` and has a status subresource. */
export function widgetCrd(options: { group?: string; kind?: string; plural?: string } = {}): Record<string, unknown> {
  return crdWithSpec(
    options.group ?? 'example.com',
    options.kind ?? 'Widget',
    { size: { type: 'integer', minimum: 1 }, color: { type: 'string' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    { plural: options.plural ?? 'widgets', shortNames: ['wd'], status: { phase: { type: 'string' } } },
  );
}
