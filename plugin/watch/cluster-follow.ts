/**
 * Follows the applied objects in the cluster while the watch runs, namespaced and cluster-scoped
 * (the Namespace itself), so that a change made there (`kubectl scale`, `kubectl edit`, a
 * deletion) shows up as drift while it happens, and `d` diffs against the object as it is now.
 * One watch per kind and namespace in use (cluster-wide for cluster-scoped kinds; a resumable
 * watch: no polling). Each event about a followed object recomputes that object's three-way drift
 * (live-drift.ts); when values differ as written, the server's dry run of that one object
 * normalises them, asked once per desired version, never per event. The whole drift set is
 * reported when it changes. While kd itself applies, reporting is suspended (its own writes are
 * not drift); on resume everything is compared again against the newly applied objects.
 *
 * Hooks are not followed (they are created per run and deleted). Best effort: a watch that fails
 * is reported once as a notice and not retried beyond what the cluster layer does.
 */
import type { ClusterClient, KubeObject, Manifest, ObjectRef } from '../../src/index.js';
import { annotationsOf, describeRef, FIELD_MANAGER, objectKey } from '../../src/index.js';
import { entriesOf, liveDiffLines, liveDrift, needsNormalising, type LiveDriftInput } from './live-drift.js';
import type { DriftEntry, LoopEvent } from './loop-events.js';

const HOOK_ANNOTATIONS = ['kd.io/hook', 'helm.sh/hook', 'argocd.argoproj.io/hook'];

export interface ClusterFollowerOptions {
  client: ClusterClient;
  emit: (event: LoopEvent) => void;
  now: () => number;
  /** Salt of masked Secret values' hashes. */
  salt: string;
  /** ISO time from which other managers' new fields count as foreign (the watch's start). */
  foreignSince?: string;
}

interface Followed {
  /** The object as the files have it. */
  manifest: Manifest;
  /** As kd last applied it: the files' object, or the one before when this apply failed on it. */
  applied: KubeObject;
  /** False once it left the files while still in the cluster (applied without --prune): an orphan. */
  inFiles: boolean;
  live: KubeObject | undefined;
  seen: boolean;
  entries: DriftEntry[];
  /** The server's dry run of the desired object, for the desired version `for` (its JSON). */
  predicted?: { for: string; object: KubeObject | undefined };
  /** Bumped per evaluation: an older one finishing late is dropped. */
  generation: number;
}

export class ClusterFollower {
  readonly #o: ClusterFollowerOptions;
  readonly #followed = new Map<string, Followed>();
  readonly #watches = new Map<string, AbortController>();
  #suspended = false;
  #reported = '';
  #stopped = false;

  constructor(options: ClusterFollowerOptions) {
    this.#o = options;
  }

