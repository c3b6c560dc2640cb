/**
 * The re-apply loop of `apply --watch`. File changes come in as batches; the loop re-reads only
 * the changed files (desired-cache.ts), and then either reports the problems (any error: nothing
 * is applied, the cluster keeps the last good state), or skips (no object's desired state changed),
 * or applies through the ordinary executor (`runApply`: waves, hooks, health gates, release record
 * and lock, exactly as `kubectl kd apply`).
 *
 * Invariants: at most one cycle runs at a time; changes arriving during a cycle are merged into
 * exactly one follow-up cycle; `stop()` aborts the running apply and resolves only after its
 * `done` event (so the lock is released when it returns). Objects that left the files are pruned
 * only with `--prune`; without it their removal alone does not trigger an apply.
 */
import type { ApplyEvent, ApplyRequest, DoneEvent, Manifest } from '../../src/index.js';
import { objectKey } from '../../src/index.js';
import type { ChangeBatch } from './change-batch.js';
import type { DesiredSnapshot } from './desired-cache.js';
import { mergeBatches } from './file-watcher.js';
import type { LoopEvent } from './loop-events.js';

export interface DesiredSource {
  loadAll(): Promise<DesiredSnapshot>;
  reload(batch: ChangeBatch): Promise<DesiredSnapshot & { reread: string[]; removed: string[] }>;
}

export interface ApplyLoopOptions {
  source: DesiredSource;
  /** Everything of the apply request but the objects: release, prune, hooks, timeout, ... */
  request: Omit<ApplyRequest, 'objects' | 'diagnostics'>;
  /** Runs the executor (runApply with the target's client, clock, ports). */
  apply: (request: ApplyRequest, signal: AbortSignal) => AsyncIterable<ApplyEvent>;
  emit: (event: LoopEvent) => void;
  /** Before each apply (the executor's own writes are not drift). */
  onApplyStart?: () => void;
  /** After each apply, with what was to be applied and how it ended: for following drift. */
  onApplied?: (manifests: readonly Manifest[], done: DoneEvent | undefined) => void;
  now: () => number;
}

type Trigger = 'start' | 'change' | 'manual';

export class ApplyLoop {
  readonly #o: ApplyLoopOptions;
  readonly #stop = new AbortController();
  #pending: ChangeBatch[] = [];
  #manual = false;
  /** `F`: the next manual apply takes conflicting fields over (--force-conflicts), once. */
  #forceOnce = false;
  /** The next manual apply is a self-heal (no hooks, unless files changed too). */
  #healOnce = false;
  #queuedReported = false;
  #running: Promise<void> | undefined;
  #started = false;
  /** Desired objects of the last attempted apply, by key, as JSON. */
  #attempted: Map<string, string> | undefined;
  #applyAbort: AbortController | undefined;

  constructor(options: ApplyLoopOptions) {
    this.#o = options;
  }

  /** The first cycle: everything read, validated and (when valid) applied. */
  start(): Promise<void> {
    this.#started = true;
    this.#manual = true;
    return this.#kick('start');
  }

  /** A batch from the file watcher. */
  changed(batch: ChangeBatch): void {
    if (batch.changed.length === 0 && batch.removed.length === 0) return;
    this.#pending.push(batch);
    void this.#kick('change');
  }

