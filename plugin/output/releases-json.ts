/**
 * `kubectl kd history -o json` and `kubectl kd list -o json`: documents described by
 * schemas/release-history.schema.json and schemas/release-list.schema.json. Only the records'
 * labels and annotations are shown: the applied objects (and Secret values among them) never.
 * Also `history --diff -o json` (RevisionDiff: changed objects and field paths, never values)
 * and `list --pending -o json` (PendingReleaseList: with each release's lock).
 */
import type { PendingRelease, RevisionDiff, Revision } from '../../src/index.js';
import { documentHead, objectReference } from './json-document.js';

export function formatHistoryJson(release: { name: string; namespace: string }, revisions: readonly Revision[]): string {
  const doc = {
    ...documentHead('ReleaseHistory'),
    release: { name: release.name, namespace: release.namespace },
    revisions: revisions.map((r) => ({
      revision: r.revision,
      updated: r.updated,
      status: r.state,
      objects: r.objectCount,
      description: r.description,
      message: r.message,
      kdVersion: r.kdVersion,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function formatListJson(releases: readonly Revision[]): string {
  const doc = {
    ...documentHead('ReleaseList'),
    items: releases.map((r) => ({ name: r.name, namespace: r.namespace, revision: r.revision, status: r.state, updated: r.updated, objects: r.objectCount, description: r.description })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function formatRevisionDiffJson(d: RevisionDiff): string {
  const doc = {
    ...documentHead('RevisionDiff'),
    release: { name: d.release.name, namespace: d.release.namespace },
    from: { revision: d.from.revision, status: d.from.state },
    to: { revision: d.to.revision, status: d.to.state },
    objects: d.objects.map((o) => ({ object: objectReference(o.ref), change: o.change, paths: o.paths })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function formatPendingJson(releases: readonly PendingRelease[]): string {
  const doc = {
    ...documentHead('PendingReleaseList'),
    items: releases.map((r) => ({
      name: r.name,
      namespace: r.namespace,
      revision: r.revision,
      updated: r.updated,
      description: r.description,
      lock: r.lock === null ? { state: 'none' } : { state: r.lock.live ? 'live' : 'expired', holder: r.lock.holder, since: r.lock.since },
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
