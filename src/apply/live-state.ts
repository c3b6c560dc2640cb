/**
 * What the cluster holds of the desired objects, for the plan (create / update / unchanged) and
 * for judging unchanged objects healthy without a watch. Collections with several desired objects
 * are listed once (a list of a namespace's ConfigMaps beats 300 GETs); lone objects are fetched.
 * A kind the server does not serve yet (its CRD is in this apply) simply has no live objects.
 */
import { UnknownResourceError } from '../cluster/errors.js';
import type { ClusterClient } from '../cluster/types.js';
import { objectKey, type KubeObject, type ObjectRef } from '../model/index.js';
import { forEachBounded } from './bounded.js';
import { collectionKey, nameOf } from './object-refs.js';

/** Below this many objects in one collection, GETs are cheaper than a list. */
const LIST_THRESHOLD = 4;

export async function fetchLive(client: ClusterClient, refs: readonly ObjectRef[], options: { concurrency: number; signal: AbortSignal }): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, ObjectRef[]>();
  for (const ref of refs) {
    if (!ref.name) continue;
    const key = collectionKey(ref);
    groups.set(key, [...(groups.get(key) ?? []), ref]);
  }
  const live = new Map<string, KubeObject>();
  await forEachBounded(
    [...groups.values()],
    options.concurrency,
    async (group) => {
      const first = group[0]!;
      try {
        if (group.length >= LIST_THRESHOLD) {
          const wanted = new Map(group.map((r) => [r.name, r]));
          const { items } = await client.list(first, { ...(first.namespace ? { namespace: first.namespace } : {}), signal: options.signal });
          for (const item of items) {
            const ref = wanted.get(nameOf(item));
            if (ref) live.set(objectKey(ref), item);
          }
        } else {
          await Promise.all(
            group.map(async (ref) => {
              const object = await client.get({ ...ref }, { signal: options.signal });
              if (object) live.set(objectKey(ref), object);
            }),
          );
        }
      } catch (error) {
        if (!(error instanceof UnknownResourceError)) throw error;
      }
    },
    options.signal,
  );
  return live;
}
