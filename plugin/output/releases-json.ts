/**
 * `kubectl kd history -o json` and `kubectl kd list -o json`: documents described by
 * schemas/release-history.schema.json and schemas/release-list.schema.json. Only the records'
 * labels and annotations are shown: the applied objects (and Secret values among them) never.
 */
import type { ReleaseSummary, RevisionInfo } from '../../src/index.js';
import { documentHead } from './json-document.js';

export function formatHistoryJson(release: { name: string; namespace: string }, revisions: readonly RevisionInfo[]): string {
  const doc = {
    ...documentHead('ReleaseHistory'),
    release: { name: release.name, namespace: release.namespace },
    revisions: revisions.map((r) => ({
      revision: r.revision,
      updated: r.updated,
      status: r.status,
      objects: r.objects,
      description: r.description,
      message: r.message,
      kdVersion: r.kdVersion,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function formatListJson(releases: readonly ReleaseSummary[]): string {
  const doc = {
    ...documentHead('ReleaseList'),
    items: releases.map((r) => ({ name: r.name, namespace: r.namespace, revision: r.revision, status: r.status, updated: r.updated, objects: r.objects, description: r.description })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