  /**
   * Replaces the set of followed objects with what was just applied; `failed` (object keys) were
   * not applied by this run, so their last applied state stays the one before.
   */
  follow(manifests: readonly Manifest[], failed: ReadonlySet<string> = new Set()): void {
    if (this.#stopped) return;
    const next = new Map<string, Followed>();
    for (const m of manifests) {
      if (!m.ref.name) continue;
      const annotations = annotationsOf(m.object);
      if (HOOK_ANNOTATIONS.some((a) => a in annotations)) continue;
      const key = objectKey(m.ref);
      const before = this.#followed.get(key);
      const applied = failed.has(key) ? before?.applied : m.object;
      // Never applied (its first apply failed): nothing to compare with yet.
      if (applied === undefined) continue;
      next.set(key, { manifest: m, applied, inFiles: true, live: before?.live, seen: before?.seen ?? false, entries: [], generation: (before?.generation ?? 0) + 1, ...(before?.predicted ? { predicted: before.predicted } : {}) });
    }
    // Objects that left the files but are still there (no --prune) stay followed, as orphans.
    for (const [key, before] of this.#followed) if (!next.has(key) && before.live !== undefined) next.set(key, { ...before, inFiles: false, entries: [], generation: before.generation + 1 });
    this.#followed.clear();
    for (const [k, v] of next) this.#followed.set(k, v);
    const wanted = new Map<string, Manifest>();
    for (const f of next.values()) wanted.set(watchKey(f.manifest), f.manifest);
    for (const [key, controller] of this.#watches) {
      if (!wanted.has(key)) {
        controller.abort();
        this.#watches.delete(key);
      }
    }
    for (const [key, m] of wanted) if (!this.#watches.has(key)) this.#start(key, m);
    for (const f of next.values()) if (f.seen) this.#evaluate(f);
    this.#report();
  }

  /** What `d` needs: the object as applied and as it is in the cluster now (undefined when not followed). */
  current(ref: ObjectRef): LiveDriftInput | undefined {
    const f = this.#followed.get(objectKey(ref));
    if (!f || !f.seen) return undefined;
    return this.#input(f);
  }

  /** `d`: the files against the live object now. */
  diffLines(ref: ObjectRef): string[] {
    return liveDiffLines(this.current(ref));
  }

  suspend(): void {
    this.#suspended = true;
  }

  resume(): void {
    this.#suspended = false;
    this.#report();
  }

  /** The current drift, sorted by object then path. */
  drift(): DriftEntry[] {
    const out: DriftEntry[] = [];
    for (const f of this.#followed.values()) if (f.seen) out.push(...f.entries);
    return out.sort((a, b) => (describeRef(a.ref) < describeRef(b.ref) ? -1 : describeRef(a.ref) > describeRef(b.ref) ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  stop(): void {
    this.#stopped = true;
    for (const c of this.#watches.values()) c.abort();
    this.#watches.clear();
  }

  #start(key: string, m: Manifest): void {
    const controller = new AbortController();
    this.#watches.set(key, controller);
    const gvk = { group: m.ref.group, version: m.ref.version, kind: m.ref.kind };
    const run = async () => {
      for await (const event of this.#o.client.watch(gvk, { ...(m.ref.namespace ? { namespace: m.ref.namespace } : {}), signal: controller.signal })) {
        if (controller.signal.aborted) return;
        if (event.type === 'SYNC') {
          const present = new Map(event.objects.map((o) => [keyOf(o, m), o]));
          for (const [k, f] of this.#followed) {
            if (watchKey(f.manifest) !== key) continue;
            f.live = present.get(k);
            f.seen = true;
            this.#evaluate(f);
          }
        } else if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
          const f = this.#followed.get(keyOf(event.object, m));
          if (!f) continue;
          f.live = event.type === 'DELETED' ? undefined : event.object;
          f.seen = true;
          this.#evaluate(f);
        } else continue;
        this.#report();
      }
    };
    run().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      this.#o.emit({ type: 'notice', at: this.#o.now(), level: 'warning', message: `following ${m.ref.kind} objects stopped: ${error instanceof Error ? error.message : String(error)}` });
    });
  }

  #input(f: Followed): LiveDriftInput {
    const desired = f.manifest.object;
    const predicted = f.inFiles && f.predicted && f.predicted.for === JSON.stringify(desired) ? f.predicted.object : undefined;
    return { ref: f.manifest.ref, ...(f.inFiles ? { desired } : {}), applied: f.applied, live: f.live, salt: this.#o.salt, ...(this.#o.foreignSince ? { foreignSince: this.#o.foreignSince } : {}), ...(predicted ? { predicted } : {}) };
  }

  /**
   * Recomputes one object's drift now, as written; when that finds fields, normalises through
   * one server dry run of the desired object (unless done for this version) and computes again.
   */
  #evaluate(f: Followed): void {
    const generation = ++f.generation;
    const input = this.#input(f);
    const drift = liveDrift(input);
    f.entries = entriesOf(drift);
    const key = JSON.stringify(input.desired);
    if (!input.desired || !needsNormalising(drift) || f.predicted?.for === key) return;
    const dryRun = this.#o.client.apply(input.desired, { dryRun: true, force: true, fieldManager: FIELD_MANAGER });
    dryRun.then(
      (object) => {
        f.predicted = { for: key, object };
        if (f.generation !== generation || this.#stopped) return;
        f.entries = entriesOf(liveDrift(this.#input(f)));
        this.#report();
      },
      // The server refused the dry run (an admission webhook, a removed API): values stay compared as written.
      () => {
        f.predicted = { for: key, object: undefined };
      },
    );
  }

  #report(): void {
    if (this.#suspended || this.#stopped) return;
    const entries = this.drift();
    const text = JSON.stringify(entries);
    if (text === this.#reported) return;
    this.#reported = text;
    this.#o.emit({ type: 'drift', at: this.#o.now(), entries });
  }
}

function watchKey(m: Manifest): string {
  return `${m.ref.group}/${m.ref.version}/${m.ref.kind}/${m.ref.namespace ?? ''}`;
}

function keyOf(object: KubeObject, like: Manifest): string {
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const ref = { group: like.ref.group, version: like.ref.version, kind: like.ref.kind, name: String(meta.name ?? ''), ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}) };
  return objectKey(ref);
}
