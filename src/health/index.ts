/** Health of one object as a value: kind rules, generic conditions, fail-fast pod problems, the gate. */
export type { HealthState, HealthResult, HealthContext } from './types.js';
export { DEFAULT_UNSCHEDULABLE_GRACE_MS } from './types.js';
export { computeHealth } from './compute-health.js';
export { conditionsHealth, isTerminalReason } from './conditions.js';
export { findPodProblem, unschedulableDueAt, FAIL_FAST_WAITING_REASONS, type PodProblem } from './pod-problems.js';
export { healthRuleFor, kindHasPods } from './registry.js';
export { healthGate, type HealthGate } from './gate.js';
export { formatHealth } from './format.js';
export {
  healthCheckOf,
  checksService,
  statusAccepted,
  isPodReady,
  nameOf,
  podPort,
  servicePort,
  podProxyPath,
  serviceProxyPath,
  checkBackoffMs,
  excerpt,
  describeCheck,
  httpResult,
  commandResult,
  EXCERPT_BYTES,
  type HealthCheckSpec,
  type CheckResult,
} from './custom-check.js';
