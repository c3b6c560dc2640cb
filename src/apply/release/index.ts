/** Releases: revision records and their history, the release lock, the ApplySet inventory, delete. */
export { defaultReleaseName, releaseNameProblem, recordName, partName, RECORD_TYPE, MAX_RELEASE_NAME } from './names.js';
export type { RecordPayload, Revision, RevisionWithObjects } from './types.js';
export { encodeRecord, decodeRecord, readRevision, DEFAULT_CHUNK_BYTES, MAX_RECORD_BYTES, type DecodeResult, type EncodeOptions } from './codec.js';
export { RecordStore, SecretReleaseStore, CorruptRecordError, DEFAULT_HISTORY_MAX, type ReleaseStoreOptions } from './store.js';
export { ClusterRecordDriver, toConfigMap, fromConfigMap, type RecordDriver, type RecordScope, type StorageKind } from './drivers.js';
export { FileRecordDriver, FileLock, type FileLockOptions } from './file-driver.js';
export { parseStorage, describeStorage, releasePorts, type StorageChoice, type StoragePorts } from './storage.js';
export { renderHistoryText, renderListText, renderPendingText, renderTable, describeRevision, type PendingRelease } from './render.js';
export { chooseRollbackRevision, rollbackRequest, tolerateCorruptDeployed, type RollbackRequestOptions } from './rollback.js';
export { deleteRelease, type DeleteReleaseDeps, type DeleteReleaseRequest, type DeleteReleaseResult } from './delete-release.js';
export { LeaseLock, LockHeldError, lockName, defaultHolderIdentity, microTime, DEFAULT_LEASE_SECONDS, type LeaseLockOptions, type HeldLock } from '../lock.js';
export {
  ApplySetInventory,
  applySetId,
  applySetParent,
  applySetParentName,
  contentsOf,
  formatGroupKinds,
  parseGroupKinds,
  releaseApplySetId,
  selectPrune,
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_NAMESPACES_ANNOTATION,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  type ApplySetInventoryOptions,
  type ApplySetParentContents,
  type PruneSelection,
} from '../inventory.js';
export {
  diffRevisions,
  parseRevisionRange,
  renderRevisionDiffText,
  resolveRevisionRange,
  type ObjectChange,
  type RevisionDiff,
  type RevisionRange,
} from './revision-diff.js';
