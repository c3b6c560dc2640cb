/**
 * The release's inventory as an ApplySet (KEP-3659), so that kd's sets are the ones `kubectl
 * apply --prune --applyset` and other ApplySet tools understand.
 *
 * Parent: one Secret per release, `kd-applyset-<release>` in the release namespace, stable across
 * revisions. (Not the latest release Secret: the ApplySet id is derived from the parent's name, so
 * a parent that changed every revision would relabel every member on every run.) The parent
 * carries:
 *  - label `applyset.kubernetes.io/id` = `applyset-<base64url(sha256(<name>.<namespace>.Secret.))>-v1`
 *    (RFC 4648 URL alphabet without padding; the group of Secret is empty, hence the trailing dot);
 *  - annotation `applyset.kubernetes.io/tooling: kubectl-kd/<version>`;
 *  - annotation `applyset.kubernetes.io/contains-group-kinds`: sorted `Kind.group` (`Kind` for the
 *    core group), comma-separated, every kind with a member;
 *  - annotation `applyset.kubernetes.io/additional-namespaces` when members live in namespaces
 *    other than the parent's (sorted, comma-separated); absent otherwise.
 * Members carry label `applyset.kubernetes.io/part-of` = the id.
 *
 * Invariants: the parent is widened (`prepare`) before any member is written and narrowed
 * (`commit`) only after prune, so a run that dies in between leaves a superset, never a member
 * the parent does not list. kd refuses a parent another tool manages (its tooling annotation),
 * as the KEP requires. Limit: the real kubectl refuses, for the same reason, to prune a set whose
 * tooling is not `kubectl` (see test/release/applyset-kubectl.test.ts).
 */
import { createHash } from 'node:crypto';
import { KdError } from '../errors.js';
import { readKdAnnotations, isHook } from '../annotations/index.js';
import { compareDeleteOrder } from '../plan/index.js';
import { objectKey, parseApiVersion, type GroupVersionKind, type KubeObject, type ObjectRef } from '../model/index.js';
import type { ClusterClient } from '../cluster/types.js';
import type { GroupKindRef, Inventory, InventoryMember, ReleaseRef } from './ports.js';
import { forEachBounded } from './bounded.js';

export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
export const TOOLING_NAME = 'kubectl-kd';

const SECRET = { group: '', version: 'v1', kind: 'Secret' } as const;

export function applySetParentName(release: string): string {
  return `kd-applyset-${release}`;
}

/** The ApplySet id of a parent object, exactly as kubectl computes it. */
export function applySetId(parent: { name: string; namespace: string; kind: string; group: string }): string {
  const hash = createHash('sha256').update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`).digest('base64url');
  return `applyset-${hash}-v1`;
}

/**
 * The id of a release's set: of its parent Secret, or ConfigMap with `--storage configmap`. A
 * parent kept in a file (`--storage file:DIR`) keeps the Secret's id, so its members look the
 * same to any ApplySet tool.
 */
export function releaseApplySetId(release: ReleaseRef, parentKind: 'Secret' | 'ConfigMap' = 'Secret'): string {
  return applySetId({ name: applySetParentName(release.name), namespace: release.namespace, kind: parentKind, group: '' });
}

/** `Deployment.apps,Secret,Widget.example.com`: sorted, unique. */
export function formatGroupKinds(groupKinds: readonly GroupKindRef[]): string {
  return [...new Set(groupKinds.map((gk) => (gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`)))].sort().join(',');
}

/** The inverse of `formatGroupKinds`, like kubectl's `schema.ParseGroupKind` (the kind ends at the first dot). */
export function parseGroupKinds(text: string | undefined): GroupKindRef[] {
  if (text === undefined || text.trim() === '') return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const dot = s.indexOf('.');
      return dot < 0 ? { kind: s, group: '' } : { kind: s.slice(0, dot), group: s.slice(dot + 1) };
    });
}

export interface ApplySetParentContents {
  groupKinds: GroupKindRef[];
  namespaces: string[];
}

/** The parent Secret as kd applies it (Server-Side Apply: kd owns exactly these fields). */
export function applySetParent(release: ReleaseRef, contents: ApplySetParentContents, toolingVersion: string, parentKind: 'Secret' | 'ConfigMap' = 'Secret'): KubeObject {
  const additional = [...new Set(contents.namespaces.filter((n) => n !== '' && n !== release.namespace))].sort();
  const annotations: Record<string, string> = {
    [APPLYSET_TOOLING_ANNOTATION]: `${TOOLING_NAME}/${toolingVersion}`,
    [APPLYSET_GROUP_KINDS_ANNOTATION]: formatGroupKinds(contents.groupKinds),
  };
  if (additional.length > 0) annotations[APPLYSET_NAMESPACES_ANNOTATION] = additional.join(',');
  return {
    apiVersion: 'v1',
    kind: parentKind,
    metadata: {
      name: applySetParentName(release.name),
      namespace: release.namespace,
      labels: { [APPLYSET_ID_LABEL]: releaseApplySetId(release, parentKind), 'kd.io/release': release.name },
      annotations,
    },
  };
}

