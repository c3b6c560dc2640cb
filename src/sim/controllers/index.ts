/**
 * The simulated controllers of `kd sim`, as one list the server starts over its ControllerHost:
 * nodes, scheduler, kubelet, and the workload, storage, service and namespace controllers.
 * Each entry returns its stop function. Behaviour is a function of the store and the clock.
 */
import type { ControllerHost } from '../controller-host.js';
import { startNodes } from './nodes.js';
import { startScheduler } from './scheduler.js';
import { startKubelet } from './kubelet.js';
import { startReplicaSetController } from './replica-set.js';
import { startDeploymentController } from './deployment.js';
import { startStatefulSetController } from './stateful-set.js';
import { startDaemonSetController } from './daemon-set.js';
import { startJobController } from './job.js';
import { startVolumeController } from './volumes.js';
import { startEndpointSliceController, startLoadBalancerController } from './services.js';
import { startNamespaceController } from './namespaces.js';
import type { RunOptions } from './work-queue.js';

export { ManualClock, ScaledClock, type ScaledClockOptions } from './clock.js';
export { FAIL_ANNOTATION, READY_AFTER_ANNOTATION, FAILURE_MODES, type FailureMode } from './failure-injection.js';

export interface BuiltinControllerOptions {
  /** Simulated nodes `node-1` ... `node-N` created at start (default 3). */
  nodes?: number;
  /** Time from a pod's binding to Ready (default 1000 ms simulated); `sim.kd.io/ready-after` overrides it per pod. */
  podReadyDelayMs?: number;
  /** Told about reconcile failures (they are retried with back-off); silent by default. */
  onError?: RunOptions['onError'];
}

export type ControllerStarter = (host: ControllerHost) => () => void;

export function builtinControllers(options: BuiltinControllerOptions = {}): ControllerStarter[] {
  const run: RunOptions = options.onError ? { onError: options.onError } : {};
  return [
    startNodes(options.nodes ?? 3),
    startScheduler(run),
    startKubelet({ ...run, podReadyDelayMs: options.podReadyDelayMs ?? 1000 }),
    startReplicaSetController(run),
    startDeploymentController(run),
    startStatefulSetController(run),
    startDaemonSetController(run),
    startJobController(run),
    startVolumeController(run),
    startLoadBalancerController(run),
    startEndpointSliceController(run),
    startNamespaceController(run),
  ];
}

/** Starts every controller; the returned function stops them all. */
export function startControllers(host: ControllerHost, starters: ControllerStarter[]): () => void {
  const stops = starters.map((start) => start(host));
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
