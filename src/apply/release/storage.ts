/**
 * Choosing where release records live: `--storage secret|configmap|file:DIR` (KD_STORAGE) and
 * `--storage-namespace NS` (KD_STORAGE_NAMESPACE), parsed once, and the record store, lock and
 * inventory built for that choice over one client (`releasePorts`, called once per session by
 * src/session/open.ts; no other production code builds a store). The lock always lives with the
 * records: a Lease in the storage namespace for the cluster drivers, a lock file in the
 * release's directory for files.
 */
import type { ClusterClock } from '../../cluster/clock.js';
import type { ClusterClient } from '../../cluster/types.js';
import { KdError } from '../../errors.js';
import { LeaseLock } from '../lock.js';
import { ApplySetInventory } from '../inventory.js';
import type { ReleaseLock, ReleasePorts } from '../ports.js';
import { ClusterRecordDriver, type RecordDriver, type StorageKind } from './drivers.js';
import { FileLock, FileRecordDriver } from './file-driver.js';
import { RecordStore } from './store.js';

export interface StorageChoice {
  kind: StorageKind;
  /** file: the directory. */
  dir?: string;
  /** secret/configmap: the namespace of the records and lock; default the release's. */
  namespace?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The storage from the flags, else the environment; a usage error (KdError 'usage') names the
 * bad value and the accepted forms.
 */
export function parseStorage(flags: { storage?: string; storageNamespace?: string }, env: NodeJS.ProcessEnv): StorageChoice {
  const fromFlag = flags.storage !== undefined;
  const text = (flags.storage ?? env['KD_STORAGE'] ?? '').trim() || 'secret';
  const what = fromFlag ? '--storage' : 'KD_STORAGE';
  let choice: StorageChoice;
  if (text === 'secret' || text === 'configmap') choice = { kind: text };
  else if (text.startsWith('file:') && text.length > 'file:'.length) choice = { kind: 'file', dir: text.slice('file:'.length) };
  else throw new KdError('usage', `${what} "${text}" is not a storage driver`, { hint: 'use secret (the default), configmap, or file:DIR (e.g. --storage file:./.kd-records)' });
  const nsFlag = flags.storageNamespace !== undefined;
  const ns = (flags.storageNamespace ?? env['KD_STORAGE_NAMESPACE'] ?? '').trim();
  if (ns !== '') {
    if (!DNS_LABEL.test(ns))
      throw new KdError('usage', `${nsFlag ? '--storage-namespace' : 'KD_STORAGE_NAMESPACE'} "${ns}" is not a namespace name`, { hint: 'lower-case letters, digits and "-", at most 63 characters' });
    if (choice.kind === 'file') {
      // The environment may set it for every run; only an explicit flag is a contradiction.
      if (nsFlag) throw new KdError('usage', '--storage-namespace has no meaning with --storage file:DIR', { hint: 'file records live under DIR/<namespace>/<release>/; drop --storage-namespace' });
    } else choice.namespace = ns;
  }
  return choice;
}

/** One line for messages: `secret`, `configmap in namespace kd-records`, `file:/srv/kd`. */
export function describeStorage(choice: StorageChoice): string {
  if (choice.kind === 'file') return `file:${choice.dir}`;
  return choice.namespace === undefined ? choice.kind : `${choice.kind} in namespace ${choice.namespace}`;
}

export interface StorageDeps {
  client: ClusterClient;
  clock: ClusterClock;
  kdVersion: string;
  historyMax?: number;
  signal?: AbortSignal;
}

function recordDriver(choice: StorageChoice, client: ClusterClient, signal?: AbortSignal): RecordDriver {
  return choice.kind === 'file' ? new FileRecordDriver(choice.dir ?? '.') : new ClusterRecordDriver(choice.kind, client, signal);
}

/** The ApplySet inventory for a storage choice: its parent a Secret, a ConfigMap, or a file beside the records. */
function inventoryFor(choice: StorageChoice, client: ClusterClient, version: string): ApplySetInventory {
  if (choice.kind === 'file') return new ApplySetInventory({ client, version, parentFile: new FileRecordDriver(choice.dir ?? '.').applySetParent });
  return new ApplySetInventory({ client, version, parentKind: choice.kind === 'configmap' ? 'ConfigMap' : 'Secret' });
}

/** The record store and the lock for a storage choice. */
function openStorage(choice: StorageChoice, deps: StorageDeps): { store: RecordStore; lock: ReleaseLock } {
  const driver = recordDriver(choice, deps.client, deps.signal);
  const store = new RecordStore({
    driver,
    now: () => deps.clock.now(),
    kdVersion: deps.kdVersion,
    ...(choice.namespace === undefined ? {} : { storageNamespace: choice.namespace }),
    ...(deps.historyMax === undefined ? {} : { historyMax: deps.historyMax }),
  });
  const lock =
    driver instanceof FileRecordDriver
      ? new FileLock({ driver, clock: deps.clock })
      : new LeaseLock({ client: deps.client, clock: deps.clock, ...(choice.namespace === undefined ? {} : { storageNamespace: choice.namespace }) });
  return { store, lock };
}

/** The ports over one storage, with the concrete store and inventory the release commands read beyond the executor's needs. */
export interface StoragePorts extends ReleasePorts {
  releases: RecordStore;
  lock: ReleaseLock;
  inventory: ApplySetInventory;
}

/** The release store, lock and inventory of kd over one client: built once per session (src/session/open.ts). */
export function releasePorts(
  client: ClusterClient,
  clock: ClusterClock,
  version: string,
  options: { historyMax?: number; storage?: StorageChoice; signal?: AbortSignal } = {},
): StoragePorts {
  const storage = options.storage ?? { kind: 'secret' };
  const { store, lock } = openStorage(storage, {
    client,
    clock,
    kdVersion: version,
    ...(options.historyMax === undefined ? {} : { historyMax: options.historyMax }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { releases: store, lock, inventory: inventoryFor(storage, client, version) };
}
