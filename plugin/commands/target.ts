/**
 * Opens what a command works on: a cluster from kubectl's flags, or an in-process kd sim
 * (`--sim`). Flags left unset are not passed on, so the core's defaults (context namespace,
 * rate limits, simulator speed) apply.
 */
import { openApplyTarget, type ApplyDeps, type ApplyTarget, type ApplyTargetRequest } from '../../src/index.js';
import type { CommandContext } from '../context.js';

/** The connection flags a command may carry; only `apply --watch` sets `simSpeed`. */
export type TargetFlags = Pick<ApplyTargetRequest, 'sim' | 'kubeconfig' | 'context' | 'namespace' | 'qps' | 'burst' | 'simSpeed'>;

export function openTarget(flags: TargetFlags, ctx: CommandContext): Promise<ApplyTarget> {
  return openApplyTarget({
    sim: flags.sim,
    env: ctx.env,
    version: ctx.version,
    ...(flags.simSpeed === undefined ? {} : { simSpeed: flags.simSpeed }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(flags.qps === undefined ? {} : { qps: flags.qps }),
    ...(flags.burst === undefined ? {} : { burst: flags.burst }),
  });
}

/** What the executor needs of a target for one run, stopped by `signal`. */
export function executorDeps(target: ApplyTarget, signal: AbortSignal): ApplyDeps {
  return { client: target.client, clock: target.clock, signal, ports: target.ports, retries: target.retries };
}
