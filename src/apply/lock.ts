/**
 * `LeaseLock`: two runs on one release never interleave. The lock is a Lease
 * (coordination.k8s.io/v1) `kd-lock-<release>` in the release's namespace.
 *
 *  1. Acquire: create the Lease with our holder identity (host/pid/random); if it exists and its
 *     holder renewed it within `leaseDurationSeconds` (default 30), another run holds it: fail at
 *     once with `LockHeldError` (naming the holder and since when), or with `wait` poll until it
 *     is released or expires. An expired Lease (its run died) or a released one is taken over.
 *     Every write carries the Lease's resourceVersion, so two runs racing for it cannot both win.
 *     Expiry never compares this machine's clock with another's (two CI runners whose clocks
 *     differ by more than the duration would steal a live lock). A Lease has expired when
 *     either (a) by the API server's clock (from the `Date` of its answers, `serverNow`) its
 *     renewTime is more than the duration (plus a second for `Date`'s resolution) ago — kd writes
 *     acquireTime and renewTime with the server's clock, so writer and reader share one clock —
 *     or (b) this run has watched the Lease stay unchanged (same resourceVersion) for the
 *     duration on its own clock: client-go's leaderelection rule, which needs no timestamps at
 *     all and covers a server that sends no `Date` and holders that wrote their own clock.
 *  2. Renew every third of the duration while running. When renewals keep failing until the
 *     duration has passed, or another holder took the Lease, `lost` aborts: the run must stop.
 *  3. Release: stop renewing and delete the Lease if it is still ours; never throws (a Lease left
 *     behind simply expires). The caller releases in `finally`, so Ctrl-C releases it too.
 *
 * Exit code: a held lock is not a usage or cluster-access problem but "this apply did not run",
 * so commands map `LockHeldError` to exit 1 (ExitCode.no), like any other failed run.
 * The clock is injected (it measures only elapsed time here): tests take over an expired lock on
 * a fake clock, and run holders on clocks skewed from the server's.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { KdError } from '../errors.js';
import type { KubeObject } from '../model/index.js';
import type { ClusterClient } from '../cluster/types.js';
import type { ClusterClock } from '../cluster/clock.js';
import { ClusterRequestError } from '../cluster/errors.js';
import type { AcquireLockOptions, LockHandle, HeldLock, ReleaseLock, ReleaseRef } from './ports.js';
import { isPlainObject as isMap } from '../model/json.js';
import { formatMicroTime as microTime } from '../model/time.js';

export type { HeldLock };
import { createNamespaceIfMissing } from './namespace.js';

export const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } as const;
export const DEFAULT_LEASE_SECONDS = 30;
/** `Date` has whole seconds and arrives after it was stamped: expiry by the server's clock waits this much longer. */
const SERVER_CLOCK_GRACE_MS = 1000;

export function lockName(release: string): string {
  return `kd-lock-${release}`;
}

/** The default holder identity: `host/pid/random`, unique per run. */
export function defaultHolderIdentity(): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/** Thrown by `acquire` without `wait` when another run holds the lock. */
export class LockHeldError extends KdError {
  readonly release: ReleaseRef;
  readonly holder: string;
  /** ISO time the holder took the lock. */
  readonly since: string;

  /** `where`: the lock as messages name it; default the Lease in the release's namespace. */
  constructor(release: ReleaseRef, holder: string, since: string, expiresInSeconds: number, where = `Lease ${lockName(release.name)}`) {
    super('cluster', `release ${release.name} in namespace ${release.namespace} is locked by ${holder} since ${since} (${where})`, {
      hint: `another run is applying this release: wait for it, or re-run with --wait-for-lock; a lock left by a run that died expires in ${expiresInSeconds}s`,
    });
    this.name = 'LockHeldError';
    this.release = release;
    this.holder = holder;
    this.since = since;
  }
}

/** What every release lock is given, whatever holds it (a Lease, a lock file). */
export interface LockSettingsOptions {
  clock: ClusterClock;
  /** Default `defaultHolderIdentity()`. */
  identity?: string;
  leaseDurationSeconds?: number;
  /** How often a waiting run looks again; default 1 s (never longer than the time to expiry). */
  pollMs?: number;
  /** Told once when a run starts waiting, for a progress line. */
  onWait?: (holder: { holder: string; since: string }) => void;
}

/** The settings of a release lock with the defaults every kind of lock applies. */
export function lockSettings(options: LockSettingsOptions) {
  return {
    clock: options.clock,
    identity: options.identity ?? defaultHolderIdentity(),
    durationMs: (options.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS) * 1000,
    pollMs: options.pollMs ?? 1000,
    onWait: options.onWait,
  };
}

export interface LeaseLockOptions extends LockSettingsOptions {
  client: ClusterClient;
  /**
   * `--storage-namespace`: the Lease lives with the records, in this namespace (created when
   * missing), named `kd-lock-<release namespace>.<release>` so that releases of one name in two
   * namespaces do not share a lock.
   */
  storageNamespace?: string;
}

