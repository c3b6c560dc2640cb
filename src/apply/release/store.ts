/**
 * `SecretReleaseStore`: the release records in the cluster, one Secret per revision (plus parts),
 * implementing the executor's `ReleaseStore` port and what `history`, `list`, `rollback` and
 * `delete` need.
 *
 * Status rules: a revision is written `pending` before anything is applied; it ends `deployed`
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
import type { BeginRevision, FinishRevision, ReleaseRef, ReleaseSnapshot, ReleaseStore, RevisionStatus } from '../ports.js';
import { decodeRecord, encodeRecord, labelsOf, revisionInfo } from './codec.js';
import { ANNOTATION_MESSAGE, ANNOTATION_UPDATED, LABEL_PART, LABEL_REVISION, LABEL_STATUS, RECORD_TYPE, releaseSelector } from './names.js';
import type { RecordPayload, ReleaseRecord, ReleaseSummary, RevisionInfo } from './types.js';
import { formatMetav1Time } from '../../model/time.js';

const SECRET = { group: '', version: 'v1', kind: 'Secret' } as const;

export const DEFAULT_HISTORY_MAX = 10;

/** A revision's record that cannot be decoded; names the Secret, the revision and the ways out. */
export class CorruptRecordError extends KdError {
  readonly release: ReleaseRef;
  readonly revision: number;
  readonly secret: string;

  constructor(release: ReleaseRef, revision: number, secret: string, problem: string, hint: string) {
    super('cluster', `revision ${revision} of release ${release.name} (Secret ${secret} in namespace ${release.namespace}) cannot be read: ${problem}`, { hint });
    this.name = 'CorruptRecordError';
    this.release = release;
    this.revision = revision;
    this.secret = secret;
  }
}

export interface ReleaseStoreOptions {
  client: ClusterClient;
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

/** ISO time to the second, as history prints it. */
export function isoSeconds(ms: number): string {
  return formatMetav1Time(ms);
}

export class SecretReleaseStore implements ReleaseStore {
  readonly #client: ClusterClient;
  readonly #now: () => number;
  readonly #kdVersion: string;
  readonly #chunkBytes: number | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #historyMax: number;
  readonly #maxRecordBytes: number | undefined;

  constructor(options: ReleaseStoreOptions) {
    this.#client = options.client;
    this.#now = options.now;
    this.#kdVersion = options.kdVersion;
    this.#chunkBytes = options.chunkBytes;
    this.#signal = options.signal;
    this.#historyMax = options.historyMax ?? DEFAULT_HISTORY_MAX;
    this.#maxRecordBytes = options.maxRecordBytes;
  }

  /** Every revision of a release, oldest first. */
  async revisions(release: ReleaseRef): Promise<RevisionInfo[]> {
    const secrets = await this.#secrets(release.namespace, release.name);
    return secrets.mains.map(revisionInfo).filter((r): r is RevisionInfo => r !== undefined).sort((a, b) => a.revision - b.revision);
  }

  /** One revision with its objects; undefined when it does not exist. Throws when it cannot be read. */
  async record(release: ReleaseRef, revision: number): Promise<ReleaseRecord | undefined> {
    const secrets = await this.#secrets(release.namespace, release.name, revision);
    const main = secrets.mains[0];
    if (main === undefined) return undefined;
    return this.#decode(release, revision, main, secrets.parts);
  }

  /** Throws a CorruptRecordError when the deployed revision's record cannot be read. */
  async lastDeployed(release: ReleaseRef): Promise<ReleaseSnapshot | undefined> {
    const deployed = (await this.revisions(release)).filter((r) => r.status === 'deployed');
    const latest = deployed[deployed.length - 1];
    if (latest === undefined) return undefined;
    const record = await this.record(release, latest.revision);
    if (record === undefined) return undefined;
    return { revision: record.revision, status: record.status, objects: record.manifest };
  }