/** What a set holds according to its objects: the group-kinds and namespaces of the given objects. */
export function contentsOf(objects: readonly KubeObject[]): ApplySetParentContents {
  const groupKinds: GroupKindRef[] = [];
  const namespaces = new Set<string>();
  for (const o of objects) {
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    groupKinds.push({ group: parseApiVersion(o.apiVersion).group, kind: o.kind });
    const ns = (o.metadata as { namespace?: unknown } | undefined)?.namespace;
    if (typeof ns === 'string' && ns !== '') namespaces.add(ns);
  }
  return { groupKinds, namespaces: [...namespaces] };
}

export interface ApplySetInventoryOptions {
  client: ClusterClient;
  /** kd's version, for the tooling annotation. */
  version: string;
  /**
   * The served versions of a group-kind, preferred first (discovery). Default: asks `client`
   * for the versions it can find through `resourceFor` with the versions the objects use.
   */
  versionsOf?: (groupKind: GroupKindRef, signal?: AbortSignal) => Promise<string[]>;
  /** The kind of the parent in the cluster (follows `--storage`); default Secret. */
  parentKind?: 'Secret' | 'ConfigMap';
  /** `--storage file:DIR`: the parent is kept in a file next to the records, not in the cluster. */
  parentFile?: ApplySetParentFile;
}

/** Where a file-stored parent lives (file-driver.ts). */
export interface ApplySetParentFile {
  read(release: ReleaseRef): Promise<KubeObject | undefined>;
  write(release: ReleaseRef, parent: KubeObject): Promise<void>;
  remove(release: ReleaseRef): Promise<void>;
}

export class ApplySetInventory implements Inventory {
  readonly #client: ClusterClient;
  readonly #version: string;
  readonly #versionsOf: ApplySetInventoryOptions['versionsOf'];
  readonly #parentKind: 'Secret' | 'ConfigMap';
  readonly #parentFile: ApplySetParentFile | undefined;

  constructor(options: ApplySetInventoryOptions) {
    this.#client = options.client;
    this.#parentKind = options.parentKind ?? 'Secret';
    this.#parentFile = options.parentFile;
    this.#version = options.version;
    this.#versionsOf = options.versionsOf ?? discoveryVersions(options.client);
  }