interface LeaseState {
  holder: string;
  since: string;
  /** renewTime (ms since the epoch, the writer's clock: the server's when kd wrote it); undefined: no holder (released) or unreadable. */
  renewedAt: number | undefined;
  durationMs: number;
  resourceVersion: string;
  transitions: number;
}

/** When this run first saw the Lease in its current version, on this run's clock. */
interface Observation {
  resourceVersion: string;
  at: number;
}

export class LeaseLock implements ReleaseLock {
  readonly identity: string;
  readonly #client: ClusterClient;
  readonly #clock: ClusterClock;
  readonly #durationMs: number;
  readonly #pollMs: number;
  readonly #onWait: LeaseLockOptions['onWait'];
  readonly #storageNamespace: string | undefined;

  constructor(options: LeaseLockOptions) {
    this.#storageNamespace = options.storageNamespace;
    this.#client = options.client;
    ({ clock: this.#clock, identity: this.identity, durationMs: this.#durationMs, pollMs: this.#pollMs, onWait: this.#onWait } = lockSettings(options));
  }

  /** Where the Lease of a release lives. */
  leaseOf(release: ReleaseRef): { namespace: string; name: string } {
    const storage = this.#storageNamespace;
    if (storage === undefined || storage === release.namespace) return { namespace: release.namespace, name: lockName(release.name) };
    return { namespace: storage, name: lockName(`${release.namespace}.${release.name}`) };
  }

  /**
   * The release's lock as it stands, without taking it (`kubectl kd list --pending`): undefined
   * when there is no Lease or nobody holds it. `live` is judged on the API server's clock only
   * (one look cannot observe a renewal); without it, on this machine's clock, for display.
   */
  async inspect(release: ReleaseRef, signal?: AbortSignal): Promise<HeldLock | undefined> {
    const live = await this.#client.get({ ...LEASE, ...this.leaseOf(release) }, signal ? { signal } : {});
    if (live === undefined) return undefined;
    const state = leaseState(live);
    if (state.renewedAt === undefined) return undefined;
    const now = this.#client.serverNow?.() ?? this.#clock.now();
    const remainingMs = state.renewedAt + state.durationMs + SERVER_CLOCK_GRACE_MS - now;
    return { holder: state.holder, since: state.since, live: remainingMs > 0, expiresInSeconds: Math.max(0, Math.ceil(remainingMs / 1000)) };
  }

  async acquire(release: ReleaseRef, options: AcquireLockOptions): Promise<LockHandle> {
    const target = { ...LEASE, ...this.leaseOf(release) };
    if (target.namespace !== release.namespace) await createNamespaceIfMissing(this.#client, target.namespace, options.signal);
    let told = false;
    let observed: Observation | undefined;
    for (;;) {
      if (options.signal.aborted) throw interrupted();
      const live = await this.#client.get(target, { signal: options.signal });
      let won: KubeObject | undefined;
      if (live === undefined) won = await this.#create(release, target, options.signal);
      else {
        const state = leaseState(live);
        if (observed?.resourceVersion !== state.resourceVersion) observed = { resourceVersion: state.resourceVersion, at: this.#clock.now() };
        const remainingMs = this.#remainingMs(state, observed);
        if (state.renewedAt === undefined || remainingMs <= 0 || state.holder === this.identity) won = await this.#takeOver(target, state, options.signal);
        else if (!options.wait)
          throw new LockHeldError(release, state.holder, state.since, Math.ceil(remainingMs / 1000), target.namespace === release.namespace ? `Lease ${target.name}` : `Lease ${target.name} in namespace ${target.namespace}`);
        else {
          if (!told) this.#onWait?.({ holder: state.holder, since: state.since });
          told = true;
          try {
            await this.#clock.sleep(Math.max(1, Math.min(this.#pollMs, remainingMs)), options.signal);
          } catch {
            throw interrupted();
          }
          continue;
        }
      }
      // undefined: another run won the race for this resourceVersion; look again.
      if (won !== undefined) return this.#hold(target, won);
    }
  }

  async #create(release: ReleaseRef, target: LeaseTarget, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.#client.create(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: target.name, namespace: target.namespace, labels: { 'app.kubernetes.io/managed-by': 'kubectl-kd', 'kd.io/release': release.name } },
          spec: this.#spec(0),
        },
        { signal },
      );
    } catch (e) {
      if (e instanceof ClusterRequestError && e.isAlreadyExists) return undefined;
      throw e;
    }
  }

