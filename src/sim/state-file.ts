/**
 * `--state FILE`: the store's objects and resourceVersion as JSON, loaded at start and written
 * atomically (temporary file in the same directory, then rename) shortly after changes and at stop,
 * so a crash never leaves a half-written state. A missing file is an empty state; an unreadable
 * one is an environment error (never silently discarded).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { StoreSnapshot } from './object-store.js';

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

export function saveState(file: string, snapshot: StoreSnapshot): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, file);
}
