/**
 * `kubectl kd drift`, the shell around the pure comparison (src/drift/): for each cluster
 * (`--context a,b,c`, or `--sim`; each a session of its own, opened by openSession with the
 * record store and inventory the audit reads) and each release (one, or `--all-releases` of a namespace or
 * of the cluster), gather the three inputs and compare:
 *  1. desired: the files, read and validated exactly as `apply` reads them (readDesired), with
 *     the release's member labels added as apply adds them; with `--all-releases` and no files,
 *     the last deployed revision stands for the files (then nothing is pending);
 *  2. last applied: the release record (lastDeployed); the fallbacks are read off the live object;
 *  3. live: one list per kind and namespace, never one get per object; the ApplySet members
 *     (orphans) come from the inventory;
 *  4. normalisation: a server-side dry-run apply (forced, as kd's field manager) of the desired
 *     object, and of the last-applied one when it differs, `concurrency` at a time — skipped for
 *     objects whose files, record and live values already agree as written (agreesAsWritten).
 * The cluster reads that need no files (the server version, the record, the inventory's members,
 * the lists of the kinds the record names) start as soon as the session is open, before the
 * files are read, and go out together; they progress whenever reading the files waits (stdin, a
 * kustomize build), and while ordinary files are read, loaded and validated, which is
 * synchronous work: readDesired pauses between files and documents, and the event loop turns
 * there while a read is in flight (ClusterReads.pause). Afterwards only what the files add is
 * asked. An interrupt stops the files' phase at its next pause. Invalid files stop those reads
 * and the answer is the files' diagnostics, as if the cluster had never been asked; a failed
 * read is reported when its result is needed, in the order the run reads them.
 * Nothing is written to the cluster. The report's time comes from the injected clock.
 */
import { channel } from 'node:diagnostics_channel';
import { APPLYSET_PART_OF_LABEL } from '../apply/inventory.js';
import { metadataOf, refOf, withLabels } from '../apply/object-refs.js';
import type { RecordStore } from '../apply/release/store.js';
import type { StorageChoice } from '../apply/release/storage.js';
import type { InventoryMember, ReleaseRef } from '../apply/ports.js';
import type { RevisionWithObjects } from '../apply/release/types.js';
import { DEFAULT_MAX_INPUT_BYTES, readCapped, STDIN_NAME, type InputOptions, type StdinReader } from '../io/inputs.js';
import { readDesired } from '../io/read-desired.js';
import { isHookObject } from '../annotations/index.js';
import { FIELD_MANAGER } from '../cluster/client.js';
import { abortReason } from '../cluster/clock.js';
import { ClusterRequestError, UnknownResourceError } from '../cluster/errors.js';
import type { ClusterClient } from '../cluster/types.js';
import {
  agreesAsWritten,
  appliedDiffersFromDesired,
  buildReport,
  compareObject,
  countObjects,
  appliedStateOf,
  sortObjects,
  type AppliedState,
  type DriftClass,
  type DriftReport,
  type DriftTargetReport,
  type IgnoreRule,
  type ObjectDrift,
  type ObjectDriftInput,
} from '../drift/index.js';
import { formatMetav1Time, objectKey, type Diagnostic, type KubeObject, type Manifest, type ObjectRef } from '../model/index.js';
import { openSession, type Session } from './open.js';

export interface DriftRunRequest {
  paths: string[];
  readStdin?: StdinReader;
  /** The input size cap and remote kustomize bases (`--max-input-size`, `--allow-remote`). */
  input?: InputOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The release to audit; required unless `allReleases`. */
  release?: string;
  allReleases?: boolean;
  /** With `allReleases`: every namespace (`-A`). */
  allNamespaces?: boolean;
  /** Contexts to audit, in order; empty: the current one. */
  contexts: string[];
  kubeconfig?: string;
  namespace?: string;
  sim?: boolean;
  ignore: readonly IgnoreRule[];
  showForeign: boolean;
  diff: boolean;
  failOn: readonly DriftClass[];
  /** Dry runs in flight at once. Default 16. */
  concurrency?: number;
  /** Salt of masked Secret values' hashes (random per run). */
  secretSalt: string;
  /** Milliseconds since the epoch: the report's time. */
  now: () => number;
  signal?: AbortSignal;
  kdVersion: string;
  schemaDir?: string;
  /** Where the records are read (`--storage`, `--storage-namespace`); default Secrets. */
  storage?: StorageChoice;
}

