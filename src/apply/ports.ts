/**
 * The ports of the apply executor: what it needs from the release record, the lock and the
 * inventory, written as small interfaces so the executor can be tested without them and their
 * implementations (src/apply/release/, lock.ts, inventory.ts) can change without touching it.
 *
 * Order of calls in one run (the contract the implementations can rely on):
 *  1. `lock.acquire` — nothing is read or written before the lock is held;
 *  2. `releases.lastDeployed` — the last deployed revision, whose objects are the plan's `recorded`;
 *  3. `inventory.members` — what the set holds in the cluster, for prune;
 *  4. `releases.begin` — a pending revision (stale pending revisions are marked failed here);
 *  5. `inventory.prepare` — the parent exists and lists the union of old and new group-kinds,
 *     before any member is written (KEP-3659: widen first);
 *  6. the waves; every applied object carries `inventory.memberLabels` (merged into its labels);
 *  7. prune; then `inventory.commit` narrows the parent to the new group-kinds;
 *  8. `releases.finish` with deployed or failed; `lock.release` always, even on interrupt.
 * Errors thrown by a port stop the run (they are cluster or bug errors, never user input).
 */
import type { KubeObject, ObjectRef } from '../model/index.js';
import type { RevisionWithObjects } from './release/types.js';

/**
 * A release: a name in a namespace. Its inventory parent lives in that namespace; its records and
 * lock too, unless the storage says otherwise (`--storage-namespace`, `--storage file:DIR`).
 */
export interface ReleaseRef {
  name: string;
  namespace: string;
}

/** `deleted`: the release was removed by `kubectl kd delete --keep-history` (its latest revision). */
export type RevisionState = 'pending' | 'deployed' | 'failed' | 'superseded' | 'deleted';

export interface NewRevision {
  /** The objects about to be applied, as they will be sent (namespaces defaulted, member labels set). */
  objects: KubeObject[];
  /** The paths the user gave, for history. */
  paths: string[];
  /** Why this revision exists: `apply`, `rollback to 3`, ... */
  description: string;
  /** Told which pending revisions of a dead run `begin` marked failed first (with the message it wrote), so the run can say so. */
  onStaleRepaired?: (revisions: number[], message: string) => void;
}

export interface FinishRevision {
  state: 'deployed' | 'failed';
  /** One line for history: `applied 12 objects`, `health: Deployment shop/web: CrashLoopBackOff ...`, `interrupted`. */
  message: string;
}

export interface ReleaseStore {
  /** The latest revision in state deployed, or undefined for a first run. */
  lastDeployed(release: ReleaseRef): Promise<RevisionWithObjects | undefined>;
  /**
   * Records a new pending revision and returns its number (previous highest + 1). A pending
   * revision left by a killed run is marked failed first (the caller holds the lock, so it is
   * stale by definition).
   */
  begin(release: ReleaseRef, revision: NewRevision): Promise<number>;
  /** Pending -> deployed (the previous deployed becomes superseded) or -> failed. */
  finish(release: ReleaseRef, revision: number, result: FinishRevision): Promise<void>;
}

export interface LockHandle {
  /** Who holds it, as written in the Lease (for messages). */
  holder: string;
  /** Aborted when the lock is lost (renewal failed past its duration): the run must stop. */
  lost: AbortSignal;
  /** Releases the Lease and stops renewing; never throws (a lock left behind expires). */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** Wait for the holder to release (or its lease to expire) instead of failing at once. */
  wait: boolean;
  signal: AbortSignal;
}

/** A held lock as `inspect` sees it (`kubectl kd list --pending`). */
export interface HeldLock {
  holder: string;
  /** ISO time the holder took it. */
  since: string;
  /** Renewed within its duration: its run is (as far as can be told) still going. */
  live: boolean;
  /** 0 once expired. */
  expiresInSeconds: number;
}

export interface ReleaseLock {
  /** The lock as it stands, without taking it; undefined when nobody holds it. */
  inspect?(release: ReleaseRef, signal?: AbortSignal): Promise<HeldLock | undefined>;
  /**
   * Takes the release's lock. When another run holds it and `wait` is false, throws a KdError
   * naming the holder and since when.
   */
  acquire(release: ReleaseRef, options: AcquireLockOptions): Promise<LockHandle>;
}

/** One object of the set as found in the cluster. */
export interface InventoryMember {
  ref: ObjectRef;
  object: KubeObject;
}

export interface GroupKindRef {
  group: string;
  kind: string;
}

export interface Inventory {
  /** Labels every applied object of the release carries (`applyset.kubernetes.io/part-of`). */
  memberLabels(release: ReleaseRef): Record<string, string>;
  /**
   * The set's members in the cluster (objects carrying the part-of label, across its group-kinds).
   * `concurrency`: group-kinds listed at once (default 1, one after another).
   */
  members(release: ReleaseRef, signal: AbortSignal, options?: { concurrency?: number }): Promise<InventoryMember[]>;
  /**
   * Before any member is written: the parent exists and lists at least these group-kinds and
   * namespaces (the union of the previous set and the desired one).
   */
  prepare(release: ReleaseRef, contents: { groupKinds: GroupKindRef[]; namespaces: string[] }): Promise<void>;
  /** After prune: the parent lists exactly these group-kinds and namespaces. */
  commit(release: ReleaseRef, contents: { groupKinds: GroupKindRef[]; namespaces: string[] }): Promise<void>;
}

/** The three together, as the apply command builds them for a cluster. */
export interface ReleasePorts {
  releases: ReleaseStore;
  lock: ReleaseLock;
  inventory: Inventory;
}
