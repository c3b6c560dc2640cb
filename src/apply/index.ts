/** The apply executor: runs a plan through the cluster in waves and gates, and reports it as events. */
export type * from './events.js';
export type { NewRevision, FinishRevision, GroupKindRef, Inventory, InventoryMember, LockHandle, AcquireLockOptions, ReleaseLock, ReleasePorts, ReleaseRef, ReleaseStore, RevisionState } from './ports.js';
export { runTask, RevisionRecorder, type TaskSpec, type TaskDeps, type TaskRun, type TaskOutcome } from './runner.js';
export { runApply, collectApply, RetryFeed, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type ApplyDeps, type ApplyRequest, type DryRunMode } from './run-apply.js';
export { FIELD_MANAGER } from './apply-entries.js';
export { maskSecret, maskSecretPair } from './mask-secrets.js';
export { objectDiff } from './unified-diff.js';
export { unifiedDiff } from '../drift/line-diff.js';
export { releasePorts, type StoragePorts } from './release/storage.js';
export {
  NotificationBuilder,
  deliverNotification,
  notifyUrlProblem,
  originOf,
  slackMessage,
  NOTIFY_TIMEOUT_MS,
  NOTIFY_TRIES,
  type DeliveryOptions,
  type NotificationSender,
  type NotifyFormat,
  type NotifyOperation,
  type RunNotification,
} from './notify.js';
