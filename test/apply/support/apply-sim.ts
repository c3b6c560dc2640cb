/**
 * Helpers for the apply tests: a `kd sim` with the built-in bundle's Kubernetes API and the built-in
 * controllers, a client connected through its kubeconfig, and manifests from YAML text. The sim
 * and the executor share one virtual clock (virtual-clock.ts) that moves only while a test awaits
 * `apply`/`run`/`advance` and nothing is in flight: timeouts and grace periods are simulated time,
 * reached as fast as the work allows and never early on a loaded machine. The cluster client's
 * own retry and rate-limit waits are short real waits, counted as in flight (wire-monitor.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { SchemaDirSource } from '../../../src/io/schema-dir-source.js';
import type { SchemaSource } from '../../../src/schema/types.js';
import { startSim, type SimHandle } from '../../../src/sim/server.js';
import { builtinControllers } from '../../../src/sim/controllers/index.js';
import { connectCluster, type ConnectedCluster } from '../../../src/cluster/index.js';
import type { ClusterClock } from '../../../src/cluster/clock.js';
import { applyNamespaceDefaults, loadManifests } from '../../../src/manifest/index.js';
import type { Manifest } from '../../../src/model/index.js';
import { collectApply, RetryFeed, type ApplyEvent, type ApplyRequest, type ReleasePorts } from '../../../src/apply/index.js';
import { BUILT_IN_SCHEMAS } from '../../support/schemas.js';
import { VirtualClock } from './virtual-clock.js';
import { WireMonitor } from './wire-monitor.js';
// pods/exec loads ws on first use; loaded here, that module load is not in flight during a run.
import 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
export const openapiDir = BUILT_IN_SCHEMAS;
export const fixturesDir = path.resolve(here, '../../fixtures/apply');
const schemaSource = new SchemaDirSource(openapiDir);

export interface ApplySim {
  sim: SimHandle;
  session: ConnectedCluster;
  /** The executor's view of `simClock`. */
  clock: ClusterClock;
  simClock: VirtualClock;
  retries: RetryFeed;
  /** Awaits `work` with time moving (see VirtualClock.run): for executor calls other than `apply`. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Lets `ms` of simulated time pass. */
  advance(ms: number): Promise<void>;
  apply(request: Partial<ApplyRequest> & { objects: ApplyRequest['objects'] }, options?: { signal?: AbortSignal; ports?: ReleasePorts }): Promise<ApplyEvent[]>;
  stop(): Promise<void>;
}

export interface ApplySimOptions {
  podReadyDelayMs?: number;
  faults?: string;
  /** The sim's schemas; the built-in bundle by default, as `kubectl kd apply --sim` uses. */
  schemaSource?: SchemaSource;
}

export async function startApplySim(options: ApplySimOptions = {}): Promise<ApplySim> {
  const wire = new WireMonitor();
  const simClock = new VirtualClock({ busy: () => wire.busy() });
  const sim = await startSim({
    schemaSource: options.schemaSource ?? schemaSource,
    clock: simClock,
    onConnection: wire.onConnection,
    controllers: builtinControllers({ podReadyDelayMs: options.podReadyDelayMs ?? 1000 }),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  wire.port = Number(new URL(sim.url).port);
  const clock = simClock.cluster;
  const retries = new RetryFeed();
  const session = await connectCluster({ kubeconfigText: sim.kubeconfig(), env: {}, cacheDir: false, clock: wire.clientClock, onRetry: retries.push, retry: { baseDelayMs: 20, maxDelayMs: 200 }, qps: 1000, burst: 1000 });
  return {
    sim,
    session,
    clock,
    simClock,
    retries,
    run: (work) => simClock.run(work),
    advance: (ms) => simClock.advance(ms),
    apply: (request, opts = {}) =>
      simClock.run(
        collectApply(
          { timeoutMs: 120_000, ...request },
          { client: session.client, clock, signal: opts.signal ?? new AbortController().signal, retries, ...(opts.ports ? { ports: opts.ports } : {}) },
        ),
      ),
    async stop() {
      session.close();
      await sim.stop();
      simClock.dispose();
      wire.dispose();
    },
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

/** A Job as the hook tests write it: annotations on the Job and its pod; the pod finishes 2 s after it starts. `nameKey: generateName` for generated names. */
export function hookJob(name: string, annotations: Record<string, string>, podAnnotations: Record<string, string> = {}, nameKey = 'name'): string {
  return `
apiVersion: batch/v1
kind: Job
metadata:
  ${nameKey}: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  backoffLimit: 0
  template:
    metadata: { annotations: ${JSON.stringify({ 'sim.kd.io/ready-after': '2s', ...podAnnotations })} }
    spec: { restartPolicy: Never, containers: [{ name: task, image: example/task:1 }] }
`;
}
