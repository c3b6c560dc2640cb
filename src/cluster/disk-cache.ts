/**
 * kd's on-disk cache: `$XDG_CACHE_HOME/kd`, else `~/.cache/kd`, one folder per API server
 * (its URL made safe as a folder name). Entries are JSON written atomically (temp file + rename),
 * so concurrent runs never read half a file. The cache is an optimisation only: every read or
 * write failure (read-only home, corrupt file) behaves as a miss, never as an error.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function kdCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, home?: string): string {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'kd');
  return path.join(home ?? env.HOME ?? os.homedir(), '.cache', 'kd');
}

/** `https://10.0.0.1:6443/prefix` → `https_10.0.0.1_6443_prefix`. */
export function serverFolderName(server: string): string {
  return server
    .replace(/^([a-z]+):\/\//i, '$1_')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+$/, '');
}

export class DiskCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  read<T>(name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  write(name: string, value: unknown): void {
    const file = path.join(this.dir, name);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, file);
    } catch {
      // a cache that cannot be written only costs a refetch next time
    }
  }
}
