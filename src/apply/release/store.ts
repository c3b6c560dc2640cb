/**
 * `RecordStore`: the release records, one record object per revision (plus parts) kept by a
 * storage driver (drivers.ts: Secrets, ConfigMaps or files), implementing the executor's
 * `ReleaseStore` port and what `history`, `list`, `rollback` and `delete` need. The format,
 * states, chunking and history rules live here once, whatever the driver.
 *
 * Storage namespace (`--storage-namespace`): the records of a release may live in another
 * namespace than the release. They then carry the label `kd.io/namespace` (the release's
 * namespace) and their names include it (`kd.release.v1.<ns>.<release>.v<N>`), so releases of
 * one name in two namespaces never share a record.
 *
 * State rules: a revision is written `pending` before anything is applied; it ends `deployed`
 * (and every other `deployed` revision of the release becomes `superseded`) or `failed`. A
 * `pending` revision found by `begin` was left by a run that died: the caller holds the lock, so
 * that run is gone, and the revision is marked failed with a message saying so — never left stuck.
 *
 * Writes order: parts before the main Secret, so a main Secret that is visible has its parts.
 * The clock is injected: every time written comes from it.
 *
 * History is bounded: after a revision is deployed, the oldest revisions that are no longer in
 * force (superseded, failed, deleted) are deleted until at most `historyMax` remain (default 10,
 * 0 keeps all), as Helm's --history-max. A record that cannot be read (changed outside kd) throws
 * a `CorruptRecordError` naming its Secret and revision, with the ways out.
 */
import { KdError } from '../../errors.js';
import type { KubeObject } from '../../model/index.js';
import type { ClusterClient } from '../../cluster/types.js';
import { ClusterRecordDriver, type RecordDriver } from './drivers.js';
import type { NewRevision, FinishRevision, ReleaseRef, ReleaseStore, RevisionState } from '../ports.js';
import { decodeRecord, encodeRecord, labelsOf, readRevision } from './codec.js';
import { ANNOTATION_MESSAGE, ANNOTATION_UPDATED, LABEL_NAMESPACE, LABEL_PART, LABEL_REVISION, LABEL_STATUS, RECORD_PREFIX, RECORD_TYPE } from './names.js';
import type { RecordPayload, Revision, RevisionWithObjects } from './types.js';
import { formatMetav1Time } from '../../model/time.js';

export const DEFAULT_HISTORY_MAX = 10;

/** A revision's record that cannot be decoded; names the Secret, the revision and the ways out. */
export class CorruptRecordError extends KdError {
  readonly release: ReleaseRef;
  readonly revision: number;
  readonly secret: string;

  constructor(release: ReleaseRef, revision: number, secret: string, problem: string, hint: string, where = `Secret ${secret} in namespace ${release.namespace}`) {
    super('cluster', `revision ${revision} of release ${release.name} (${where}) cannot be read: ${problem}`, { hint });
    this.name = 'CorruptRecordError';
    this.release = release;
    this.revision = revision;
    this.secret = secret;
  }
}

export interface ReleaseStoreOptions {
  /** Secrets through this client, unless `driver` is given. */
  client?: ClusterClient;
  /** Where the records live; default Secrets through `client`. */
  driver?: RecordDriver;
  /** The namespace of every release's records (and its lock); default the release's own. Ignored by the file driver. */
  storageNamespace?: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** kd's version, written into each record. */
  kdVersion: string;
  /** Split size of the compressed record; default 900 KiB. */
  chunkBytes?: number;
  /** Revisions kept after a deploy (older superseded/failed/deleted ones are deleted); 0 keeps all. Default 10. */
  historyMax?: number;
  /** Largest decompressed record read; default 64 MiB. */
  maxRecordBytes?: number;
  signal?: AbortSignal;
}

export class RecordStore implements ReleaseStore {
  readonly driver: RecordDriver;
  readonly #storageNamespace: string | undefined;
  readonly #now: () => number;
  readonly #kdVersion: string;
  readonly #chunkBytes: number | undefined;
  readonly #historyMax: number;
  readonly #maxRecordBytes: number | undefined;