  /**
   * `a`: read everything again and apply even when nothing changed (a retry); `F`: the same with
   * --force-conflicts. `heal` (--self-heal): with --force-conflicts and without hooks, the files
   * being unchanged (hooks belong to a change of the files; a heal that finds nothing to restore
   * then records no revision). A file change in the same run keeps its hooks.
   */
  applyNow(options: { forceConflicts?: boolean; heal?: boolean } = {}): void {
    this.#manual = true;
    if (options.forceConflicts || options.heal) this.#forceOnce = true;
    if (options.heal) this.#healOnce = true;
    void this.#kick('manual');
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Resolves when no cycle is running or queued. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Aborts a running apply and waits until it has finished (lock released, revision marked). */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('watch stopped'));
    this.#applyAbort?.abort(new Error('watch stopped'));
    this.#pending = [];
    this.#manual = false;
    await this.idle();
  }

  #kick(trigger: Trigger): Promise<void> {
    if (this.#stop.signal.aborted || !this.#started) return Promise.resolve();
    if (this.#running) {
      if (!this.#queuedReported) {
        this.#queuedReported = true;
        this.#o.emit({ type: 'queued', at: this.#o.now() });
      }
      return this.#running;
    }
    const run = this.#cycle(trigger)
      .catch((error: unknown) => {
        this.#o.emit({ type: 'notice', at: this.#o.now(), level: 'error', message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.#running = undefined;
        this.#queuedReported = false;
        if (this.#pending.length > 0 || this.#manual) void this.#kick(this.#manual ? 'manual' : 'change');
      });
    this.#running = run;
    return run;
  }

  async #cycle(trigger: Trigger): Promise<void> {
    const { emit, now } = this.#o;
    const manual = this.#manual;
    this.#manual = false;
    const force = manual && this.#forceOnce;
    this.#forceOnce = false;
    const batches = this.#pending.splice(0);
    const heal = manual && this.#healOnce && batches.length === 0;
    this.#healOnce = false;
    let snapshot: DesiredSnapshot;
    if (manual) {
      snapshot = await this.#o.source.loadAll();
    } else {
      const batch = mergeBatches(batches);
      emit({ type: 'files-changed', at: now(), changed: batch.changed, removed: batch.removed });
      snapshot = await this.#o.source.reload(batch);
    }
    const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
    emit({ type: 'validated', at: now(), diagnostics: snapshot.diagnostics, errors, objects: snapshot.manifests.length });
    if (errors > 0) {
      emit({ type: 'skipped', at: now(), reason: `${errors} problem${errors === 1 ? '' : 's'} in the manifests; nothing applied, the cluster keeps the last good state` });
      return;
    }
    const desired = fingerprint(snapshot.manifests);
    if (!manual && this.#attempted) {
      const changes = difference(this.#attempted, desired);
      const prune = this.#o.request.prune === true;
      if (changes.changed === 0 && (changes.removed === 0 || !prune)) {
        const why = changes.removed > 0 ? `${changes.removed} object${changes.removed === 1 ? '' : 's'} left the files; kept in the cluster (use --prune to delete them)` : 'no object changed';
        emit({ type: 'skipped', at: now(), reason: why });
        return;
      }
    }
    if (this.#stop.signal.aborted) return;
    this.#attempted = desired;
    const abort = new AbortController();
    this.#applyAbort = abort;
    const signal = AbortSignal.any([abort.signal, this.#stop.signal]);
    emit({ type: 'apply-started', at: now(), trigger: heal ? 'heal' : trigger });
    this.#o.onApplyStart?.();
    let done: DoneEvent | undefined;
    try {
      const request: ApplyRequest = { ...this.#o.request, objects: snapshot.manifests, diagnostics: snapshot.diagnostics };
      if (force) request.forceConflicts = true;
      if (heal) request.hooks = false;
      for await (const event of this.#o.apply(request, signal)) {
        emit({ type: 'apply', at: now(), event });
        if (event.type === 'done') done = event;
      }
    } finally {
      this.#applyAbort = undefined;
      this.#o.onApplied?.(snapshot.manifests, done);
    }
  }
}

/** Each desired object as stable JSON, by identity: what "changed" is measured on. */
export function fingerprint(manifests: readonly Manifest[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of manifests) out.set(objectKey(m.ref), stableJson(m.object));
  return out;
}

export function difference(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): { changed: number; removed: number } {
  let changed = 0;
  let removed = 0;
  for (const [key, json] of after) if (before.get(key) !== json) changed++;
  for (const key of before.keys()) if (!after.has(key)) removed++;
  return { changed, removed };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return v;
  });
}
