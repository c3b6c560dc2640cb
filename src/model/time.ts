/**
 * Kubernetes' two timestamp encodings, written once: `metav1.Time` (RFC 3339 in UTC, whole
 * seconds, the fraction truncated as Go's RFC3339 layout drops it) and `metav1.MicroTime`
 * (RFC 3339 with six fractional digits, as Leases and events.k8s.io Events carry).
 */

/** `2025-06-01T12:00:00Z`: creationTimestamp, lastTransitionTime, kd's history times. */
export function formatMetav1Time(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2025-06-01T12:00:00.123000Z`: a Lease's acquireTime and renewTime. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
