/**
 * `metav1.Status`: how kube-apiserver reports a failure (and some successes, such as a delete
 * that finished at once). The cluster client reads it from answers; kd sim writes it.
 * Every field is optional because the server omits empty ones.
 */

/** One problem behind a Status, usually one field (`FieldValueInvalid`, `FieldManagerConflict`). */
export interface StatusCause {
  reason?: string;
  message?: string;
  /** The field as the server prints it: `spec.replicas`, `.spec.containers[name="web"].image`. */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** The Kind, or for most errors the plural resource (`deployments`). */
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  /** `Success` or `Failure`. */
  status?: string;
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}
