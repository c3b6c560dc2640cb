/**
 * Runs the custom health checks (`kd.io/health-check`) of objects that are already healthy by
 * their kind's rules: an HTTP GET through the API server's proxy subresource, or a command
 * through `pods/exec`, on each ready pod of the current rollout (rollout-pods.ts; a Service: its
 * proxy), until every one passes or the object's deadline comes. Failed attempts are retried
 * with backoff on the injected clock. What to check, the paths and the verdicts are pure
 * (src/health/custom-check.ts); this module only does the calls and the waiting.
 */
import {
  checkBackoffMs,
  checksService,
  commandResult,
  describeCheck,
  httpResult,
  isPodReady,
  nameOf,
  podPort,
  podProxyPath,
  servicePort,
  serviceProxyPath,
  type CheckResult,
  type HealthCheckSpec,
} from '../health/index.js';
import { describeRef, type KubeObject, type ObjectRef } from '../model/index.js';
import type { ClusterClock } from '../cluster/clock.js';
import type { ClusterClient } from '../cluster/types.js';
import { ClusterRequestError } from '../cluster/errors.js';
import type { HealthCheckEvent } from './events.js';

/** What the checks need of the cluster: the two subresource calls, and the current rollout's pods. */
export interface HealthCheckIo {
  proxyGet: NonNullable<ClusterClient['proxyGet']>;
  exec: NonNullable<ClusterClient['exec']>;
  /** The object as the cluster has it now (a Service, or the workload). */
  live(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** The pods of the object's current rollout (for a Pod: itself). */
  rolloutPods(ref: ObjectRef, live: KubeObject): Promise<KubeObject[]>;
}

export interface HealthCheckTarget {
  ref: ObjectRef;
  spec: HealthCheckSpec;
  /** Clock time by which the check must have passed. */
  deadline: number;
}

export interface HealthCheckContext {
  io: HealthCheckIo;
  clock: ClusterClock;
  signal: AbortSignal;
  emit(event: Omit<HealthCheckEvent, 'type' | 'at'>): void;
  /** Values of the run's Secrets, masked in what is shown of bodies and output. */
  secrets?: readonly string[];
}

export type HealthCheckOutcome = { ok: true } | { ok: false; ref: ObjectRef; check: string; message: string };

/** Runs each target's check (one after the other, each to its own deadline); the first failure ends it. */
export async function runHealthChecks(targets: readonly HealthCheckTarget[], ctx: HealthCheckContext): Promise<HealthCheckOutcome> {
  for (const target of targets) {
    const outcome = await runOne(target, ctx);
    if (!outcome.ok) return outcome;
  }
  return { ok: true };
}

async function runOne(target: HealthCheckTarget, ctx: HealthCheckContext): Promise<HealthCheckOutcome> {
  const check = describeCheck(target.spec);
  const event = (state: HealthCheckEvent['state'], attempt: number, message: string, delayMs?: number) =>
    ctx.emit({ ref: target.ref, check, state, attempt, message, ...(delayMs === undefined ? {} : { delayMs }) });
  event('running', 1, `checking ${describeRef(target.ref)}`);
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const results = await attemptOnce(target, ctx);
    const failed = results.find((r) => !r.ok);
    if (failed === undefined) {
      event('passed', attempt, results.map((r) => `${r.target} ${r.detail}`).join(', '));
      return { ok: true };
    }
    const message = `${failed.target} ${failed.detail}`;
    const now = ctx.clock.now();
    if (now >= target.deadline) {
      event('failed', attempt, message);
      return { ok: false, ref: target.ref, check, message };
    }
    // The last attempt is made at the deadline itself, not a backoff step before it.
    const delayMs = Math.min(checkBackoffMs(attempt), target.deadline - now);
    event('retrying', attempt, message, delayMs);
    await ctx.clock.sleep(delayMs, ctx.signal);
  }
}

/** One attempt on every pod (or the Service); an error of the call itself is a failed result. */
async function attemptOnce(target: HealthCheckTarget, ctx: HealthCheckContext): Promise<CheckResult[]> {
  const { spec, ref } = target;
  const secrets = ctx.secrets ?? [];
  const ns = ref.namespace ?? 'default';
  const guard = async (what: string, call: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await call();
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (!(error instanceof ClusterRequestError)) throw error;
      return { target: what, ok: false, detail: `could not be checked: ${error.message}` };
    }
  };
  const live = await ctx.io.live(ref);
  if (live === undefined) return [{ target: describeRef(ref), ok: false, detail: 'is gone' }];
  if (checksService(live)) {
    if (spec.type !== 'http') return [{ target: `service ${ref.name}`, ok: false, detail: 'a Service can only have an http check (a command needs pods)' }];
    const port = servicePort(live, spec.port);
    if (port === undefined) return [{ target: `service ${ref.name}`, ok: false, detail: 'has no port to check (set kd.io/health-check-port)' }];
    const what = `service ${ref.name}`;
    return [await guard(what, async () => {
      const res = await ctx.io.proxyGet(serviceProxyPath(ns, ref.name, port, spec.path), { signal: ctx.signal });
      return httpResult(what, res.status, res.body, spec.expect, secrets);
    })];
  }
  const pods = (await ctx.io.rolloutPods(ref, live)).filter(isPodReady).sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  if (pods.length === 0) return [{ target: describeRef(ref), ok: false, detail: 'has no ready pod of its current rollout to check' }];
  return Promise.all(
    pods.map((pod) => {
      const name = nameOf(pod);
      const what = `pod ${name}`;
      if (spec.type === 'http') {
        const port = podPort(pod, spec.port);
        if (port === undefined)
          return { target: what, ok: false as const, detail: spec.port === undefined ? 'has no container port to check (set kd.io/health-check-port)' : `has no container port named ${spec.port}` };
        return guard(what, async () => {
          const res = await ctx.io.proxyGet(podProxyPath(ns, name, port, spec.path), { signal: ctx.signal });
          return httpResult(what, res.status, res.body, spec.expect, secrets);
        });
      }
      return guard(what, async () => {
        const res = await ctx.io.exec({ namespace: ns, pod: name, ...(spec.container ? { container: spec.container } : {}) }, spec.command, { signal: ctx.signal });
        return commandResult(what, res.exitCode, res.output, res.error, secrets);
      });
    }),
  );
}
