/**
 * `--storage file:DIR`: release records and the release lock as files, for clusters where kd may
 * not keep Secrets or ConfigMaps and for audits that want records outside the cluster. It never
 * touches the cluster: no Secret, ConfigMap or Lease of kd's is created.
 *
 * Layout: DIR/<namespace>/<release>/<record name>.json, one file per record object (a revision's
 * main record and its parts, in the canonical shape of drivers.ts), plus `.lock` while a run holds
 * the release. Directories are created 0700 and files 0600; every write goes to a temp file in the
 * same directory and is renamed over the target, so a reader sees the old file or the new one,
 * never half of one.
 *
 * The lock is the file `.lock`, created with O_EXCL (`wx`), holding the holder and an expiry
 * (`expiresAt`, ms since the epoch on the holder's clock) renewed every third of the duration. A
 * lock whose expiry has passed (its run died) is taken over: it is renamed aside first, so of two
 * runs taking it over at once only one rename succeeds. The expiry is judged on this machine's
 * clock: the file driver is meant for one machine or a shared directory between hosts whose
 * clocks agree (there is no server clock to judge by).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KdError } from '../../errors.js';
import type { ClusterClock } from '../../cluster/clock.js';
import { formatMetav1Time, type KubeObject } from '../../model/index.js';
import type { AcquireLockOptions, LockHandle, HeldLock, ReleaseLock, ReleaseRef } from '../ports.js';
import { LockHeldError, lockSettings, renewingHandle, type LockSettingsOptions } from '../lock.js';
import type { RecordDriver, RecordScope } from './drivers.js';
import { LABEL_NAME, LABEL_OWNER, LABEL_REVISION, OWNER } from './names.js';

// node:fs/promises (with readline and the fs watchers behind it) is loaded on first use: only
// `--storage file:` runs use this driver, and every release command reaches this module (issue 17).
const builtin = createRequire(import.meta.url);
const fsp = (): typeof import('node:fs/promises') => builtin('node:fs/promises') as typeof import('node:fs/promises');

const LOCK_FILE = '.lock';
const PARENT_FILE = 'applyset.json';

export class FileRecordDriver implements RecordDriver {
  readonly kind = 'file' as const;
  readonly noun = 'file';
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  where(namespace: string): string {
    return `files under ${path.join(this.dir, namespace)}`;
  }

  async list(scope: RecordScope): Promise<KubeObject[]> {
    const namespaces = 'allNamespaces' in scope ? await subdirs(this.dir) : [scope.namespace];
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const releases = 'namespace' in scope && scope.release !== undefined ? [scope.release] : await subdirs(path.join(this.dir, ns));
      for (const release of releases) {
        const dir = path.join(this.dir, ns, release);
        for (const file of await entries(dir)) {
          if (!file.endsWith('.json') || file.startsWith('.')) continue;
          const record = await readRecord(path.join(dir, file));
          if (record === undefined) continue;
          const labels = labelsOf(record);
          if (labels[LABEL_OWNER] !== OWNER) continue;
          if ('namespace' in scope && scope.revision !== undefined && labels[LABEL_REVISION] !== String(scope.revision)) continue;
          out.push(record);
        }
      }
    }
    return out;
  }

  async create(record: KubeObject): Promise<void> {
    const file = this.#fileOf(record);
    await fsp().mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeAtomic(file, JSON.stringify(record, null, 2) + '\n');
  }

  async patchMeta(namespace: string, name: string, meta: { labels: Record<string, string>; annotations: Record<string, string> }): Promise<void> {
    const file = await this.#find(namespace, name);
    const record = file === undefined ? undefined : await readRecord(file);
    if (file === undefined || record === undefined) throw new KdError('cluster', `the record file ${name}.json was not found under ${path.join(this.dir, namespace)}`);
    const metadata = (record.metadata ?? {}) as Record<string, unknown>;
    record.metadata = {
      ...metadata,
      labels: { ...(metadata['labels'] as Record<string, string> | undefined), ...meta.labels },
      annotations: { ...(metadata['annotations'] as Record<string, string> | undefined), ...meta.annotations },
    };
    await writeAtomic(file, JSON.stringify(record, null, 2) + '\n');
  }

  async remove(namespace: string, name: string): Promise<void> {
    const file = await this.#find(namespace, name);
    if (file !== undefined) await fsp().rm(file, { force: true });
  }

  removeHint(namespace: string, name: string): string {
    return `rm ${path.join(this.dir, namespace, '<release>', `${name}.json`)}`;
  }

  /** The ApplySet parent of a release, kept as `applyset.json` beside its records (never in the cluster). */
  readonly applySetParent = {
    read: (release: ReleaseRef): Promise<KubeObject | undefined> => readRecord(path.join(this.releaseDir(release), PARENT_FILE)),
    write: async (release: ReleaseRef, parent: KubeObject): Promise<void> => {
      await fsp().mkdir(this.releaseDir(release), { recursive: true, mode: 0o700 });
      await writeAtomic(path.join(this.releaseDir(release), PARENT_FILE), JSON.stringify(parent, null, 2) + '\n');
    },
    remove: async (release: ReleaseRef): Promise<void> => {
      await fsp().rm(path.join(this.releaseDir(release), PARENT_FILE), { force: true });
    },
  };

  /** The directory of one release, where its records and lock file live. */
  releaseDir(release: ReleaseRef): string {
    return path.join(this.dir, release.namespace, release.name);
  }

  #fileOf(record: KubeObject): string {
    const meta = (record.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
    return path.join(this.dir, meta.namespace ?? 'default', meta.labels?.[LABEL_NAME] ?? '_', `${meta.name ?? 'record'}.json`);
  }

  async #find(namespace: string, name: string): Promise<string | undefined> {
    for (const release of await subdirs(path.join(this.dir, namespace))) {
      const file = path.join(this.dir, namespace, release, `${name}.json`);
      if (await fsp().stat(file).then((st) => st.isFile(), () => false)) return file;
    }
    return undefined;
  }
}

