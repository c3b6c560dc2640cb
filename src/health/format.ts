/** The one-line text form of a health result, used by text progress output and by the fixtures. */
import type { HealthResult } from './types.js';

/** `Failed ProgressDeadlineExceeded [fail-fast]: ReplicaSet "web-5f8b" has timed out progressing.` */
export function formatHealth(health: HealthResult): string {
  return `${health.state} ${health.reason}${health.failFast ? ' [fail-fast]' : ''}: ${health.message}`;
}
