/**
 * kd sim as kd's commands start it: the API server with the built-in (or given) schemas, the
 * simulated controllers on a clock that can run faster than real time, and the core validator
 * behind every write. `kubectl kd sim` and every `--sim` flag go through here, so they agree.
 */
import { SchemaRegistry } from '../schema/registry.js';
import { parseGroupVersionPath, type SchemaSource } from '../schema/types.js';
import { builtinControllers, ScaledClock } from './controllers/index.js';
import { coreWriteValidator } from './core-validation.js';
import type { WriteValidator } from './rest-storage.js';
import { servedByDefault, startSim, type SimHandle, type SimOptions } from './server.js';

export interface EmbeddedSimOptions extends Omit<SimOptions, 'schemaSource' | 'clock' | 'controllers' | 'validator'> {
  schemaSource: SchemaSource;
  /** Simulated seconds per real second for the controllers (pods becoming ready, rollouts). Default 1. */
  speed?: number;
  /** Simulated nodes (DaemonSets run one pod per node). Default 3. */
  nodes?: number;
  /** Time a pod takes from scheduled to ready, before `sim.kd.io/ready-after`. Default 1 s. */
  podReadyDelayMs?: number;
}

export interface EmbeddedSim extends SimHandle {
  clock: ScaledClock;
}

/**
 * The core validator over the source's served group-versions, loaded before the server starts
 * (its first writes, the seeded namespaces, are already validated). Shares the source's parsed
 * documents with the server's catalog when the source caches them, as the schema sources do.
 * The CEL engine is not loaded here: the validator loads it before the first write that can
 * meet a rule (`prepare`), so a `--sim` run of built-in kinds never pays for it.
 */
export async function coreValidatorFor(source: SchemaSource, serve: (gv: { group: string; version: string }) => boolean = servedByDefault): Promise<WriteValidator> {
  const registry = new SchemaRegistry([source]);
  const served = (await source.groupVersions()).filter((p) => {
    const gv = parseGroupVersionPath(p);
    return gv !== undefined && serve(gv);
  });
  await registry.ensure(served);
  return coreWriteValidator(registry);
}

export async function startEmbeddedSim(options: EmbeddedSimOptions): Promise<EmbeddedSim> {
  const { speed, nodes, podReadyDelayMs, ...rest } = options;
  const clock = new ScaledClock({ speed: speed ?? 1 });
  const handle = await startSim({
    ...rest,
    validator: await coreValidatorFor(options.schemaSource, options.serveGroupVersion),
    clock,
    controllers: builtinControllers({ nodes: nodes ?? 3, podReadyDelayMs: podReadyDelayMs ?? 1000 }),
  });
  const stop = handle.stop.bind(handle);
  return Object.assign(handle, {
    clock,
    stop: async () => {
      await stop();
      clock.dispose();
    },
  });
}