  async #takeOver(target: LeaseTarget, state: LeaseState, signal: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await this.#client.patch(
        target,
        [
          { op: 'replace', path: '/metadata/resourceVersion', value: state.resourceVersion },
          { op: 'add', path: '/spec', value: this.#spec(state.holder === this.identity ? state.transitions : state.transitions + 1) },
        ],
        { type: 'json', signal },
      );
    } catch (e) {
      if (e instanceof ClusterRequestError && (e.code === 409 || e.isNotFound)) return undefined;
      throw e;
    }
  }

  /**
   * How long until a held Lease counts as expired (<= 0: it has): the sooner of the server-clock
   * judgement and the observation one; never this machine's clock against the Lease's times.
   */
  #remainingMs(state: LeaseState, observed: Observation): number {
    const byObservation = observed.at + state.durationMs - this.#clock.now();
    const serverNow = this.#client.serverNow?.();
    if (serverNow === undefined || state.renewedAt === undefined) return byObservation;
    return Math.min(byObservation, state.renewedAt + state.durationMs + SERVER_CLOCK_GRACE_MS - serverNow);
  }

  /** The time kd writes into the Lease: the server's clock when known, so that every reader judges it on one clock. */
  #leaseNow(): number {
    return this.#client.serverNow?.() ?? this.#clock.now();
  }

  #spec(transitions: number): Record<string, unknown> {
    const now = microTime(this.#leaseNow());
    return { holderIdentity: this.identity, leaseDurationSeconds: this.#durationMs / 1000, acquireTime: now, renewTime: now, leaseTransitions: transitions };
  }

  #hold(target: LeaseTarget, lease: KubeObject): LockHandle {
    let resourceVersion = leaseState(lease).resourceVersion;
    let lastRenew = this.#clock.now();
    return renewingHandle({
      holder: this.identity,
      clock: this.#clock,
      durationMs: this.#durationMs,
      renew: async (stop) => {
        try {
          const renewed = await this.#client.patch(
            target,
            [
              { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion },
              { op: 'replace', path: '/spec/renewTime', value: microTime(this.#leaseNow()) },
            ],
            { type: 'json', signal: stop },
          );
          resourceVersion = leaseState(renewed).resourceVersion;
          lastRenew = this.#clock.now();
        } catch (e) {
          if (stop.aborted) return undefined;
          const taken = e instanceof ClusterRequestError && (e.code === 409 || e.isNotFound);
          if (taken || this.#clock.now() - lastRenew >= this.#durationMs) {
            return new KdError('cluster', `lost the lock ${target.namespace}/${target.name}: ${taken ? 'another run took it over' : `could not renew it for ${this.#durationMs / 1000}s`}`);
          }
        }
        return undefined;
      },
      free: async (lost) => {
        if (lost) return;
        try {
          const outcome = await this.#client.delete(target, { preconditions: { resourceVersion } });
          void outcome;
        } catch {
          // Renewed while stopping (the resourceVersion moved): delete it if it is still ours.
          try {
            const live = await this.#client.get(target);
            if (live !== undefined && leaseState(live).holder === this.identity)
              await this.#client.delete(target, { preconditions: { resourceVersion: leaseState(live).resourceVersion } });
          } catch {
            // left behind: it expires after its duration
          }
        }
      },
    });
  }
}

/**
 * A held lock that renews itself every third of its duration until released, as client-go's
 * leader election does; shared by the Lease and the lock-file drivers. `renew` returns the error
 * that makes the lock lost (the run must stop), or undefined to keep going; `free` runs once, on
 * the first release, after the last renewal has finished, and is told whether the lock was lost.
 */
export function renewingHandle(options: {
  holder: string;
  clock: ClusterClock;
  durationMs: number;
  renew: (stop: AbortSignal) => Promise<KdError | undefined>;
  free: (lost: boolean) => Promise<void>;
}): LockHandle {
  const lost = new AbortController();
  const stop = new AbortController();
  const intervalMs = Math.max(1, Math.floor(options.durationMs / 3));
  const renewing = (async () => {
    while (!stop.signal.aborted) {
      try {
        await options.clock.sleep(intervalMs, stop.signal);
      } catch {
        return;
      }
      const error = await options.renew(stop.signal);
      if (error !== undefined) {
        lost.abort(error);
        return;
      }
    }
  })();
  let released = false;
  return {
    holder: options.holder,
    lost: lost.signal,
    release: async () => {
      if (released) return;
      released = true;
      stop.abort();
      await renewing;
      await options.free(lost.signal.aborted);
    },
  };
}

type LeaseTarget = { group: string; version: string; kind: string; namespace: string; name: string };

function leaseState(lease: KubeObject): LeaseState {
  const spec = (isMap(lease['spec']) ? lease['spec'] : {}) as Record<string, unknown>;
  const metadata = (isMap(lease.metadata) ? lease.metadata : {}) as Record<string, unknown>;
  const holder = typeof spec['holderIdentity'] === 'string' ? spec['holderIdentity'] : '';
  const duration = typeof spec['leaseDurationSeconds'] === 'number' ? spec['leaseDurationSeconds'] : DEFAULT_LEASE_SECONDS;
  const renew = Date.parse(String(spec['renewTime'] ?? spec['acquireTime'] ?? ''));
  const since = typeof spec['acquireTime'] === 'string' ? spec['acquireTime'].replace(/\.\d+Z$/, 'Z') : 'an unknown time';
  return {
    holder,
    since,
    // A Lease without a holder or a readable renew time counts as free: nobody can be renewing it.
    renewedAt: holder === '' || Number.isNaN(renew) ? undefined : renew,
    durationMs: duration * 1000,
    resourceVersion: typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : '',
    transitions: typeof spec['leaseTransitions'] === 'number' ? spec['leaseTransitions'] : 0,
  };
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export { microTime };

function interrupted(): KdError {
  return new KdError('interrupted', 'interrupted while waiting for the release lock');
}
