/**
 * Rollback as data: which revision to go back to, and the apply request that re-applies its
 * objects. The executor then runs it like any apply (same plan, waves, hooks and health gates)
 * and records it as a new revision; prune is on, so objects added after that revision go.
 *
 * Default target: the newest revision older than the current one (the last deployed) that was
 * itself deployed once (now superseded) — a failed or pending revision is never the default.
 * A rollback is the way out of a damaged deployed record, so it runs without that record (the
 * plan then compares with the live objects only): `tolerateCorruptDeployed`.
 */
import { KdError } from '../../errors.js';
import { definedOnly } from '../../model/json.js';
import type { PlanInputObject } from '../../plan/index.js';
import { refOf } from '../object-refs.js';
import type { ApplyRequest } from '../run-apply.js';
import type { ReleasePorts, ReleaseRef } from '../ports.js';
import { CorruptRecordError } from './store.js';
import type { RevisionWithObjects, Revision } from './types.js';

export function chooseRollbackRevision(release: ReleaseRef, revisions: readonly Revision[], requested?: number): number {
  if (revisions.length === 0) throw new KdError('input', `release ${release.name} not found in namespace ${release.namespace}`, { hint: 'list the releases with `kubectl kd list -A`' });
  if (requested !== undefined) {
    if (!revisions.some((r) => r.revision === requested))
      throw new KdError('usage', `release ${release.name} has no revision ${requested}`, { hint: `its revisions are ${revisions.map((r) => r.revision).join(', ')} (see \`kubectl kd history ${release.name}\`)` });
    return requested;
  }
  const deployed = revisions.filter((r) => r.state === 'deployed');
  const current = deployed[deployed.length - 1]?.revision ?? revisions[revisions.length - 1]!.revision;
  const earlier = revisions.filter((r) => r.revision < current && r.state === 'superseded');
  const target = earlier[earlier.length - 1];
  if (target === undefined)
    throw new KdError('usage', `release ${release.name} has no earlier deployed revision to roll back to`, { hint: `name one: kubectl kd rollback ${release.name} REVISION (see \`kubectl kd history ${release.name}\`)` });
  return target.revision;
}

export interface RollbackRequestOptions {
  timeoutMs?: number;
  waitForLock?: boolean;
  hooks?: boolean;
  forceConflicts?: boolean;
}

/** The apply that re-applies a recorded revision as a new one. */
export function rollbackRequest(release: ReleaseRef, record: RevisionWithObjects, options: RollbackRequestOptions = {}): ApplyRequest {
  const objects = record.objects.flatMap((object): PlanInputObject[] => {
    const ref = refOf(object);
    return ref === undefined ? [] : [{ object, ref }];
  });
  return {
    objects,
    release,
    paths: record.paths,
    description: `rollback to revision ${record.revision}`,
    prune: true,
    operation: 'rollback',
    ...definedOnly({ timeoutMs: options.timeoutMs, waitForLock: options.waitForLock, hooks: options.hooks, forceConflicts: options.forceConflicts }),
  };
}

/**
 * The ports a rollback runs with: a deployed record that cannot be read counts as no record
 * (the rollback's own target was read already), instead of stopping the way out of it.
 */
export function tolerateCorruptDeployed(ports: ReleasePorts): ReleasePorts {
  const releases = ports.releases;
  return {
    ...ports,
    releases: {
      lastDeployed: (release) =>
        releases.lastDeployed(release).catch((error: unknown) => {
          if (error instanceof CorruptRecordError) return undefined;
          throw error;
        }),
      begin: (release, revision) => releases.begin(release, revision),
      finish: (release, revision, result) => releases.finish(release, revision, result),
    },
  };
}