export interface DriftRunDeps {
  /**
   * Opens one cluster; default: the kubeconfig context, or an in-process kd sim under `sim`
   * (openSession). `signal` is the run's for this context: it stops the record store's requests
   * too, when the run is interrupted or the files turn out invalid while the cluster is read.
   */
  openTarget?: (context: string | undefined, signal: AbortSignal) => Promise<Session>;
}

export interface DriftRunResult {
  report: DriftReport;
  /** Problems in the files; when one is an error, no cluster was compared. */
  diagnostics: Diagnostic[];
}

export const DEFAULT_DRIFT_CONCURRENCY = 16;

/**
 * The least file work (ns) between two event-loop turns of the files' phase: 0.5 ms. A turn with
 * nothing ready costs 4-8 µs, so the turns cost about 1 % of the phase at most; a read still
 * advances a step (TCP, TLS, request, answer) every half millisecond: the six reads of an
 * unchanged release are answered within the first half of 100 files' phase against a local kd sim.
 * Timed with process.hrtime: the global `performance` loads perf_hooks (9 modules, ~2 ms of CPU).
 */
const TURN_EVERY_NS = 500_000n;

export async function runDrift(request: DriftRunRequest, deps: DriftRunDeps = {}): Promise<DriftRunResult> {
  const openTarget = deps.openTarget ?? ((context, signal) => openDefaultTarget(request, context, signal));
  const contexts: Array<string | undefined> = request.contexts.length > 0 ? request.contexts : [undefined];
  const targets: DriftTargetReport[] = [];
  const notes: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // Standard input is read once (under the cap) and its bytes reused for every context.
  let stdin: Promise<Buffer> | undefined;
  const readStdin = request.readStdin
    ? () => {
        if (stdin) return stdin;
        const s = request.readStdin!();
        return (stdin = s instanceof Promise ? s : readCapped(s, STDIN_NAME, request.input?.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES));
      }
    : undefined;
  for (const context of contexts) {
    // This context's reads stop with the run's signal, and also when the files turn out invalid:
    // they were started before the files were read and must not outlive the answer.
    // (Linked by hand: AbortSignal.any costs a module load at start-up.)
    const stop = new AbortController();
    const signal = stop.signal;
    const interrupted = () => stop.abort(request.signal!.reason);
    if (request.signal?.aborted) interrupted();
    else request.signal?.addEventListener('abort', interrupted, { once: true });
    let target: Session;
    try {
      target = await openTarget(context, signal);
    } catch (error) {
      request.signal?.removeEventListener('abort', interrupted);
      throw error;
    }
    phase('session-open');
    const reads = new ClusterReads(request, target, signal);
    try {
      // The reads that need no files start now, before the files are read: they progress while
      // the files are read (at its pauses, and wherever the reading waits), and the server answers
      // on its own time; only what the files add is asked afterwards.
      const releasesRead = reads.start();
      let desired: Manifest[] | undefined;
      if (request.paths.length > 0) {
        const read = await readDesired({
          paths: request.paths,
          defaultNamespace: target.namespace,
          env: request.env,
          cwd: request.cwd,
          ...(readStdin ? { readStdin } : {}),
          ...(request.input ? { input: request.input } : {}),
          ...(request.schemaDir === undefined ? {} : { schemaDir: request.schemaDir }),
          pause: () => reads.pause(),
        });
        phase('files-read');
        // Interrupted while the files were read: stopped, whatever the files hold.
        if (request.signal?.aborted) throw abortReason(request.signal);
        // The same files read for every context: report their problems once.
        if (context === contexts[0]) diagnostics.push(...read.diagnostics);
        if (read.diagnostics.some((d) => d.severity === 'error')) break;
        desired = read.manifests;
      }
      const { releases, note } = await releasesRead;
      if (note !== undefined) notes.push(note);
      for (const [i, release] of releases.entries()) {
        // The next release's reads overlap this one's comparison (--all-releases).
        if (i + 1 < releases.length) reads.forRelease(releases[i + 1]!);
        const report = await compareRelease(request, target, release, reads.forRelease(release), desired, reads.bound, signal);
        phase('compared');
        const serverVersion = await reads.serverVersion;
        targets.push({ context: target.context, server: target.client.server, ...(serverVersion ? { serverVersion } : {}), ...report });
      }
    } finally {
      // Nothing started for this context may outlive it: stop what still runs (after invalid
      // files, or a failure) and wait until it has settled before the connections close.
      request.signal?.removeEventListener('abort', interrupted);
      stop.abort(new Error('the drift run of this context ended'));
      await reads.settled();
      await target.close();
    }
  }
  return { report: buildReport({ time: formatMetav1Time(request.now()), failOn: request.failOn, targets, notes }), diagnostics };
}

