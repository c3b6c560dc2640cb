/**
 * Watches the input paths with chokidar and hands over debounced batches of changed and removed
 * manifest files (change-batch.ts). Native file-system events only (no polling: an idle watch
 * costs no CPU). Editors' atomic saves (write a temporary file, rename it over the original)
 * arrive as one change; swap, backup and temporary files, hidden folders (`.git`) and
 * `node_modules` are ignored; new files and folders are picked up, and a watched folder that is
 * removed and created again is watched again (chokidar re-arms it from its nearest ancestor).
 *
 * Limits: files a kustomization pulls in from outside the watched folders are not watched.
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { ChangeCollector, DEFAULT_DEBOUNCE_MS, isIgnoredPath, type ChangeBatch } from './change-batch.js';

export interface InputWatcherOptions {
  /** Absolute paths of the files and folders to watch. */
  roots: string[];
  onBatch: (batch: ChangeBatch) => void;
  onError?: (error: Error) => void;
  debounceMs?: number;
}

export interface InputWatcher {
  /** Resolves once the initial scan is done: changes after this are reported. */
  ready: Promise<void>;
  /** Changes while paused are collected and handed over on resume, as one batch. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export function watchInputs(options: InputWatcherOptions): InputWatcher {
  const roots = options.roots.map((r) => path.resolve(r));
  let paused = false;
  const held: ChangeBatch[] = [];
  const collector = new ChangeCollector({
    debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    onBatch: (batch) => (paused ? held.push(batch) : options.onBatch(batch)),
  });
  const ignored = (file: string, stats?: { isFile(): boolean }) => {
    const abs = path.resolve(file);
    for (const root of roots) {
      if (abs === root || root.startsWith(abs + path.sep)) return false;
      if (abs.startsWith(root + path.sep)) return isIgnoredPath(abs.slice(root.length + 1), stats ? stats.isFile() : undefined);
    }
    return false;
  };
  const watcher: FSWatcher = watch(roots, { ignoreInitial: true, ignored, atomic: true, persistent: true });
  watcher.on('add', (file) => collector.note(path.resolve(file), 'changed'));
  watcher.on('change', (file) => collector.note(path.resolve(file), 'changed'));
  watcher.on('unlink', (file) => collector.note(path.resolve(file), 'removed'));
  // A removed folder's files each get an `unlink`; a folder created with files in it gets `add`s.
  watcher.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      if (held.length === 0) return;
      const merged = mergeBatches(held.splice(0));
      options.onBatch(merged);
    },
    async close() {
      collector.dispose();
      await watcher.close();
    },
  };
}

/** Later batches win per file. */
export function mergeBatches(batches: readonly ChangeBatch[]): ChangeBatch {
  const last = new Map<string, 'changed' | 'removed'>();
  for (const b of batches) {
    for (const f of b.changed) last.set(f, 'changed');
    for (const f of b.removed) last.set(f, 'removed');
  }
  const out: ChangeBatch = { changed: [], removed: [] };
  for (const [f, kind] of last) out[kind].push(f);
  return out;
}
