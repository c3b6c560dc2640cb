/**
 * Errors of the cluster layer: a KdError of kind `cluster` that says what failed (verb, kind and
 * name, the server's reason and message) and keeps the server's Status as data, so that callers
 * can act on it (SSA conflicts: which managers own which fields) without parsing messages.
 *
 * Message shape: `apply Deployment shop/web: Conflict: Apply failed with 1 conflict: ...`.
 */
import { KdError } from '../errors.js';
import type { GroupVersionKind } from '../model/object-ref.js';
import type { KubeStatus, StatusCause } from '../model/status.js';

/** One field another manager owns, from an SSA conflict (`FieldManagerConflict` causes). */
export interface FieldConflict {
  /** The manager as the server names it (`kubectl-client-side-apply`, `"hpa-controller"`). */
  manager: string;
  /** The field path as the server prints it (`.spec.replicas`). */
  field: string;
}

/** What the request was about, for the message: `apply Deployment shop/web`. */
export interface RequestSubject {
  verb: string;
  /** `Deployment shop/web`, or `deployments.apps in shop` for collections. */
  target: string;
}

export type ClusterFailure =
  /** The server answered with a failure status. */
  | 'status'
  /** No answer: connection refused or reset, DNS, TLS, or a timeout. */
  | 'network'
  /** The answer could not be understood (not JSON where JSON was due). */
  | 'protocol';

export class ClusterRequestError extends KdError {
  readonly verb: string;
  readonly target: string;
  readonly failure: ClusterFailure;
  /** HTTP status code; 0 for network failures. */
  readonly code: number;
  /** The Status reason (`Conflict`, `NotFound`, `Invalid`...), or the network error code. */
  readonly reason: string;
  /** The server's Status, when it sent one. */
  readonly status?: KubeStatus;
  readonly causes: StatusCause[];
  /** For SSA conflicts: the other managers and their fields. Empty otherwise. */
  readonly conflicts: FieldConflict[];
  /** Seconds the server asked to wait (Retry-After header or Status details). */
  readonly retryAfterSeconds?: number;
  /** How many attempts were made before giving up (set by the transport). */
  attempts = 1;

  constructor(init: {
    subject: RequestSubject;
    failure: ClusterFailure;
    code: number;
    reason: string;
    message: string;
    status?: KubeStatus;
    retryAfterSeconds?: number;
    hint?: string;
    cause?: unknown;
  }) {
    const options: { hint?: string; cause?: unknown } = {};
    if (init.hint !== undefined) options.hint = init.hint;
    if (init.cause !== undefined) options.cause = init.cause;
    super('cluster', `${init.subject.verb} ${init.subject.target}: ${init.reason ? `${init.reason}: ` : ''}${init.message}`, options);
    this.name = 'ClusterRequestError';
    this.verb = init.subject.verb;
    this.target = init.subject.target;
    this.failure = init.failure;
    this.code = init.code;
    this.reason = init.reason;
    if (init.status !== undefined) this.status = init.status;
    this.causes = init.status?.details?.causes ?? [];
    this.conflicts = conflictsOf(this.causes);
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }

  get isNotFound(): boolean {
    return this.code === 404;
  }

  get isAlreadyExists(): boolean {
    return this.code === 409 && this.reason === 'AlreadyExists';
  }

  /** An SSA conflict with other field managers (as opposed to an optimistic-lock conflict). */
  get isFieldConflict(): boolean {
    return this.code === 409 && this.conflicts.length > 0;
  }

  /** A watch or list continuation that asked for history the server no longer has. */
  get isGone(): boolean {
    return this.code === 410 || this.reason === 'Expired' || this.reason === 'Gone';
  }
}

/** A kind the server does not serve (no CRD, a wrong apiVersion, an API not enabled). */
export class UnknownResourceError extends KdError {
  readonly gvk: GroupVersionKind;

