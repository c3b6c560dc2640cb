/**
 * `kind: Status` failures shaped exactly as kube-apiserver sends them (reason, code, message,
 * details with the plural resource or the Kind, causes), so kubectl prints the same lines.
 * An ApiError is thrown inside request handling and turned into a response at one place.
 */
import type { KubeStatus, StatusCause, StatusDetails } from '../model/status.js';

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    if (details !== undefined) this.details = details;
  }

  toStatus(): KubeStatus {
    const s: KubeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message };
    if (this.reason !== '') s.reason = this.reason;
    if (this.details !== undefined) s.details = this.details;
    s.code = this.code;
    return s;
  }
}

/** `deployments.apps` / `pods`: how the server names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

export function notFound(group: string, plural: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, { name, group, kind: plural });
}

export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(group: string, plural: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, { name, group, kind: plural });
}

export function conflict(group: string, plural: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, {
    name,
    group,
    kind: plural,
  });
}

/** 422 Invalid: message `Kind.group "name" is invalid: field: detail[, field: detail]`, one cause each. */
export function invalid(group: string, kind: string, name: string, causes: StatusCause[]): ApiError {
  const gk = group === '' ? kind : `${kind}.${group}`;
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const body = list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${gk} "${name}" is invalid: ${body}`, { name, group, kind, causes });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(group: string, plural: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', { group, kind: plural });
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function forbidden(group: string, plural: string, name: string, why: string): ApiError {
  const what = name === '' ? qualifiedResource(group, plural) : `${qualifiedResource(group, plural)} "${name}"`;
  return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, { name, group, kind: plural });
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] });
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}