  /** Marks the release's pending revisions failed; returns their numbers. Call only while holding the lock. */
  async recoverStale(release: ReleaseRef, message = 'the run that wrote this revision stopped before finishing (its lock expired); marked failed'): Promise<number[]> {
    const pending = (await this.revisions(release)).filter((r) => r.status === 'pending');
    for (const r of pending) await this.#setStatus(release, r.revision, 'failed', message);
    return pending.map((r) => r.revision);
  }

  async begin(release: ReleaseRef, revision: BeginRevision): Promise<number> {
    const existing = await this.revisions(release);
    const stale = existing.filter((r) => r.status === 'pending');
    const next = (existing[existing.length - 1]?.revision ?? 0) + 1;
    for (const r of stale)
      await this.#setStatus(release, r.revision, 'failed', `the run that wrote this revision stopped before finishing; marked failed by revision ${next}`);
    const startedAt = isoSeconds(this.#now());
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
      status: 'pending',
      updated: startedAt,
      message: '',
      ...(this.#chunkBytes !== undefined ? { chunkBytes: this.#chunkBytes } : {}),
    });
    const [main, ...parts] = secrets;
    for (const part of parts) await this.#client.create(part, this.#options());
    await this.#client.create(main!, this.#options());
    return next;
  }

  async finish(release: ReleaseRef, revision: number, result: FinishRevision): Promise<void> {
    await this.#setStatus(release, revision, result.status, result.message);
    if (result.status !== 'deployed') return;
    const revisions = await this.revisions(release);
    for (const r of revisions)
      if (r.revision !== revision && r.status === 'deployed') {
        await this.#setStatus(release, r.revision, 'superseded', r.message);
        r.status = 'superseded';
      }
    await this.#trim(release, revisions);
  }

