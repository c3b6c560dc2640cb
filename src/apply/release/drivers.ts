/**
 * Storage drivers of release records (`--storage secret|configmap|file:DIR`). The record store
 * (store.ts) owns the format, states, chunking and history rules; a driver only puts, gets,
 * lists, patches and removes record objects. Records travel between store and driver in one
 * canonical shape — a Secret's (`type: kd.io/release.v1`, base64 chunks under `data`, status in
 * labels, history fields in annotations) — so encode/decode (codec.ts) is shared by every driver:
 *  - `secret`: that shape as is, in the storage namespace;
 *  - `configmap`: the same labels and annotations on a ConfigMap, the gzip chunks as `binaryData`
 *    (ConfigMaps have no `type`: the `owner=kubectl-kd` label is what marks a record);
 *  - `file` (file-driver.ts): one JSON file per record object under DIR/<namespace>/<release>/.
 */
import type { KubeObject } from '../../model/index.js';
import type { ClusterClient } from '../../cluster/types.js';
import { LABEL_NAME, LABEL_OWNER, LABEL_REVISION, OWNER, RECORD_TYPE } from './names.js';

export type StorageKind = 'secret' | 'configmap' | 'file';

/** Which records to list: a release's (one revision's), or every release's in a namespace or in all. */
export type RecordScope = { namespace: string; release?: string; revision?: number; labels?: Record<string, string> } | { allNamespaces: true };

export interface RecordDriver {
  readonly kind: StorageKind;
  /** What a record is called in messages: `Secret`, `ConfigMap`, `file`. */
  readonly noun: string;
  /** Where the records of a namespace live, for messages: `Secrets in namespace shop`, `files under /srv/kd/shop`. */
  where(namespace: string): string;
  /** Record objects (main and parts) in the canonical Secret shape. */
  list(scope: RecordScope): Promise<KubeObject[]>;
  create(record: KubeObject): Promise<void>;
  /** Merges labels and annotations into one record object. */
  patchMeta(namespace: string, name: string, meta: { labels: Record<string, string>; annotations: Record<string, string> }): Promise<void>;
  remove(namespace: string, name: string): Promise<void>;
  /** How to delete one damaged record by hand, for the hint of a CorruptRecordError. */
  removeHint(namespace: string, name: string): string;
}

const SECRET = { group: '', version: 'v1', kind: 'Secret' } as const;
const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' } as const;

function selector(scope: RecordScope): string {
  const parts = [`${LABEL_OWNER}=${OWNER}`];
  if ('namespace' in scope) {
    if (scope.release !== undefined) parts.push(`${LABEL_NAME}=${scope.release}`);
    if (scope.revision !== undefined) parts.push(`${LABEL_REVISION}=${scope.revision}`);
    for (const [k, v] of Object.entries(scope.labels ?? {})) parts.push(`${k}=${v}`);
  }
  return parts.join(',');
}

/** Secrets or ConfigMaps in the cluster, through the client. */
export class ClusterRecordDriver implements RecordDriver {
  readonly kind: 'secret' | 'configmap';
  readonly noun: string;
  readonly #client: ClusterClient;
  readonly #signal: AbortSignal | undefined;

  constructor(kind: 'secret' | 'configmap', client: ClusterClient, signal?: AbortSignal) {
    this.kind = kind;
    this.noun = kind === 'secret' ? 'Secret' : 'ConfigMap';
    this.#client = client;
    this.#signal = signal;
  }

  where(namespace: string): string {
    return `${this.noun}s in namespace ${namespace}`;
  }

  async list(scope: RecordScope): Promise<KubeObject[]> {
    const list = await this.#client.list(this.#gvk(), {
      ...('allNamespaces' in scope ? { allNamespaces: true } : { namespace: scope.namespace }),
      labelSelector: selector(scope),
      ...this.#options(),
    });
    if (this.kind === 'secret') return list.items.filter((s) => s['type'] === RECORD_TYPE);
    return list.items.map(fromConfigMap);
  }

  async create(record: KubeObject): Promise<void> {
    await this.#client.create(this.kind === 'secret' ? record : toConfigMap(record), this.#options());
  }

  async patchMeta(namespace: string, name: string, meta: { labels: Record<string, string>; annotations: Record<string, string> }): Promise<void> {
    await this.#client.patch({ ...this.#gvk(), namespace, name }, { metadata: meta }, { type: 'merge', ...this.#options() });
  }

  async remove(namespace: string, name: string): Promise<void> {
    await this.#client.delete({ ...this.#gvk(), namespace, name }, this.#options());
  }

  removeHint(namespace: string, name: string): string {
    return `kubectl delete ${this.kind} ${name} -n ${namespace}`;
  }

  #gvk(): typeof SECRET | typeof CONFIGMAP {
    return this.kind === 'secret' ? SECRET : CONFIGMAP;
  }

  #options(): { signal?: AbortSignal } {
    return this.#signal === undefined ? {} : { signal: this.#signal };
  }
}

/** The canonical record as a ConfigMap: same metadata, the base64 chunks as binaryData. */
export function toConfigMap(record: KubeObject): KubeObject {
  const { type: _type, data, ...rest } = record as KubeObject & { type?: unknown; data?: unknown };
  return { ...rest, apiVersion: 'v1', kind: 'ConfigMap', binaryData: data ?? {} } as KubeObject;
}

/** A ConfigMap read back in the canonical shape. */
export function fromConfigMap(configMap: KubeObject): KubeObject {
  const { binaryData, data: _data, ...rest } = configMap as KubeObject & { binaryData?: unknown; data?: unknown };
  return { ...rest, apiVersion: 'v1', kind: 'Secret', type: RECORD_TYPE, data: binaryData ?? {} } as KubeObject;
}
