/**
 * What every step of one run shares: the request, the cluster, the clock, the event sink, the
 * watch cache and the counters. Built once by `runApply`; the steps (objects.ts, hooks.ts,
 * prune.ts) read it and never keep state of their own.
 */
import type { ClusterClock } from '../cluster/clock.js';
import type { ClusterClient } from '../cluster/types.js';
import type { KubeObject } from '../model/index.js';
import type { CollectionCache } from './collection-cache.js';
import type { ApplyEvent } from './events.js';

/** The distributive Omit, so that each event type keeps its own fields. */
export type EventInput = ApplyEvent extends infer E ? (E extends ApplyEvent ? Omit<E, 'at'> : never) : never;

export interface RunCounts {
  applied: number;
  unchanged: number;
  pruned: number;
  hooks: number;
  /** Delete runs only: objects deleted. */
  deleted?: number;
}

export interface RunContext {
  client: ClusterClient;
  clock: ClusterClock;
  /** Aborted on interrupt (or a lost lock): no new work starts, requests in flight end. */
  signal: AbortSignal;
  cache: CollectionCache;
  emit(event: EventInput): void;
  dryRun: 'none' | 'client' | 'server';
  diff: boolean;
  forceConflicts: boolean;
  concurrency: number;
  /** `--timeout`, as a point on the clock. */
  deadline: number;
  unschedulableGraceMs?: number;
  /** What the cluster held before the run, by object key. */
  live: Map<string, KubeObject>;
  /** Namespaces known to exist. */
  namespaces: Set<string>;
  /** Namespaces some desired Namespace object creates (the plan orders those). */
  desiredNamespaces: Set<string>;
  /** `group/Kind` of the custom resources whose CustomResourceDefinitions this run applies. */
  desiredKinds?: Set<string>;
  counts: RunCounts;
  /** Values of the Secrets this run applies: masked in what custom health checks show of answers. */
  secretValues?: Set<string>;
}
