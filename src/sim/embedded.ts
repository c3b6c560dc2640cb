/**
 * kd sim as kd's commands start it: the API server with the built-in (or given) schemas, the
 * simulated controllers on a clock that can run faster than real time, and the core validator
 * behind every write. `kubectl kd sim` and every `--sim` flag go through here, so they agree.
 */
import type { SchemaSource } from '../schema/types.js';
import { builtinControllers, ScaledClock } from './controllers/index.js';
import { startSim, type SimHandle, type SimOptions } from './server.js';

export interface EmbeddedSimOptions extends Omit<SimOptions, 'schemaSource' | 'clock' | 'controllers'> {
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

export async function startEmbeddedSim(options: EmbeddedSimOptions): Promise<EmbeddedSim> {
  const { speed, nodes, podReadyDelayMs, ...rest } = options;
  const clock = new ScaledClock({ speed: speed ?? 1 });
  const handle = await startSim({
    ...rest,
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