  constructor(options: ReleaseStoreOptions) {
    const driver = options.driver ?? (options.client ? new ClusterRecordDriver('secret', options.client, options.signal) : undefined);
    if (driver === undefined) throw new Error('RecordStore needs a client or a driver');
    this.driver = driver;
    this.#storageNamespace = driver.kind === 'file' ? undefined : options.storageNamespace;
    this.#now = options.now;
    this.#kdVersion = options.kdVersion;
    this.#chunkBytes = options.chunkBytes;
    this.#historyMax = options.historyMax ?? DEFAULT_HISTORY_MAX;
    this.#maxRecordBytes = options.maxRecordBytes;
  }

  /** The namespace holding a release's records and its lock. */
  storageNamespaceOf(namespace: string): string {
    return this.#storageNamespace ?? namespace;
  }

  /** The cluster namespace holding a release's records; undefined when they are not in the cluster (files). */
  recordsNamespaceOf(namespace: string): string | undefined {
    return this.driver.kind === 'file' ? undefined : this.storageNamespaceOf(namespace);
  }

  /** Where the records of releases in a namespace are looked for, for messages. */
  where(namespace: string): string {
    return this.driver.where(this.storageNamespaceOf(namespace));
  }

  /** Every revision of a release, oldest first. */
  async revisions(release: ReleaseRef): Promise<Revision[]> {
    const secrets = await this.#secrets(release.namespace, release.name);
    return secrets.mains.map(readRevision).filter((r): r is Revision => r !== undefined).sort((a, b) => a.revision - b.revision);
  }

  /** One revision with its objects; undefined when it does not exist. Throws when it cannot be read. */
  async record(release: ReleaseRef, revision: number): Promise<RevisionWithObjects | undefined> {
    const secrets = await this.#secrets(release.namespace, release.name, revision);
    const main = secrets.mains[0];
    if (main === undefined) return undefined;
    return this.#decode(release, revision, main, secrets.parts);
  }

  /** Throws a CorruptRecordError when the deployed revision's record cannot be read. */
  async lastDeployed(release: ReleaseRef): Promise<RevisionWithObjects | undefined> {
    // One listing holds every revision's objects: the deployed one is decoded from it, not asked again.
    const secrets = await this.#secrets(release.namespace, release.name);
    let latest: { revision: number; main: KubeObject } | undefined;
    for (const main of secrets.mains) {
      const r = readRevision(main);
      if (r?.state === 'deployed' && (latest === undefined || r.revision > latest.revision)) latest = { revision: r.revision, main };
    }
    if (latest === undefined) return undefined;
    const revision = String(latest.revision);
    const parts = secrets.parts.filter((p) => labelsOf(p)[LABEL_REVISION] === revision);
    return this.#decode(release, latest.revision, latest.main, parts);
  }

  /** Marks the release's pending revisions failed; returns their numbers. Call only while holding the lock. */
  async recoverStale(release: ReleaseRef, message = 'the run that wrote this revision stopped before finishing (its lock expired); marked failed'): Promise<number[]> {
    const pending = (await this.revisions(release)).filter((r) => r.state === 'pending');
    for (const r of pending) await this.#setState(release, r.revision, 'failed', message);
    return pending.map((r) => r.revision);
  }

