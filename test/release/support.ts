/**
 * Helpers for the release tests: a `kd sim` with the built-in bundle's Kubernetes API (no controllers unless
 * asked), a client connected through its kubeconfig, a manual clock for lock and record times,
 * and fresh namespaces per test.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { startSim, type SimHandle } from '../../src/sim/server.js';
import { builtinControllers } from '../../src/sim/controllers/index.js';
import type { ConnectedCluster } from '../../src/cluster/index.js';
import type { ClusterClock } from '../../src/cluster/clock.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';
import { connectToSim } from '../support/connected-sim.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const openapiDir = BUILT_IN_SCHEMAS;
export const fixturesDir = path.resolve(here, '../fixtures/release');

export interface ReleaseSim {
  sim: SimHandle;
  session: ConnectedCluster;
  /** A kubeconfig file for the sim (for the CLI and kubectl). */
  kubeconfigPath: string;
  namespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startReleaseSim(options: { controllers?: boolean } = {}): Promise<ReleaseSim> {
  const sim = await startSim({ schemaSource: new SchemaDirSource(openapiDir), ...(options.controllers ? { controllers: builtinControllers({ podReadyDelayMs: 50 }) } : {}) });
  return connectToSim(sim, 'kd-release-');
}

/**
 * A clock that moves only when told (`advance`) or when someone sleeps on it with `autoAdvance`:
 * then a sleep jumps the time forward at once, so waits of 30 s take no real time. A test waits
 * for the code under test to reach its sleep with `untilSleeping`, never with a real timeout.
 */
export class ManualClock implements ClusterClock {
  #now: number;
  #sleepers: Array<{ at: number; resolve: () => void }> = [];
  #watchers: Array<{ count: number; resolve: () => void }> = [];
  autoAdvance = false;

  /** Resolves once at least `count` sleeps are pending on this clock. */
  untilSleeping(count = 1): Promise<void> {
    if (this.#sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#watchers.push({ count, resolve }));
  }

  #sleepersChanged(): void {
    const ready = this.#watchers.filter((w) => this.#sleepers.length >= w.count);
    this.#watchers = this.#watchers.filter((w) => this.#sleepers.length < w.count);
    for (const w of ready) w.resolve();
  }

  constructor(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.resolve();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (this.autoAdvance) {
        // Yield first, so that other work (a holder releasing) runs between polls.
        setTimeout(() => {
          this.#now += ms;
          resolve();
        }, 5);
        return;
      }
      const entry = { at: this.#now + ms, resolve: () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      } };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== entry);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(entry);
      this.#sleepersChanged();
    });
  }
}

export function configMap(name: string, namespace: string, data: Record<string, string> = { key: 'value' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** Deterministic text that gzip cannot shrink much (xorshift32 over base64 letters: 6 bits of entropy per byte). */
export function incompressible(bytes: number, seed = 7): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = (seed * 2654435761) >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(alphabet[x >>> 26]!);
  }
  return out.join('');
}
