/** Test harness: a FakeHost on a ManualClock with the built-in controllers started over it. */
import { ManualClock } from '../../../src/sim/controllers/clock.js';
import { builtinControllers, startControllers, type BuiltinControllerOptions } from '../../../src/sim/controllers/index.js';
import type { ResourceKey } from '../../../src/sim/controller-host.js';
import type { KubeObject } from '../../../src/model/object-ref.js';
import { FakeHost } from './fake-host.js';

export const START = Date.UTC(2025, 0, 1);

export interface Sim {
  clock: ManualClock;
  host: FakeHost;
  stop: () => void;
  /** Advances simulated time by ms, letting every controller react. */
  run: (ms: number) => void;
  get: (key: ResourceKey, namespace: string | undefined, name: string) => any;
  list: (key: ResourceKey, namespace?: string) => any[];
  apply: (key: ResourceKey, object: KubeObject) => any;
}

export function startSim(options: BuiltinControllerOptions = {}): Sim {
  const clock = new ManualClock(START);
  const host = new FakeHost(clock);
  const errors: unknown[] = [];
  const stop = startControllers(host, builtinControllers({ ...options, onError: (c, k, e) => errors.push(new Error(`${c} ${k}: ${String(e)}`, { cause: e })) }));
  const check = () => {
    if (errors.length > 0) throw errors[0];
  };
  return {
    clock,
    host,
    stop,
    run: (ms) => {
      clock.advance(ms);
      check();
    },
    get: (key, ns, name) => host.get(key, ns, name),
    list: (key, ns) => host.list(key, ns),
    apply: (key, object) => {
      const m = object.metadata as { name: string; namespace?: string };
      const existing = host.get(key, m.namespace ?? (key.resource === 'nodes' ? undefined : 'default'), m.name);
      if (!existing) return host.create(key, object, 'kubectl');
      return host.update(key, { ...existing, ...object, metadata: { ...(existing.metadata as object), ...(object.metadata as object) } }, 'kubectl');
    },
  };
}

export function deployment(name: string, options: { replicas?: number; image?: string; annotations?: Record<string, string>; podAnnotations?: Record<string, string>; strategy?: unknown; progressDeadlineSeconds?: number; revisionHistoryLimit?: number; minReadySeconds?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      ...(options.strategy ? { strategy: options.strategy } : {}),
      ...(options.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: options.progressDeadlineSeconds } : {}),
      ...(options.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: options.revisionHistoryLimit } : {}),
      ...(options.minReadySeconds !== undefined ? { minReadySeconds: options.minReadySeconds } : {}),
      template: {
        metadata: { labels: { app: name }, ...(options.podAnnotations ? { annotations: options.podAnnotations } : {}) },
        spec: { containers: [{ name: 'app', image: options.image ?? 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] },
      },
    },
  };
}

/** Status conditions as `Type=Status/Reason` strings, in stored order. */
export function conditions(o: any): string[] {
  return ((o?.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string }>).map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);
}
