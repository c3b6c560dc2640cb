/**
 * `--state FILE`: the store's objects and resourceVersion as JSON, loaded at start and written
 * atomically (a new temporary file in the same directory, then rename) shortly after changes and
 * at stop, so a crash never leaves a half-written state. The file holds every Secret, so it is
 * only ever created owner-only (0600) and exclusively, under a name nobody can predict (no other
 * user can plant a link or a file there first). A missing file is an empty state; an unreadable
 * one, or a path whose folder does not exist, is an environment error checked before serving.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { StoreSnapshot } from './object-store.js';

/** Fails (before the server serves anything) when the state file could not be written later. */
export function checkStatePath(file: string): void {
  const dir = path.dirname(file);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw environmentError(`the folder of the simulator state file ${file} does not exist`, `create ${dir} first, or pass a --state path in an existing folder`);
  }
  if (!dirStat.isDirectory()) throw environmentError(`the simulator state file ${file} cannot be created: ${dir} is not a folder`, 'pass a --state path in an existing folder');
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw environmentError(`the simulator state file ${file} cannot be written: no write permission on ${dir}`, 'pass a --state path in a folder you can write');
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw environmentError(`the simulator state file ${file} is a folder`, 'pass a file path to --state');
}

export function loadState(file: string): StoreSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw environmentError(`the simulator state file ${file} cannot be read: ${(cause as Error).message}`, 'fix or remove the file to start with an empty cluster');
  }
  const s = parsed as Partial<StoreSnapshot>;
  if (typeof s !== 'object' || s === null || typeof s.resourceVersion !== 'number' || !Array.isArray(s.objects))
    throw environmentError(`the simulator state file ${file} is not a kd sim state`, 'fix or remove the file to start with an empty cluster');
  return s as StoreSnapshot;
}

/**
 * Writes `text` to `file` through a fresh owner-only temporary file next to it (created with
 * O_EXCL under a random name) and a rename. Throws the file-system error; the temporary file is
 * removed on failure.
 */
export function writeFilePrivate(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    try {
      const buf = Buffer.from(text);
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function saveState(file: string, snapshot: StoreSnapshot): void {
  writeFilePrivate(file, JSON.stringify(snapshot));
}