/**
 * Where a run's time goes (session open, files read, live objects read, compared), published on
 * the `kd:drift:phase` diagnostics channel for bench/drift-phases.mjs; free when nobody listens.
 */
const phases = channel('kd:drift:phase');
function phase(name: string): void {
  if (phases.hasSubscribers) phases.publish({ name });
}

/** One context's session: reads, the records' requests stopped by the run's signal. */
function openDefaultTarget(request: DriftRunRequest, context: string | undefined, signal: AbortSignal): Promise<Session> {
  return openSession({
    sim: request.sim === true,
    env: request.env,
    version: request.kdVersion,
    // No client-side rate limit: an audit is reads and dry runs, and `concurrency` already
    // bounds what is in flight (kubectl leaves limiting to the server's priority and fairness too).
    qps: 0,
    ...(request.kubeconfig === undefined ? {} : { kubeconfig: request.kubeconfig }),
    ...(context === undefined ? {} : { context }),
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
    ...(request.storage === undefined ? {} : { storage: request.storage }),
    signal,
  });
}

/** What the release record says, as compareRelease reads it: the deployed revision, or why there is none. */
interface RecordView {
  snapshot: RevisionWithObjects | undefined;
  note?: string;
  /** With --all-releases and no deployed revision: what the latest revision applied stands for the files. */
  standIn?: KubeObject[];
}

/** The reads of one release that need no files, each started at once and awaited in today's order. */
interface ReleaseReads {
  record: Promise<RecordView>;
  members: Promise<InventoryMember[]>;
  /** One list per kind and namespace the record (or the stand-in) names, started once record and members are in. */
  lists: Promise<Map<string, Promise<KubeObject[]>>>;
}

/**
 * One context's cluster reads: the server version, the releases to audit, and per release the
 * record, the ApplySet members and the lists of the kinds the record names. They start before the
 * files are read; every request is bounded by `concurrency` (with the dry runs) and stopped by the
 * context's signal. A read's failure surfaces when compareRelease awaits it, in the order it did
 * when the reads followed the files; until then it is held, never an unhandled rejection.
 */
class ClusterReads {
  readonly bound: Bound;
  serverVersion: Promise<string | undefined> = Promise.resolve(undefined);
  readonly #request: DriftRunRequest;
  readonly #target: Session;
  readonly #signal: AbortSignal;
  readonly #perRelease = new Map<string, ReleaseReads>();
  readonly #pending: Array<Promise<unknown>> = [];
  /** Reads started and not yet settled. */
  #inFlight = 0;
  /** When pause last turned the event loop (process.hrtime.bigint()); 0: not yet. */
  #turned = 0n;