  memberLabels(release: ReleaseRef): Record<string, string> {
    return { [APPLYSET_PART_OF_LABEL]: releaseApplySetId(release, this.#parentKind) };
  }

  /** The parent as it is in the cluster; undefined before the first apply. Throws when another tool manages it. */
  async parent(release: ReleaseRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const parent = this.#parentFile
      ? await this.#parentFile.read(release)
      : await this.#client.get({ ...SECRET, kind: this.#parentKind, namespace: release.namespace, name: applySetParentName(release.name) }, signal ? { signal } : {});
    if (parent === undefined) return undefined;
    const annotations = stringMap((parent.metadata as { annotations?: unknown } | undefined)?.annotations);
    const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
    const base = tooling === undefined ? undefined : tooling.split('/').slice(0, -1).join('/') || tooling;
    if (base !== TOOLING_NAME)
      throw new KdError('input', `the ApplySet parent ${this.#parentKind} ${release.namespace}/${applySetParentName(release.name)} ${tooling === undefined ? 'has no tooling annotation' : `is managed by ${tooling}`}, not ${TOOLING_NAME}`, {
        hint: 'kd does not change sets that other tools manage; pick another release name (--release)',
      });
    return parent;
  }

  async members(release: ReleaseRef, signal: AbortSignal, options: { concurrency?: number } = {}): Promise<InventoryMember[]> {
    const parent = await this.parent(release, signal);
    if (parent === undefined) return [];
    const annotations = stringMap((parent.metadata as { annotations?: unknown } | undefined)?.annotations);
    const namespaces = [release.namespace, ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')];
    const selector = `${APPLYSET_PART_OF_LABEL}=${releaseApplySetId(release, this.#parentKind)}`;
    const groupKinds = parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]);
    const listsOf = async (gk: GroupKindRef): Promise<Array<{ gvk: GroupVersionKind; items: KubeObject[] }>> => {
      const version = (await this.#versionsOf!(gk, signal))[0];
      // A kind no longer served (its CRD is gone) has no members left to find.
      if (version === undefined) return [];
      const gvk: GroupVersionKind = { ...gk, version };
      const resource = await this.#client.resourceFor(gvk, { signal });
      const lists = resource.namespaced
        ? await Promise.all([...new Set(namespaces)].map((namespace) => this.#client.list(gvk, { namespace, labelSelector: selector, signal })))
        : [await this.#client.list(gvk, { labelSelector: selector, signal })];
      return lists.map((list) => ({ gvk, items: list.items }));
    };
    // Group-kinds `concurrency` at a time (nothing starts after a failure); every one settles
    // before an answer, and the failure reported is the first in the group-kinds' order: the one a
    // sequential read would have met.
    const found: Array<PromiseSettledResult<Array<{ gvk: GroupVersionKind; items: KubeObject[] }>> | undefined> = new Array(groupKinds.length);
    await forEachBounded(groupKinds, options.concurrency ?? 1, async (gk, i) => {
      try {
        found[i] = { status: 'fulfilled', value: await listsOf(gk) };
      } catch (reason) {
        found[i] = { status: 'rejected', reason };
        throw reason;
      }
    }).catch(() => undefined);
    const out: InventoryMember[] = [];
    const seen = new Set<string>();
    for (const result of found) {
      if (result === undefined) continue;
      if (result.status === 'rejected') throw result.reason;
      for (const { gvk, items } of result.value)
        for (const object of items) {
          const ref = memberRef(object, gvk);
          const key = objectKey(ref);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ ref, object });
        }
    }
    return out.sort((a, b) => compareDeleteOrder(b.ref, a.ref));
  }

  async prepare(release: ReleaseRef, contents: ApplySetParentContents): Promise<void> {
    const parent = await this.parent(release);
    const annotations = stringMap((parent?.metadata as { annotations?: unknown } | undefined)?.annotations);
    const current: ApplySetParentContents = {
      groupKinds: parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]),
      namespaces: (annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').filter((s) => s !== ''),
    };
    await this.#write(release, { groupKinds: [...current.groupKinds, ...contents.groupKinds], namespaces: [...current.namespaces, ...contents.namespaces] });
  }

  async commit(release: ReleaseRef, contents: ApplySetParentContents): Promise<void> {
    await this.parent(release);
    await this.#write(release, contents);
  }

  /** Deletes the parent (after `kubectl kd delete` removed the members). */
  async remove(release: ReleaseRef): Promise<void> {
    if (this.#parentFile) return this.#parentFile.remove(release);
    await this.#client.delete({ ...SECRET, kind: this.#parentKind, namespace: release.namespace, name: applySetParentName(release.name) });
  }

  async #write(release: ReleaseRef, contents: ApplySetParentContents): Promise<void> {
    const parent = applySetParent(release, contents, this.#version, this.#parentKind);
    if (this.#parentFile) return this.#parentFile.write(release, parent);
    await this.#client.apply(parent, { force: true });
  }
}

export interface PruneSelection {
  /** Members to delete, in deletion order: higher waves first, kinds in reverse install order. */
  prune: InventoryMember[];
  /** Members no longer desired but marked keep (kd.io/resource-policy or helm.sh/resource-policy). */
  kept: InventoryMember[];
}

/**
 * Which members of the set to prune: those whose identity (group, kind, namespace, name) is not
 * among the desired objects, except hooks (their delete policies handle them) and objects marked
 * keep in the cluster.
 */
export function selectPrune(members: readonly InventoryMember[], desired: readonly ObjectRef[]): PruneSelection {
  const wanted = new Set(desired.map(objectKey));
  const prune: Array<InventoryMember & { wave: number }> = [];
  const kept: InventoryMember[] = [];
  for (const m of members) {
    if (wanted.has(objectKey(m.ref))) continue;
    const annotations = readKdAnnotations(m.object).value;
    if (isHook(annotations)) continue;
    if (annotations.keep) kept.push(m);
    else prune.push({ ...m, wave: annotations.syncWave });
  }
  prune.sort((a, b) => b.wave - a.wave || compareDeleteOrder(a.ref, b.ref));
  return { prune: prune.map(({ ref, object }) => ({ ref, object })), kept };
}

function memberRef(object: KubeObject, gvk: GroupVersionKind): ObjectRef {
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const ref: ObjectRef = { group: gvk.group, version: gvk.version, kind: gvk.kind, name: typeof metadata.name === 'string' ? metadata.name : '' };
  if (typeof metadata.namespace === 'string' && metadata.namespace !== '') ref.namespace = metadata.namespace;
  return ref;
}

/** Versions through the client's discovery when it exposes it (KubeClient does). */
function discoveryVersions(client: ClusterClient): (gk: GroupKindRef, signal?: AbortSignal) => Promise<string[]> {
  const discovery = (client as { discovery?: { versionsOf?: (gk: GroupKindRef, signal?: AbortSignal) => Promise<string[]> } }).discovery;
  // Discovery answers `group/version` strings; only the version is wanted here.
  if (discovery?.versionsOf) return async (gk, signal) => (await discovery.versionsOf!(gk, signal)).map((gv) => parseApiVersion(gv).version);
  return async () => {
    throw new KdError('bug', 'ApplySetInventory needs versionsOf when the client has no discovery');
  };
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
