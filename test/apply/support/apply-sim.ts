/**
 * Helpers for the apply tests: a `kd sim` with the built-in bundle's Kubernetes API and the built-in
 * controllers on a fast clock, a client connected through its kubeconfig, the executor's clock
 * tied to the simulator's (so timeouts and grace periods are simulated time), and manifests
 * from YAML text.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { SchemaDirSource } from '../../../src/io/schema-dir-source.js';
import type { SchemaSource } from '../../../src/schema/types.js';
import { startSim, type SimHandle } from '../../../src/sim/server.js';
import { builtinControllers, ScaledClock } from '../../../src/sim/controllers/index.js';
import { connectCluster, type ClusterSession } from '../../../src/cluster/index.js';
import type { ClusterClock } from '../../../src/cluster/clock.js';
import { applyNamespaceDefaults, loadManifests } from '../../../src/manifest/index.js';
import type { Manifest } from '../../../src/model/index.js';
import { collectApply, RetryFeed, type ApplyEvent, type ApplyRequest, type ReleasePorts } from '../../../src/apply/index.js';
import { BUILT_IN_SCHEMAS } from '../../support/schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const openapiDir = BUILT_IN_SCHEMAS;
export const fixturesDir = path.resolve(here, '../../fixtures/apply');
const schemaSource = new SchemaDirSource(openapiDir);

export interface ApplySim {
  sim: SimHandle;
  session: ClusterSession;
  clock: ClusterClock;
  simClock: ScaledClock;
  retries: RetryFeed;
  apply(request: Partial<ApplyRequest> & { objects: ApplyRequest['objects'] }, options?: { signal?: AbortSignal; ports?: ReleasePorts }): Promise<ApplyEvent[]>;
  stop(): Promise<void>;
}

export interface ApplySimOptions {
  /** Simulated milliseconds per real one. Default 20. */
  speed?: number;
  podReadyDelayMs?: number;
  faults?: string;
  /** The sim's schemas; the built-in bundle by default, as `kubectl kd apply --sim` uses. */
  schemaSource?: SchemaSource;
}

export async function startApplySim(options: ApplySimOptions = {}): Promise<ApplySim> {
  const simClock = new ScaledClock({ speed: options.speed ?? 20 });
  const sim = await startSim({
    schemaSource: options.schemaSource ?? schemaSource,
    clock: simClock,
    controllers: builtinControllers({ podReadyDelayMs: options.podReadyDelayMs ?? 1000 }),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const retries = new RetryFeed();
  const session = await connectCluster({ kubeconfigText: sim.kubeconfig(), env: {}, cacheDir: false, onRetry: retries.push, retry: { baseDelayMs: 20, maxDelayMs: 200 }, qps: 1000, burst: 1000 });
  const clock = simulatedClock(simClock);
  return {
    sim,
    session,
    clock,
    simClock,
    retries,
    apply: (request, opts = {}) =>
      collectApply(
        { timeoutMs: 120_000, ...request },
        { client: session.client, clock, signal: opts.signal ?? new AbortController().signal, retries, ...(opts.ports ? { ports: opts.ports } : {}) },
      ),
    async stop() {
      session.close();
      await sim.stop();
      simClock.dispose();
    },
  };
}

/** The executor's clock on simulated time: `--timeout 2m` at speed 20 is six real seconds. */
export function simulatedClock(simClock: ScaledClock): ClusterClock {
  return {
    now: () => simClock.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const cancel = simClock.setTimer(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        const onAbort = () => {
          cancel();
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** Manifests from YAML text, namespaces defaulted to `defaultNamespace` (built-in kinds' scopes). */
export function manifests(text: string, defaultNamespace = 'default'): Manifest[] {
  const loaded = loadManifests([{ path: 'test.yaml', text }]);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return applyNamespaceDefaults(loaded.manifests, { defaultNamespace, isNamespaced: (gvk) => !CLUSTER_SCOPED.has(gvk.kind) });
}

export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'IngressClass', 'PriorityClass']);

/** One line per event, without volatile parts: for asserting order. */
export function eventLines(events: readonly ApplyEvent[], types?: ReadonlyArray<ApplyEvent['type']>): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (types && !types.includes(e.type)) continue;
    switch (e.type) {
      case 'wave-started':
        out.push(`wave-started ${e.wave}`);
        break;
      case 'wave-finished':
        out.push(`wave-finished ${e.wave} ${e.ok ? 'ok' : 'failed'}`);
        break;
      case 'object-applied':
        out.push(`applied ${e.action} ${e.ref.kind} ${e.ref.name}`);
        break;
      case 'health-changed':
        out.push(`health ${e.ref.kind} ${e.ref.name} ${e.status}`);
        break;
      case 'hook-started':
        out.push(`hook-started ${e.phase} ${e.ref.kind} ${e.ref.name}`);
        break;
      case 'hook-finished':
        out.push(`hook-finished ${e.phase} ${e.ref.kind} ${e.ref.name} ${e.ok ? 'ok' : 'failed'}${e.deleted ? ' deleted' : ''}`);
        break;
      case 'prune':
        out.push(`prune ${e.ref.kind} ${e.ref.name} ${e.result}`);
        break;
      case 'done':
        out.push(`done ${e.status}${e.failure ? ` ${e.failure.kind}` : ''}`);
        break;
      default:
        out.push(e.type);
    }
  }
  return out;
}

export function doneOf(events: readonly ApplyEvent[]): Extract<ApplyEvent, { type: 'done' }> {
  const done = events.at(-1);
  if (!done || done.type !== 'done') throw new Error(`the last event is not done: ${JSON.stringify(done)}`);
  return done;
}
