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
 * Nothing is written to the cluster. The report's time comes from the injected clock.
 */
import { APPLYSET_PART_OF_LABEL } from '../apply/inventory.js';
import { forEachBounded } from '../apply/bounded.js';
import { metadataOf, refOf, withLabels } from '../apply/object-refs.js';
import type { RecordStore } from '../apply/release/store.js';
import type { StorageChoice } from '../apply/release/storage.js';
import type { ReleaseRef } from '../apply/ports.js';
import { DEFAULT_MAX_INPUT_BYTES, readCapped, STDIN_NAME, type InputOptions, type StdinReader } from '../io/inputs.js';
import { readDesired } from '../io/read-desired.js';
import { isHook, readKdAnnotations } from '../annotations/index.js';
import { FIELD_MANAGER } from '../cluster/client.js';
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
  /** Opens one cluster; default: the kubeconfig context, or an in-process kd sim under `sim` (openSession). */
  openTarget?: (context: string | undefined) => Promise<Session>;
}

export interface DriftRunResult {
  report: DriftReport;
  /** Problems in the files; when one is an error, no cluster was compared. */
  diagnostics: Diagnostic[];
}

export const DEFAULT_DRIFT_CONCURRENCY = 16;

export async function runDrift(request: DriftRunRequest, deps: DriftRunDeps = {}): Promise<DriftRunResult> {
  const openTarget = deps.openTarget ?? ((context) => openDefaultTarget(request, context));
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
    const target = await openTarget(context);
    try {
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
        });
        // The same files read for every context: report their problems once.
        if (context === contexts[0]) diagnostics.push(...read.diagnostics);
        if (read.diagnostics.some((d) => d.severity === 'error')) break;
        desired = read.manifests;
      }
      // Asked alongside the release's reads rather than before them: one round trip less of a
      // small release's wall time.
      const serverVersionAsked = target.client.serverVersion(signalOf(request)).then((v) => v.gitVersion, () => undefined);
      const store = target.ports.releases;
      let releases: ReleaseRef[];
      if (request.allReleases) {
        const scope = request.allNamespaces ? ({ allNamespaces: true } as const) : { namespace: target.namespace };
        releases = (await store.releases(scope)).filter((r) => r.state !== 'deleted').map((r) => ({ name: r.name, namespace: r.namespace }));
        if (releases.length === 0) notes.push(`no kd releases ${request.allNamespaces ? 'in any namespace' : `in namespace ${target.namespace}`} of context ${target.context}${request.allNamespaces ? '' : await elsewhereHint(store, undefined, target.namespace)}`);
      } else releases = [{ name: request.release ?? 'default', namespace: target.namespace }];
      for (const release of releases) {
        const report = await compareRelease(request, target, store, release, desired);
        const serverVersion = await serverVersionAsked;
        targets.push({ context: target.context, server: target.client.server, ...(serverVersion ? { serverVersion } : {}), ...report });
      }
    } finally {
      await target.close();
    }
  }
  return { report: buildReport({ time: formatMetav1Time(request.now()), failOn: request.failOn, targets, notes }), diagnostics };
}

/** One context's session: reads, the records' requests stopped by the run's signal. */
function openDefaultTarget(request: DriftRunRequest, context: string | undefined): Promise<Session> {
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
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  });
}

interface Entry {
  ref: ObjectRef;
  manifest?: Manifest;
  desired?: KubeObject;
  record?: KubeObject;
  live?: KubeObject;
  member?: boolean;
}