export interface FileLockOptions extends LockSettingsOptions {
  driver: FileRecordDriver;
}

interface LockNote {
  holder: string;
  acquiredAt: string;
  /** ms since the epoch, on the holder's clock. */
  expiresAt: number;
}

/** The release lock as an exclusive lock file next to the records. */
export class FileLock implements ReleaseLock {
  readonly identity: string;
  readonly #driver: FileRecordDriver;
  readonly #clock: ClusterClock;
  readonly #durationMs: number;
  readonly #pollMs: number;
  readonly #onWait: FileLockOptions['onWait'];

  constructor(options: FileLockOptions) {
    this.#driver = options.driver;
    ({ clock: this.#clock, identity: this.identity, durationMs: this.#durationMs, pollMs: this.#pollMs, onWait: this.#onWait } = lockSettings(options));
  }

  /** The lock file as it stands (`kubectl kd list --pending`); its expiry is the holder's clock, as `acquire` judges it. */
  async inspect(release: ReleaseRef): Promise<HeldLock | undefined> {
    const note = await readNote(path.join(this.#driver.releaseDir(release), LOCK_FILE), this.#durationMs);
    if (note === undefined) return undefined;
    const remaining = note.expiresAt - this.#clock.now();
    return { holder: note.holder, since: note.acquiredAt, live: remaining > 0, expiresInSeconds: Math.max(0, Math.ceil(remaining / 1000)) };
  }

  async acquire(release: ReleaseRef, options: AcquireLockOptions): Promise<LockHandle> {
    const dir = this.#driver.releaseDir(release);
    const file = path.join(dir, LOCK_FILE);
    await fsp().mkdir(dir, { recursive: true, mode: 0o700 });
    let told = false;
    for (;;) {
      if (options.signal.aborted) throw new KdError('interrupted', 'interrupted while waiting for the release lock');
      if (await this.#create(file)) return this.#hold(file);
      const note = await readNote(file, this.#durationMs);
      if (note === undefined) continue; // released between our create and our read
      const remaining = note.expiresAt - this.#clock.now();
      if (remaining <= 0 || note.holder === this.identity) {
        // Renamed aside first: of two runs taking over one stale lock, only one rename succeeds.
        await fsp().rename(file, `${file}.stale-${randomBytes(4).toString('hex')}`).catch(() => undefined);
        await removeStale(dir);
        continue;
      }
      if (!options.wait) throw new LockHeldError(release, note.holder, note.acquiredAt, Math.ceil(remaining / 1000), `lock file ${file}`);
      if (!told) this.#onWait?.({ holder: note.holder, since: note.acquiredAt });
      told = true;
      try {
        await this.#clock.sleep(Math.max(1, Math.min(this.#pollMs, remaining)), options.signal);
      } catch {
        throw new KdError('interrupted', 'interrupted while waiting for the release lock');
      }
    }
  }

  #note(acquiredAt?: string): LockNote {
    const now = this.#clock.now();
    return { holder: this.identity, acquiredAt: acquiredAt ?? formatMetav1Time(now), expiresAt: now + this.#durationMs };
  }

  async #create(file: string): Promise<boolean> {
    let handle;
    try {
      handle = await fsp().open(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      await handle.writeFile(JSON.stringify(this.#note()) + '\n');
    } finally {
      await handle.close();
    }
    return true;
  }

  #hold(file: string): LockHandle {
    const acquiredAt = this.#note().acquiredAt;
    return renewingHandle({
      holder: this.identity,
      clock: this.#clock,
      durationMs: this.#durationMs,
      renew: async () => {
        const note = await readNote(file);
        if (note?.holder !== this.identity) return new KdError('cluster', `lost the lock ${file}: another run took it over`);
        await writeAtomic(file, JSON.stringify(this.#note(acquiredAt)) + '\n').catch(() => undefined);
        return undefined;
      },
      // Lost or not: a lock file that still names this run is this run's to remove.
      free: async () => {
        const note = await readNote(file);
        if (note?.holder === this.identity) await fsp().unlink(file).catch(() => undefined);
      },
    });
  }
}

/** Writes `text` to a temp file beside `file` (0600) and renames it over `file`. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fsp().open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp().rename(temp, file);
  } catch (e) {
    await fsp().rm(temp, { force: true });
    throw e;
  }
}

async function removeStale(dir: string): Promise<void> {
  for (const f of await entries(dir)) if (f.startsWith(`${LOCK_FILE}.stale-`)) await fsp().rm(path.join(dir, f), { force: true });
}

async function readNote(file: string, durationMs = 0): Promise<LockNote | undefined> {
  try {
    const value = JSON.parse(await fsp().readFile(file, 'utf8')) as Partial<LockNote>;
    const expiresAt = Number(value.expiresAt);
    if (typeof value.holder !== 'string' || !Number.isFinite(expiresAt)) throw new SyntaxError('not a lock note');
    return { holder: value.holder, acquiredAt: String(value.acquiredAt ?? 'an unknown time'), expiresAt };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Empty or unreadable: being written by the run that just created it, or left half-written
    // by one that crashed; held until a duration after it was last written.
    const written = await fsp().stat(file).then((s) => s.mtimeMs, () => undefined);
    if (written === undefined) return undefined;
    return { holder: 'an unknown run', acquiredAt: new Date(written).toISOString(), expiresAt: written + durationMs };
  }
}

async function readRecord(file: string): Promise<KubeObject | undefined> {
  try {
    const value: unknown = JSON.parse(await fsp().readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await fsp().readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await fsp().readdir(dir)).sort();
  } catch {
    return [];
  }
}

function labelsOf(record: KubeObject): Record<string, string> {
  const labels = (record.metadata as { labels?: unknown } | undefined)?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, string>) : {};
}
