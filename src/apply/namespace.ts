/**
 * Creating a namespace kd needs when it is missing: the executor's waves (apply-entries.ts) and
 * the release lock's Lease in a storage namespace (lock.ts). Its own module so that the lock,
 * which every release command builds, does not bring the executor with it (issue 17: `drift`
 * loaded the whole apply chunk through this one function).
 */
import { FIELD_MANAGER } from '../cluster/client.js';
import { ClusterRequestError } from '../cluster/errors.js';
import type { ClusterClient } from '../cluster/types.js';

export const NAMESPACE_GVK = { group: '', version: 'v1', kind: 'Namespace' } as const;

/** True when this call created it; AlreadyExists (another creator won the race) is success. */
export async function createNamespaceIfMissing(client: ClusterClient, name: string, signal: AbortSignal): Promise<boolean> {
  if ((await client.get({ ...NAMESPACE_GVK, name }, { signal })) !== undefined) return false;
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: FIELD_MANAGER, signal });
    return true;
  } catch (error) {
    if (error instanceof ClusterRequestError && error.isAlreadyExists) return false;
    throw error;
  }
}