  constructor(gvk: GroupVersionKind, servedVersions: readonly string[], verb: string) {
    const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
    super('cluster', `${verb} ${gvk.kind}: the server does not serve kind ${gvk.kind} in ${apiVersion}`, {
      hint:
        servedVersions.length > 0
          ? `it serves ${gvk.kind} as ${servedVersions.join(', ')}: change apiVersion`
          : gvk.group !== '' && !gvk.group.endsWith('.k8s.io') && gvk.group.includes('.')
            ? 'install the CustomResourceDefinition for it first (or apply it in an earlier wave)'
            : 'check apiVersion and kind (`kubectl api-resources` lists what the server serves)',
    });
    this.name = 'UnknownResourceError';
    this.gvk = gvk;
  }
}

function conflictsOf(causes: readonly StatusCause[]): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const c of causes) {
    if (c.reason !== 'FieldManagerConflict') continue;
    const manager = /^conflict with (.*)$/s.exec(c.message ?? '')?.[1]?.trim() ?? c.message ?? '';
    out.push({ manager, field: c.field ?? '' });
  }
  return out;
}

/** Reads a Status from a response body; undefined when the body is not one. */
export function parseStatus(body: string): KubeStatus | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'Status') return v as KubeStatus;
  } catch {
    // not JSON: the caller falls back to the HTTP status line
  }
  return undefined;
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** What to do about a failure, one line, when there is something useful to say. */
function hintFor(code: number, reason: string, message: string, subject: RequestSubject, conflicts: readonly FieldConflict[]): string | undefined {
  if (code === 409 && conflicts.length > 0)
    return `another field manager (${[...new Set(conflicts.map((c) => c.manager))].join(', ')}) owns these fields: re-run with --force-conflicts to take them over, or remove the fields from your manifests`;
  if (code === 401) return 'the credentials were rejected: refresh them (log in again) or pick another context with --context';
  if (code === 403) return `check your permissions, e.g. \`kubectl auth can-i ${subject.verb === 'apply' ? 'patch' : subject.verb} ...\``;
  if (code === 500 && /failed to create typed patch object/.test(message))
    return 'a field is not in the kind\'s schema: remove it or fix its name (`kubectl kd validate` finds these offline)';
  if (code === 422 || reason === 'Invalid') return 'fix the listed fields in the manifest; `kubectl kd validate` finds most of these offline';
  return undefined;
}

export function statusError(subject: RequestSubject, code: number, body: string, retryAfterSeconds?: number): ClusterRequestError {
  const status = parseStatus(body);
  const reason = status?.reason || REASON_BY_CODE[code] || `HTTP ${code}`;
  let message = status?.message || body.trim().slice(0, 300) || `the server answered ${code}`;
  const causes = status?.details?.causes ?? [];
  // An Invalid Status usually has a summary message; the causes say which fields.
  if (code === 422 && causes.length > 0 && !causes.every((c) => c.field && message.includes(c.field))) {
    message += ` (${causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).join('; ')})`;
  }
  const retry = retryAfterSeconds ?? status?.details?.retryAfterSeconds;
  const init: ConstructorParameters<typeof ClusterRequestError>[0] = { subject, failure: 'status', code, reason, message };
  if (status !== undefined) init.status = status;
  if (retry !== undefined) init.retryAfterSeconds = retry;
  const hint = hintFor(code, reason, message, subject, conflictsOf(causes));
  if (hint !== undefined) init.hint = hint;
  return new ClusterRequestError(init);
}

export function networkError(subject: RequestSubject, server: string, cause: unknown): ClusterRequestError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? code : 'NetworkError';
  const text = cause instanceof Error ? cause.message : String(cause);
  return new ClusterRequestError({
    subject,
    failure: 'network',
    code: 0,
    reason,
    message: `cannot reach the cluster at ${server}: ${text}`,
    hint: 'check that the cluster is running and that the context (--context, KUBECONFIG) points at it',
    cause,
  });
}

/** Parses a JSON answer; a body that is not JSON is a protocol error naming the request. */
export function parseJsonBody<T = unknown>(subject: RequestSubject, body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch (e) {
    throw new ClusterRequestError({
      subject,
      failure: 'protocol',
      code: 0,
      reason: 'InvalidResponse',
      message: `the server's answer is not JSON: ${(e as Error).message}`,
      hint: 'check that the context points at a Kubernetes API server, not a proxy or web page',
    });
  }
}
