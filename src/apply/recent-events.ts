/**
 * The latest Events about an object and its pods, for failure reports: what the controllers and
 * the kubelet said, newest last, one line each (`Warning BackOff Pod/web-7d9f-x2x: Back-off ...`).
 * Best effort: a failure to list events never hides the failure being reported.
 */
import type { ClusterClient } from '../cluster/types.js';
import type { KubeObject, ObjectRef } from '../model/index.js';
import { nameOf } from './object-refs.js';

const EVENT_GVK = { group: '', version: 'v1', kind: 'Event' } as const;

export async function recentEvents(client: ClusterClient, ref: ObjectRef, pods: readonly KubeObject[], options: { limit?: number; signal?: AbortSignal } = {}): Promise<string[]> {
  if (!ref.namespace && ref.kind !== 'Namespace') return [];
  const names = new Map<string, string>([[`${ref.kind}/${ref.name}`, ref.kind]]);
  for (const p of pods) names.set(`Pod/${nameOf(p)}`, 'Pod');
  try {
    const { items } = await client.list(EVENT_GVK, { namespace: ref.namespace ?? 'default', ...(options.signal ? { signal: options.signal } : {}) });
    const mine = items
      .map((e) => ({ e, involved: involved(e) }))
      .filter(({ involved }) => involved !== undefined && names.has(involved))
      .sort((a, b) => timeOf(a.e) - timeOf(b.e));
    return mine.slice(-(options.limit ?? 8)).map(({ e, involved }) => {
      const message = typeof e['message'] === 'string' ? e['message'].trim() : typeof e['note'] === 'string' ? e['note'].trim() : '';
      return `${String(e['type'] ?? 'Normal')} ${String(e['reason'] ?? '')} ${involved}: ${message}`;
    });
  } catch {
    return [];
  }
}

function involved(event: KubeObject): string | undefined {
  const o = (event['involvedObject'] ?? event['regarding']) as { kind?: unknown; name?: unknown } | undefined;
  if (!o || typeof o.kind !== 'string' || typeof o.name !== 'string') return undefined;
  return `${o.kind}/${o.name}`;
}

function timeOf(event: KubeObject): number {
  for (const key of ['lastTimestamp', 'eventTime', 'firstTimestamp']) {
    const v = event[key];
    if (typeof v === 'string') {
      const t = Date.parse(v);
      if (Number.isFinite(t)) return t;
    }
  }
  const created = (event['metadata'] as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  return typeof created === 'string' ? Date.parse(created) || 0 : 0;
}
