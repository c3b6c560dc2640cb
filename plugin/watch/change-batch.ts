/**
 * Debounced coalescing of file-system changes into batches. Editors write a file in bursts
 * (truncate, write, rename, chmod), and a `git checkout` touches many files at once: every change
 * within `debounceMs` of the previous one joins the same batch, and the batch is handed over once
 * things are quiet. Per path only the net effect survives: a file written then removed is
 * `removed`, removed then written back is `changed`.
 *
 * Timers come in through `TimerPort`, so tests drive it with a fake clock; nothing here polls:
 * with no changes there is no timer at all.
 */

import { isManifestFileName, isSkippedFolder } from '../../src/index.js';

export type FileChangeKind = 'changed' | 'removed';

export interface ChangeBatch {
  /** Absolute paths, in the order they were first seen in this batch. */
  changed: string[];
  removed: string[];
}

export interface TimerPort {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const DEFAULT_DEBOUNCE_MS = 100;

export class ChangeCollector {
  readonly #pending = new Map<string, FileChangeKind>();
  readonly #timers: TimerPort;
  readonly #debounceMs: number;
  readonly #onBatch: (batch: ChangeBatch) => void;
  #timer: unknown;

  constructor(options: { onBatch: (batch: ChangeBatch) => void; debounceMs?: number; timers: TimerPort }) {
    this.#onBatch = options.onBatch;
    this.#debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.#timers = options.timers;
  }

  /** Records one change; (re)starts the quiet period. */
  note(file: string, kind: FileChangeKind): void {
    // Map.set keeps a key's first position: the batch lists files in the order they first changed.
    this.#pending.set(file, kind);
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => this.flush(), this.#debounceMs);
  }

  /** Hands over what is pending now (if anything) without waiting for the quiet period. */
  flush(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const batch: ChangeBatch = { changed: [], removed: [] };
    for (const [file, kind] of this.#pending) batch[kind].push(file);
    this.#pending.clear();
    this.#onBatch(batch);
  }

  /** Drops what is pending and stops the timer. */
  dispose(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  get pending(): number {
    return this.#pending.size;
  }
}

/**
 * Files an editor writes next to the real one and that are never manifests: vim's swap files and
 * its `4913` probe, `~` backups, emacs lock and auto-save files, JetBrains' `___jb_tmp___`,
 * Sublime's temporaries, and `.tmp`/`.bak`/`.orig` leftovers.
 */
export function isEditorArtifact(file: string): boolean {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  if (base === '4913' || base.endsWith('~')) return true;
  if (/^\.#/.test(base) || /^#.*#$/.test(base)) return true;
  if (/\.(sw[a-p]|swx|tmp|bak|orig|rej)$/i.test(base)) return true;
  if (/___jb_(tmp|old)___$/.test(base) || /\.subl.*\.tmp$/.test(base)) return true;
  return false;
}


/**
 * Whether a path below a watched root (given relative to that root) can hold or be input:
 * hidden entries (`.git`, `.idea`), dependency and build folders (`node_modules`, `vendor`,
 * `dist`, ...: the shared input rule) and editor artifacts never are; files must be
 * manifests (a kustomization is YAML too). Folders pass, so new folders are walked. Relative,
 * because a root may itself live under a hidden folder.
 */
export function isIgnoredPath(relative: string, isFile: boolean | undefined): boolean {
  const file = relative;
  const parts = file.split(/[\\/]/).filter((p) => p !== '');
  // The folders and files `kubectl kd validate` walks (src/manifest/input-rules.ts).
  for (const part of parts) if (part !== '.' && part !== '..' && isSkippedFolder(part)) return true;
  if (isEditorArtifact(file)) return true;
  if (isFile === true && !isManifestFileName(file)) return true;
  return false;
}