  /** --history-max: the oldest revisions no longer in force go until at most historyMax remain. */
  async #trim(release: ReleaseRef, revisions: readonly RevisionInfo[]): Promise<void> {
    if (this.#historyMax <= 0 || revisions.length <= this.#historyMax) return;
    const old = revisions.filter((r) => r.status === 'superseded' || r.status === 'failed' || r.status === 'deleted');
    for (const r of old.slice(0, revisions.length - this.#historyMax)) await this.deleteRevision(release, r.revision);
  }

  /** Deletes one revision's Secrets (parts first, so a visible main Secret always has its parts). */
  async deleteRevision(release: ReleaseRef, revision: number): Promise<void> {
    const secrets = await this.#secrets(release.namespace, release.name, revision);
    for (const s of [...secrets.parts, ...secrets.mains]) {
      const name = (s.metadata as { name?: string } | undefined)?.name ?? '';
      await this.#client.delete({ ...SECRET, namespace: release.namespace, name }, this.#options());
    }
  }

  /** The latest revision of each release in a namespace, or in all namespaces; sorted by namespace, then name. */
  async releases(scope: { namespace: string } | { allNamespaces: true }): Promise<ReleaseSummary[]> {
    const list = await this.#client.list(SECRET, {
      ...('allNamespaces' in scope ? { allNamespaces: true } : { namespace: scope.namespace }),
      labelSelector: releaseSelector(),
      ...this.#options(),
    });
    const latest = new Map<string, RevisionInfo>();
    for (const secret of list.items) {
      if (secret['type'] !== RECORD_TYPE) continue;
      const info = revisionInfo(secret);
      if (info === undefined) continue;
      const key = `${info.namespace}/${info.name}`;
      const seen = latest.get(key);
      if (seen === undefined || seen.revision < info.revision) latest.set(key, info);
    }
    return [...latest.values()]
      .sort((a, b) => (a.namespace !== b.namespace ? (a.namespace < b.namespace ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => ({ name: r.name, namespace: r.namespace, revision: r.revision, status: r.status, updated: r.updated, objects: r.objects, description: r.description }));
  }

  /** `kubectl kd delete --keep-history`: the latest revision becomes `deleted`, other deployed ones `superseded`. */
  async markDeleted(release: ReleaseRef, message: string): Promise<void> {
    const revisions = await this.revisions(release);
    const latest = revisions[revisions.length - 1];
    if (latest === undefined)
      throw new KdError('cluster', `the history of release ${release.name} was not found in namespace ${release.namespace}, so it could not be kept`, {
        hint: `its record Secrets (kubectl get secrets -n ${release.namespace} -l ${releaseSelector(release.name)}) were deleted while the release was being deleted`,
      });
    await this.#setStatus(release, latest.revision, 'deleted', message);
    for (const r of revisions) if (r.revision !== latest.revision && r.status === 'deployed') await this.#setStatus(release, r.revision, 'superseded', r.message);
  }

  /** Deletes every record Secret of the release (parts included); returns how many. */
  async deleteHistory(release: ReleaseRef): Promise<number> {
    const secrets = await this.#secrets(release.namespace, release.name);
    let n = 0;
    for (const s of [...secrets.parts, ...secrets.mains]) {
      const name = (s.metadata as { name?: string } | undefined)?.name ?? '';
      await this.#client.delete({ ...SECRET, namespace: release.namespace, name }, this.#options());
      n++;
    }
    return n;
  }

  async #setStatus(release: ReleaseRef, revision: number, status: RevisionStatus, message: string): Promise<void> {
    const secret = (await this.#secrets(release.namespace, release.name, revision)).mains[0];
    const name = (secret?.metadata as { name?: string } | undefined)?.name;
    if (name === undefined) throw new KdError('cluster', `revision ${revision} of release ${release.name} in ${release.namespace} was not found`);
    await this.#client.patch(
      { ...SECRET, namespace: release.namespace, name },
      { metadata: { labels: { [LABEL_STATUS]: status }, annotations: { [ANNOTATION_UPDATED]: isoSeconds(this.#now()), [ANNOTATION_MESSAGE]: message } } },
      { type: 'merge', ...this.#options() },
    );
  }

  async #secrets(namespace: string, name: string, revision?: number): Promise<{ mains: KubeObject[]; parts: KubeObject[] }> {
    const selector = releaseSelector(name) + (revision === undefined ? '' : `,${LABEL_REVISION}=${revision}`);
    const list = await this.#client.list(SECRET, { namespace, labelSelector: selector, ...this.#options() });
    const mains: KubeObject[] = [];
    const parts: KubeObject[] = [];
    for (const s of list.items) {
      if (s['type'] !== RECORD_TYPE) continue;
      (labelsOf(s)[LABEL_PART] === undefined ? mains : parts).push(s);
    }
    return { mains, parts };
  }

  #decode(release: ReleaseRef, revision: number, main: KubeObject, parts: readonly KubeObject[]): ReleaseRecord {
    const info = revisionInfo(main);
    const decoded = decodeRecord(main, parts, this.#maxRecordBytes);
    if (info === undefined || 'problem' in decoded) {
      const secret = (main.metadata as { name?: string } | undefined)?.name ?? '';
      throw new CorruptRecordError(release, revision, secret, 'problem' in decoded ? decoded.problem : 'its labels are missing or wrong', corruptHint(release, secret));
    }
    return { ...info, startedAt: decoded.payload.startedAt, paths: decoded.payload.paths, manifest: decoded.payload.objects };
  }

  #options(): { signal?: AbortSignal } {
    return this.#signal === undefined ? {} : { signal: this.#signal };
  }
}

/** The ways out of a damaged record: roll back to a readable revision, or drop the damaged one. */
function corruptHint(release: ReleaseRef, secret: string): string {
  const ns = release.namespace === 'default' ? '' : ` -n ${release.namespace}`;
  return (
    `the Secret was changed outside kd. Roll back to a readable revision (\`kubectl kd rollback ${release.name} <revision>${ns}\`, see \`kubectl kd history ${release.name}${ns}\`), ` +
    `or delete the damaged record (\`kubectl delete secret ${secret} -n ${release.namespace}\`) and apply again`
  );
}