  async begin(release: ReleaseRef, revision: NewRevision): Promise<number> {
    const existing = await this.revisions(release);
    const stale = existing.filter((r) => r.state === 'pending');
    const next = (existing[existing.length - 1]?.revision ?? 0) + 1;
    const message = `the run that wrote this revision stopped before finishing; marked failed by revision ${next}`;
    for (const r of stale) await this.#setState(release, r.revision, 'failed', message);
    if (stale.length > 0) revision.onStaleRepaired?.(stale.map((r) => r.revision), 'marked failed by revision ' + next);
    const startedAt = formatMetav1Time(this.#now());
    const payload: RecordPayload = {
      apiVersion: RECORD_TYPE,
      name: release.name,
      namespace: release.namespace,
      revision: next,
      kdVersion: this.#kdVersion,
      startedAt,
      paths: [...revision.paths],
      description: revision.description,
      objects: revision.objects,
    };
    const secrets = encodeRecord(payload, {
      state: 'pending',
      updated: startedAt,
      message: '',
      ...(this.#chunkBytes !== undefined ? { chunkBytes: this.#chunkBytes } : {}),
    });
    const [main, ...parts] = secrets.map((o) => this.#relocate(release, o));
    for (const part of parts) await this.driver.create(part);
    await this.driver.create(main!);
    return next;
  }

  async finish(release: ReleaseRef, revision: number, result: FinishRevision): Promise<void> {
    await this.#setState(release, revision, result.state, result.message);
    if (result.state !== 'deployed') return;
    const revisions = await this.revisions(release);
    for (const r of revisions)
      if (r.revision !== revision && r.state === 'deployed') {
        await this.#setState(release, r.revision, 'superseded', r.message);
        r.state = 'superseded';
      }
    await this.#trim(release, revisions);
  }

  /** --history-max: the oldest revisions no longer in force go until at most historyMax remain. */
  async #trim(release: ReleaseRef, revisions: readonly Revision[]): Promise<void> {
    if (this.#historyMax <= 0 || revisions.length <= this.#historyMax) return;
    const old = revisions.filter((r) => r.state === 'superseded' || r.state === 'failed' || r.state === 'deleted');
    for (const r of old.slice(0, revisions.length - this.#historyMax)) await this.deleteRevision(release, r.revision);
  }

  /** Deletes one revision's Secrets (parts first, so a visible main Secret always has its parts). */
  async deleteRevision(release: ReleaseRef, revision: number): Promise<void> {
    const secrets = await this.#secrets(release.namespace, release.name, revision);
    for (const s of [...secrets.parts, ...secrets.mains]) await this.driver.remove(this.storageNamespaceOf(release.namespace), nameOf(s));
  }

  /** The latest revision of each release in a namespace, or in all namespaces; sorted by namespace, then name. */
  async releases(scope: { namespace: string } | { allNamespaces: true }): Promise<Revision[]> {
    const items =
      'allNamespaces' in scope && this.#storageNamespace === undefined
        ? await this.driver.list({ allNamespaces: true })
        : await this.driver.list({ namespace: this.storageNamespaceOf('namespace' in scope ? scope.namespace : '') });
    const latest = new Map<string, Revision>();
    for (const secret of items) {
      if (secret['type'] !== RECORD_TYPE) continue;
      const info = readRevision(secret);
      if (info === undefined) continue;
      if ('namespace' in scope && info.namespace !== scope.namespace) continue;
      const key = `${info.namespace}/${info.name}`;
      const seen = latest.get(key);
      if (seen === undefined || seen.revision < info.revision) latest.set(key, info);
    }
    return [...latest.values()]
      .sort((a, b) => (a.namespace !== b.namespace ? (a.namespace < b.namespace ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** `kubectl kd delete --keep-history`: the latest revision becomes `deleted`, other deployed ones `superseded`. */
  async markDeleted(release: ReleaseRef, message: string): Promise<void> {
    const revisions = await this.revisions(release);
    const latest = revisions[revisions.length - 1];
    if (latest === undefined)
      throw new KdError('cluster', `the history of release ${release.name} was not found in namespace ${release.namespace}, so it could not be kept`, {
        hint: `its records (${this.where(release.namespace)}) were deleted while the release was being deleted`,
      });
    await this.#setState(release, latest.revision, 'deleted', message);
    for (const r of revisions) if (r.revision !== latest.revision && r.state === 'deployed') await this.#setState(release, r.revision, 'superseded', r.message);
  }

  /** Deletes every record Secret of the release (parts included); returns how many. */
  async deleteHistory(release: ReleaseRef): Promise<number> {
    const secrets = await this.#secrets(release.namespace, release.name);
    let n = 0;
    for (const s of [...secrets.parts, ...secrets.mains]) {
      await this.driver.remove(this.storageNamespaceOf(release.namespace), nameOf(s));
      n++;
    }
    return n;
  }

  async #setState(release: ReleaseRef, revision: number, state: RevisionState, message: string): Promise<void> {
    const secret = (await this.#secrets(release.namespace, release.name, revision)).mains[0];
    const name = (secret?.metadata as { name?: string } | undefined)?.name;
    if (name === undefined) throw new KdError('cluster', `revision ${revision} of release ${release.name} in ${release.namespace} was not found`);
    await this.driver.patchMeta(this.storageNamespaceOf(release.namespace), name, {
      labels: { [LABEL_STATUS]: state },
      annotations: { [ANNOTATION_UPDATED]: formatMetav1Time(this.#now()), [ANNOTATION_MESSAGE]: message },
    });
  }

  /** A record object moved to the storage namespace: labelled with and named after the release's namespace. */
  #relocate(release: ReleaseRef, record: KubeObject): KubeObject {
    const storage = this.storageNamespaceOf(release.namespace);
    if (storage === release.namespace) return record;
    const meta = record.metadata as { name: string; labels?: Record<string, string> };
    return {
      ...record,
      metadata: {
        ...meta,
        name: `${RECORD_PREFIX}${release.namespace}.${meta.name.slice(RECORD_PREFIX.length)}`,
        namespace: storage,
        labels: { ...meta.labels, [LABEL_NAMESPACE]: release.namespace },
      },
    };
  }

  async #secrets(namespace: string, name: string, revision?: number): Promise<{ mains: KubeObject[]; parts: KubeObject[] }> {
    const storage = this.storageNamespaceOf(namespace);
    const items = await this.driver.list({ namespace: storage, release: name, ...(revision === undefined ? {} : { revision }) });
    const mains: KubeObject[] = [];
    const parts: KubeObject[] = [];
    for (const s of items) {
      if (s['type'] !== RECORD_TYPE) continue;
      // Records of a release of the same name in another namespace, kept in this storage namespace.
      if ((labelsOf(s)[LABEL_NAMESPACE] ?? storage) !== namespace) continue;
      (labelsOf(s)[LABEL_PART] === undefined ? mains : parts).push(s);
    }
    return { mains, parts };
  }

  #decode(release: ReleaseRef, revision: number, main: KubeObject, parts: readonly KubeObject[]): RevisionWithObjects {
    const info = readRevision(main);
    const decoded = decodeRecord(main, parts, this.#maxRecordBytes);
    if (info === undefined || 'problem' in decoded) {
      const secret = nameOf(main);
      const storage = this.storageNamespaceOf(release.namespace);
      throw new CorruptRecordError(
        release,
        revision,
        secret,
        'problem' in decoded ? decoded.problem : 'its labels are missing or wrong',
        corruptHint(release, this.driver.noun, this.driver.removeHint(storage, secret)),
        this.driver.kind === 'file' ? `file ${secret} in ${this.driver.where(release.namespace)}` : `${this.driver.noun} ${secret} in namespace ${storage}`,
      );
    }
    return { ...info, startedAt: decoded.payload.startedAt, paths: decoded.payload.paths, objects: decoded.payload.objects };
  }

}

/** The store's former name: the Secret driver is the default. */
export const SecretReleaseStore = RecordStore;
export type SecretReleaseStore = RecordStore;

function nameOf(object: KubeObject): string {
  return (object.metadata as { name?: string } | undefined)?.name ?? '';
}

/** The ways out of a damaged record: roll back to a readable revision, or drop the damaged one. */
function corruptHint(release: ReleaseRef, noun: string, removeCommand: string): string {
  const ns = release.namespace === 'default' ? '' : ` -n ${release.namespace}`;
  return (
    `the ${noun} was changed outside kd. Roll back to a readable revision (\`kubectl kd rollback ${release.name} <revision>${ns}\`, see \`kubectl kd history ${release.name}${ns}\`), ` +
    `or delete the damaged record (\`${removeCommand}\`) and apply again`
  );
}