  constructor(request: DriftRunRequest, target: Session, signal: AbortSignal) {
    this.#request = request;
    this.#target = target;
    this.#signal = signal;
    this.bound = new Bound(request.concurrency ?? DEFAULT_DRIFT_CONCURRENCY, signal);
  }

  /** Starts the version and the first release's reads; resolves with the releases to audit. */
  start(): Promise<{ releases: ReleaseRef[]; note?: string }> {
    const { client, namespace, context } = this.#target;
    // Asked alongside the release's reads (a connection more, but no round trip at the end, which
    // a slow or distant server makes felt).
    const askVersion = () => client.serverVersion({ signal: this.#signal }).then((v) => v.gitVersion, () => undefined);
    const request = this.#request;
    if (!request.allReleases) {
      const release = { name: request.release ?? 'default', namespace };
      this.serverVersion = this.#track(askVersion());
      this.forRelease(release);
      return Promise.resolve({ releases: [release] });
    }
    const store = this.#target.ports.releases;
    const listed = this.bound.run(async () => {
      const scope = request.allNamespaces ? ({ allNamespaces: true } as const) : { namespace };
      const releases = (await store.releases(scope)).filter((r) => r.state !== 'deleted').map((r) => ({ name: r.name, namespace: r.namespace }));
      if (releases.length > 0) return { releases };
      return { releases, note: `no kd releases ${request.allNamespaces ? 'in any namespace' : `in namespace ${namespace}`} of context ${context}${request.allNamespaces ? '' : await elsewhereHint(store, undefined, namespace)}` };
    });
    this.#track(listed);
    this.serverVersion = this.#track(askVersion());
    // Tracked as well: a run that ends before it asks for the releases leaves no rejection unhandled.
    return this.#track(
      listed.then((r) => {
        if (r.releases[0]) this.forRelease(r.releases[0]);
        return r;
      }),
    );
  }

  /** The reads of a release, started on first ask. */
  forRelease(release: ReleaseRef): ReleaseReads {
    const key = `${release.namespace}/${release.name}`;
    let reads = this.#perRelease.get(key);
    if (reads) return reads;
    const signal = this.#signal;
    const store = this.#target.ports.releases;
    const inventory = this.#target.ports.inventory;
    const withFiles = this.#request.paths.length > 0;
    const record = this.bound.run(() => readRecord(store, release, withFiles));
    // The set's kinds are listed together (bounded too), not one round trip after another.
    const members = this.bound.run(() => inventory.members(release, signal, { concurrency: this.bound.limit }));
    const lists = Promise.all([record, members]).then(([view, found]) => {
      const started = new Map<string, Promise<KubeObject[]>>();
      // The files come later: the entries known now are the record's (or the stand-in's).
      for (const [key, c] of collectionsOf(gatherEntries(view, undefined, found)))
        started.set(key, this.#track(this.bound.run(() => listOrNothing(this.#target.client, c.ref, signal))));
      return started;
    });
    reads = { record: this.#track(record), members: this.#track(members), lists: this.#track(lists) };
    this.#perRelease.set(key, reads);
    return reads;
  }

  /** Resolves once every read started has settled (their failures are for compareRelease to report). */
  async settled(): Promise<void> {
    // Lists join the set as record and members come in: loop until no read is left.
    for (let seen = 0; seen < this.#pending.length; ) {
      const batch = this.#pending.slice(seen);
      seen = this.#pending.length;
      await Promise.allSettled(batch);
    }
  }

  /**
   * readDesired's Pause, between files and between documents: while a read is in flight, a turn of
   * the event loop (at most every TURN_EVERY_NS of file work), so that its connection, TLS
   * handshake, request and answer, and the lists the record names, progress during the synchronous
   * reading, loading and validation of ordinary files instead of all after it; once every read has
   * settled, nothing (no turn is spent where nothing can progress). An interrupt met there stops
   * the files' phase with its reason.
   */
  pause(): Promise<void> | undefined {
    const interrupt = this.#request.signal;
    if (interrupt?.aborted) return Promise.reject(abortReason(interrupt));
    if (this.#inFlight === 0) return undefined;
    const now = process.hrtime.bigint();
    if (this.#turned !== 0n && now - this.#turned < TURN_EVERY_NS) return undefined;
    this.#turned = now;
    return new Promise((resolve) => setImmediate(resolve));
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.push(promise);
    this.#inFlight++;
    const settle = () => void this.#inFlight--;
    promise.then(settle, settle);
    return promise;
  }
}

/** What compareRelease read of the record before anything else: the deployed revision, else why there is none. */
async function readRecord(store: RecordStore, release: ReleaseRef, withFiles: boolean): Promise<RecordView> {
  const snapshot = await store.lastDeployed(release);
  if (snapshot) return { snapshot };
  const latest = (await store.revisions(release)).at(-1);
  if (!latest) return { snapshot, note: `kd has no record of release ${release.name} in namespace ${release.namespace}${await elsewhereHint(store, release.name, release.namespace)}` };
  // Not "never applied": kd tried, and every revision failed (or is still running).
  let note = `no revision of release ${release.name} was deployed: the latest, revision ${latest.revision}, is ${latest.state}${latest.message ? ` (${latest.message})` : ''}`;
  if (withFiles) return { snapshot, note };
  // With --all-releases the files are not at hand: what the latest revision tried to apply stands for them.
  const standIn = (await store.record(release, latest.revision))?.objects;
  if (standIn) note += `; compared with what revision ${latest.revision} applied`;
  return { snapshot, note, ...(standIn ? { standIn } : {}) };
}

/**
 * At most `limit` requests in flight for one context: the early reads, the lists and the dry
 * runs share it. Work queued after the signal aborted rejects with its reason without starting.
 */
class Bound {
  readonly limit: number;
  readonly #signal: AbortSignal;
  #active = 0;
  readonly #queue: Array<() => void> = [];

  constructor(limit: number, signal: AbortSignal) {
    this.limit = Math.max(1, limit);
    this.#signal = signal;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#active++;
    try {
      if (this.#signal.aborted) throw abortReason(this.#signal);
      return await work();
    } finally {
      // The slot passes to the next in line (or frees).
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }

  /**
   * `work` over the items, at most `limit` at once with whatever else runs: the first failure
   * stops items from starting and is rethrown once all started ones have settled (as forEachBounded).
   */
  async forEach<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await Promise.all(
      items.map((item) =>
        this.run(async () => {
          if (failure) return;
          try {
            await work(item);
          } catch (error) {
            failure ??= { error };
          }
        }).catch((error: unknown) => {
          failure ??= { error };
        }),
      ),
    );
    if (failure) throw failure.error;
  }
}

interface Entry {
  ref: ObjectRef;
  manifest?: Manifest;
  desired?: KubeObject;
  record?: KubeObject;
  live?: KubeObject;
  member?: boolean;
}

/**
 * Who is in play: the files (or the record, or the stand-in, standing for them), the record, the
 * set's members with their live objects. Without `manifests` and with files to come, the same
 * call gives the entries known before the files (whose lists can start early).
 */
function gatherEntries(view: RecordView, manifests: Manifest[] | undefined, members: readonly InventoryMember[]): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const entry = (ref: ObjectRef): Entry => {
    const key = objectKey(ref);
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { ref }));
    return e;
  };
  for (const object of view.snapshot?.objects ?? []) {
    const ref = refOf(object);
    if (ref && ref.name && tracked(object)) entry(ref).record = object;
  }
  if (manifests) {
    for (const m of manifests) if (m.ref.name && tracked(m.object)) Object.assign(entry(m.ref), { manifest: m, ref: m.ref });
  } else if (view.standIn) {
    for (const object of view.standIn) {
      const ref = refOf(object);
      if (ref && ref.name && tracked(object)) entry(ref).desired = object;
    }
  } else for (const e of entries.values()) if (e.record) e.desired = e.record;
  for (const m of members) entry(m.ref).live = m.object;
  return entries;
}

// The record's objects are gathered twice (for the early lists, then with the files): each is read once.
const trackedObjects = new WeakMap<KubeObject, boolean>();

/** Whether drift compares the object: hooks are run, not kept in sync. */
function tracked(object: KubeObject): boolean {
  let known = trackedObjects.get(object);
  if (known === undefined) trackedObjects.set(object, (known = !isHookObject(object)));
  return known;
}

/** Entries not found among the members, by kind, version and namespace: one list each. */
function collectionsOf(entries: Map<string, Entry>): Map<string, { ref: ObjectRef; entries: Entry[] }> {
  const collections = new Map<string, { ref: ObjectRef; entries: Entry[] }>();
  for (const e of entries.values()) {
    if (e.live) continue;
    const key = `${e.ref.group}/${e.ref.version}/${e.ref.kind}/${e.ref.namespace ?? ''}`;
    const c = collections.get(key) ?? { ref: e.ref, entries: [] };
    c.entries.push(e);
    collections.set(key, c);
  }
  return collections;
}

async function compareRelease(
  request: DriftRunRequest,
  target: Session,
  release: ReleaseRef,
  reads: ReleaseReads,
  manifests: Manifest[] | undefined,
  bound: Bound,
  signal: AbortSignal,
): Promise<Omit<DriftTargetReport, 'context' | 'server' | 'serverVersion'>> {
  const { client } = target;
  const view = await reads.record;
  const { snapshot, note } = view;
  const inventory = target.ports.inventory;
  const members = await reads.members;
  const memberLabels = inventory.memberLabels(release);
  const setId = memberLabels[APPLYSET_PART_OF_LABEL];

  // 1. Who is in play: the files (or the record standing for them), the record, the set.
  const entries = gatherEntries(view, manifests, members);

  // 2. Live: one list per kind and namespace; those of the record's kinds were asked before the
  //    files were read, the others (what the files add) now.
  const early = await reads.lists;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    [...collectionsOf(entries)].map(([key, c]) =>
      // An early list already holds its place in the bound: awaited outside it.
      (early.get(key) ?? bound.run(async () => (failure ? [] : listOrNothing(client, c.ref, signal)))).then(
        (items) => {
          const byName = new Map(items.map((o) => [String(metadataOf(o)['name'] ?? ''), o]));
          for (const e of c.entries) {
            const live = byName.get(e.ref.name);
            if (live) e.live = live;
          }
        },
        (error: unknown) => {
          failure ??= { error };
        },
      ),
    ),
  );
  if (failure) throw failure.error;
  phase('live-read');
  for (const e of entries.values()) e.member = e.live !== undefined && labelOf(e.live, APPLYSET_PART_OF_LABEL) === setId;

  // 3. Desired as kd would send it; server normalisation by dry runs.
  const inputs: ObjectDriftInput[] = [];
  // Where each object of the files was read (findings point into it).
  const manifestOf = new Map<ObjectDriftInput, Manifest>();
  for (const e of entries.values()) {
    const input: ObjectDriftInput = { ref: e.ref };
    if (e.manifest) {
      manifestOf.set(input, e.manifest);
      // Member labels only where the release applied (or owns) the object: elsewhere they would
      // be a pending change on every object kubectl applied.
      const labels = e.record || e.member ? memberLabels : {};
      e.desired = withLabels(e.manifest.object, labels, e.ref.namespace);
      input.file = e.manifest.file;
      // Every object's line, in sync or not: the cheap scan where the loader offers it.
      input.line = e.manifest.startLine?.() ?? e.manifest.locate([]).start.line;
    }
    if (e.desired) input.desired = e.desired;
    if (e.record) input.record = e.record;
    if (e.live) input.live = e.live;
    if (e.member) input.member = true;
    inputs.push(input);
  }
  // Objects that agree as written need no dry run: decided here, synchronously, so that only the
  // others go through the bound (a promise chain per object was a visible share of a run's end).
  const compared = inputs.filter((i) => i.desired && i.live);
  if (compared.length > 0 && signal.aborted) throw abortReason(signal);
  const appliedOf = new Map<ObjectDriftInput, AppliedState>();
  const toDryRun = compared.filter((input) => {
    const la = appliedStateOf({ fieldManager: FIELD_MANAGER, live: input.live!, ...(input.record ? { record: input.record } : {}) });
    appliedOf.set(input, la);
    return !agreesAsWritten({ desired: input.desired!, live: input.live!, applied: la.object });
  });
  await bound.forEach(
    toDryRun,
    async (input) => {
      const la = appliedOf.get(input)!;
      try {
        input.predicted = await dryRun(client, input.desired!, signal);
        if (la.object && appliedDiffersFromDesired(la.object, input.desired!)) {
          const applied = withLabels(la.object, {}, input.ref.namespace);
          input.predictedApplied = await dryRun(client, { apiVersion: input.desired!.apiVersion, kind: input.desired!.kind, ...applied }, signal);
        }
      } catch (error) {
        if (!(error instanceof ClusterRequestError) || error.code >= 500 || error.code === 0) throw error;
        input.note = `the server's dry run failed (${error.message}); values are compared as written`;
        delete input.predicted;
        delete input.predictedApplied;
      }
    },
  );

  // 4. Compare.
  const objects: ObjectDrift[] = [];
  const options = { fieldManager: FIELD_MANAGER, ignore: request.ignore, showForeign: request.showForeign, diff: request.diff, secretSalt: request.secretSalt };
  for (const input of inputs) {
    const drift = compareObject(input, options);
    if (!drift) continue;
    // Each field finding points at its field in the files (SARIF annotates that line), not the object's first line.
    const manifest = manifestOf.get(input);
    if (manifest)
      for (const f of drift.findings) {
        if (f.path === undefined || f.path.length === 0) continue;
        const start = manifest.locate(f.path, 'key').start;
        f.line = start.line;
        f.column = start.column;
      }
    objects.push(drift);
  }
  const sorted = sortObjects(objects);
  return { release: release.name, namespace: release.namespace, ...(snapshot ? { revision: snapshot.revision } : {}), ...(note ? { note } : {}), counts: countObjects(sorted), objects: sorted };
}

/** `; it exists in namespace shop (use -n shop)`: the usual cause of an empty answer is the wrong namespace. */
async function elsewhereHint(store: RecordStore, name: string | undefined, namespace: string): Promise<string> {
  let all;
  try {
    all = await store.releases({ allNamespaces: true });
  } catch {
    return ''; // no right to list across namespaces: no hint, the answer stands
  }
  const namespaces = [...new Set(all.filter((r) => r.state !== 'deleted' && (name === undefined || r.name === name) && r.namespace !== namespace).map((r) => r.namespace))];
  if (namespaces.length === 0) return '';
  const what = name === undefined ? 'releases exist' : 'it exists';
  return `; ${what} in namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')} (use -n ${namespaces[0]}${namespaces.length > 1 || name === undefined ? ', or -A with --all-releases' : ''})`;
}

function dryRun(client: ClusterClient, object: KubeObject, signal: AbortSignal): Promise<KubeObject> {
  return client.apply(object, { dryRun: true, force: true, fieldManager: FIELD_MANAGER, signal });
}

async function listOrNothing(client: ClusterClient, ref: ObjectRef, signal: AbortSignal): Promise<KubeObject[]> {
  try {
    const gvk = { group: ref.group, version: ref.version, kind: ref.kind };
    return (await client.list(gvk, { ...(ref.namespace ? { namespace: ref.namespace } : {}), signal })).items;
  } catch (error) {
    // A kind the server does not serve (its CRD not installed) holds no objects.
    if (error instanceof UnknownResourceError) return [];
    if (error instanceof ClusterRequestError && error.isNotFound) return [];
    throw error;
  }
}

function labelOf(object: KubeObject, key: string): string | undefined {
  const labels = metadataOf(object)['labels'];
  const v = typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}
