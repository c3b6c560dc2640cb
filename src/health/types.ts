/**
 * The value every health check returns. Health is data, never an exception: a check reads one
 * object (and, for workloads, the pods and events the caller matched to it) and says where it
 * stands. The vocabulary follows kstatus (Current, InProgress, Failed, Terminating, NotFound,
 * Unknown); `failFast` marks failures that will not heal by waiting, so the gate stops at once
 * instead of running into its timeout.
 */
import type { KubeObject } from '../model/index.js';

export type HealthState = 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown';

export interface HealthResult {
  state: HealthState;
  /** One CamelCase word, stable for tests and machines (`ProgressDeadlineExceeded`, `Available`). */
  reason: string;
  /** One sentence for people: what is happening, with counts and the controller's own words. */
  message: string;
  /** Ready against desired replicas (or completions), for progress displays. */
  ready?: { ready: number; desired: number };
  /** Set on failures that waiting cannot fix: the gate should stop now rather than at its timeout. */
  failFast?: boolean;
}

export interface HealthContext {
  /** Milliseconds since the epoch; the only clock a check sees. */
  now: number;
  /** Pods of the workload, matched by the caller (owner references or selector). */
  pods?: KubeObject[];
  /** Recent Events about the object and its pods, matched by the caller. */
  events?: KubeObject[];
  /** How long a pod may stay Unschedulable before that counts as a failure. Default 30 s. */
  unschedulableGraceMs?: number;
  /**
   * Hooks wait for completion, not readiness: a hook Pod must have Succeeded, not merely be
   * Ready. Jobs need completion either way.
   */
  completion?: boolean;
}

/** One kind's rules: a pure function of the object (its deletion and generation already handled). */
export type HealthCheck = (object: KubeObject, context: ResolvedHealthContext) => HealthResult;

/** The context after defaults, as kind checks see it. */
export interface ResolvedHealthContext {
  now: number | undefined;
  pods: KubeObject[];
  events: KubeObject[];
  unschedulableGraceMs: number;
  completion: boolean;
}

export const DEFAULT_UNSCHEDULABLE_GRACE_MS = 30_000;

export const result = {
  current: (reason: string, message: string, ready?: HealthResult['ready']): HealthResult => withReady({ state: 'Current', reason, message }, ready),
  inProgress: (reason: string, message: string, ready?: HealthResult['ready']): HealthResult =>
    withReady({ state: 'InProgress', reason, message }, ready),
  failed: (reason: string, message: string, options?: { failFast?: boolean; ready?: HealthResult['ready'] }): HealthResult => {
    const r = withReady({ state: 'Failed', reason, message }, options?.ready);
    if (options?.failFast) r.failFast = true;
    return r;
  },
  unknown: (reason: string, message: string): HealthResult => ({ state: 'Unknown', reason, message }),
};

function withReady(r: HealthResult, ready: HealthResult['ready'] | undefined): HealthResult {
  if (ready !== undefined) r.ready = ready;
  return r;
}