async function compareRelease(
  request: DriftRunRequest,
  target: Session,
  store: RecordStore,
  release: ReleaseRef,
  manifests: Manifest[] | undefined,
): Promise<Omit<DriftTargetReport, 'context' | 'server' | 'serverVersion'>> {
  const { client } = target;
  const signal = request.signal ?? new AbortController().signal;
  const snapshot = await store.lastDeployed(release);
  let note: string | undefined;
  let standIn: KubeObject[] | undefined;
  if (!snapshot) {
    const latest = (await store.revisions(release)).at(-1);
    if (latest) {
      // Not "never applied": kd tried, and every revision failed (or is still running).
      note = `no revision of release ${release.name} was deployed: the latest, revision ${latest.revision}, is ${latest.state}${latest.message ? ` (${latest.message})` : ''}`;
      if (!manifests) {
        // With --all-releases the files are not at hand: what the latest revision tried to apply stands for them.
        standIn = (await store.record(release, latest.revision))?.objects;
        if (standIn) note += `; compared with what revision ${latest.revision} applied`;
      }
    } else note = `kd has no record of release ${release.name} in namespace ${release.namespace}${await elsewhereHint(store, release.name, release.namespace)}`;
  }
  const inventory = target.ports.inventory;
  const members = await inventory.members(release, signal);
  const memberLabels = inventory.memberLabels(release);
  const setId = memberLabels[APPLYSET_PART_OF_LABEL];

  // 1. Who is in play: the files (or the record standing for them), the record, the set.
  const entries = new Map<string, Entry>();
  const entry = (ref: ObjectRef): Entry => {
    const key = objectKey(ref);
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { ref }));
    return e;
  };
  const tracked = (object: KubeObject) => !isHook(readKdAnnotations(object).value);
  for (const object of snapshot?.objects ?? []) {
    const ref = refOf(object);
    if (ref && ref.name && tracked(object)) entry(ref).record = object;
  }
  if (manifests) {
    for (const m of manifests) if (m.ref.name && tracked(m.object)) Object.assign(entry(m.ref), { manifest: m, ref: m.ref });
  } else if (standIn) {
    for (const object of standIn) {
      const ref = refOf(object);
      if (ref && ref.name && tracked(object)) entry(ref).desired = object;
    }
  } else for (const e of entries.values()) if (e.record) e.desired = e.record;
  for (const m of members) entry(m.ref).live = m.object;

  // 2. Live: one list per kind and namespace.
  const collections = new Map<string, { ref: ObjectRef; entries: Entry[] }>();
  for (const e of entries.values()) {
    if (e.live) continue;
    const key = `${e.ref.group}/${e.ref.version}/${e.ref.kind}/${e.ref.namespace ?? ''}`;
    const c = collections.get(key) ?? { ref: e.ref, entries: [] };
    c.entries.push(e);
    collections.set(key, c);
  }
  await forEachBounded(
    [...collections.values()],
    request.concurrency ?? DEFAULT_DRIFT_CONCURRENCY,
    async (c) => {
      const items = await listOrNothing(client, c.ref, signal);
      const byName = new Map(items.map((o) => [String(metadataOf(o)['name'] ?? ''), o]));
      for (const e of c.entries) {
        const live = byName.get(e.ref.name);
        if (live) e.live = live;
      }
    },
    signal,
  );
  for (const e of entries.values()) e.member = e.live !== undefined && labelOf(e.live, APPLYSET_PART_OF_LABEL) === setId;

  // 3. Desired as kd would send it; server normalisation by dry runs.
  const inputs: ObjectDriftInput[] = [];
  for (const e of entries.values()) {
    const input: ObjectDriftInput = { ref: e.ref };
    if (e.manifest) {
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
  await forEachBounded(
    inputs.filter((i) => i.desired && i.live),
    request.concurrency ?? DEFAULT_DRIFT_CONCURRENCY,
    async (input) => {
      const la = appliedStateOf({ fieldManager: FIELD_MANAGER, live: input.live!, ...(input.record ? { record: input.record } : {}) });
      if (agreesAsWritten({ desired: input.desired!, live: input.live!, applied: la.object })) return;
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
    signal,
  );

  // 4. Compare.
  const objects: ObjectDrift[] = [];
  const options = { fieldManager: FIELD_MANAGER, ignore: request.ignore, showForeign: request.showForeign, diff: request.diff, secretSalt: request.secretSalt };
  const manifestOf = new Map([...entries.values()].filter((e) => e.manifest).map((e) => [objectKey(e.ref), e.manifest!]));
  for (const input of inputs) {
    const drift = compareObject(input, options);
    if (!drift) continue;
    // Each field finding points at its field in the files (SARIF annotates that line), not the object's first line.
    const manifest = manifestOf.get(objectKey(input.ref));
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

function signalOf(request: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return request.signal ? { signal: request.signal } : {};
}
