/**
 * Follows the applied objects in the cluster while the watch runs, so that a change made there
 * (`kubectl scale`, `kubectl edit`, a deletion) shows up as drift while it happens. One watch per
 * kind and namespace in use (a resumable watch: no polling); every event about a followed object
 * is compared with what kd applied (drift-compare.ts), and the whole drift set is reported when it
 * changes. While kd itself applies, reporting is suspended (its own writes are not drift); on
 * resume everything is compared again against the newly applied objects.
 *
 * Hooks are not followed (they are created per run and deleted). Best effort: a watch that fails
 * is reported once as a notice and not retried beyond what the cluster layer does.
 */
import type { ClusterClient, KubeObject, Manifest } from '../../src/index.js';
import { annotationsOf, describeRef, objectKey } from '../../src/index.js';
import { compareApplied } from './drift-compare.js';
import type { DriftEntry, LoopEvent } from './loop-events.js';

const HOOK_ANNOTATIONS = ['kd.io/hook', 'helm.sh/hook', 'argocd.argoproj.io/hook'];

export interface ClusterFollowerOptions {
  client: ClusterClient;
  emit: (event: LoopEvent) => void;
  now: () => number;
}

interface Followed {
  manifest: Manifest;
  live: KubeObject | undefined;
  seen: boolean;
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

  /** Replaces the set of followed objects with what was just applied. */
  follow(manifests: readonly Manifest[]): void {
    if (this.#stopped) return;
    const next = new Map<string, Followed>();
    for (const m of manifests) {
      if (!m.ref.name) continue;
      const annotations = annotationsOf(m.object);
      if (HOOK_ANNOTATIONS.some((a) => a in annotations)) continue;
      const key = objectKey(m.ref);
      const before = this.#followed.get(key);
      next.set(key, { manifest: m, live: before?.live, seen: before?.seen ?? false });
    }
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
    this.#report();
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
    for (const f of this.#followed.values()) if (f.seen) out.push(...compareApplied(f.manifest.ref, f.manifest.object, f.live));
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
          }
        } else if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
          const f = this.#followed.get(keyOf(event.object, m));
          if (!f) continue;
          f.live = event.type === 'DELETED' ? undefined : event.object;
          f.seen = true;
        } else continue;
        this.#report();
      }
    };
    run().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      this.#o.emit({ type: 'notice', at: this.#o.now(), level: 'warning', message: `following ${m.ref.kind} objects stopped: ${error instanceof Error ? error.message : String(error)}` });
    });
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
