/**
 * A Kubernetes object's identity from its data: group, version, kind, name, namespace. Checks
 * only what identity needs (apiVersion, kind, metadata.name or generateName); every other field
 * is the validator's business. Namespace defaulting needs the kind's scope, so it happens later
 * (namespace-defaults.ts).
 */
import type { JsonPath } from '../model/source.js';
import type { ObjectRef } from '../model/object-ref.js';
import { isPlainObject as isMapping } from '../model/json.js';

export interface IdentityProblem {
  message: string;
  path: JsonPath;
  /** Whether the object can still be used (a missing name) or must be dropped (no kind). */
  fatal: boolean;
}

const GROUP_VERSION = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i;

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export { isMapping };

export function readIdentity(object: Record<string, unknown>): { ref?: ObjectRef; problems: IdentityProblem[] } {
  const problems: IdentityProblem[] = [];
  const { apiVersion, kind, metadata } = object;
  if (apiVersion === undefined || apiVersion === null || apiVersion === '')
    problems.push({ message: 'apiVersion is missing (e.g. `apiVersion: apps/v1`)', path: ['apiVersion'], fatal: true });
  else if (typeof apiVersion !== 'string')
    problems.push({ message: `apiVersion must be a string, not ${describeType(apiVersion)}`, path: ['apiVersion'], fatal: true });
  else if (!GROUP_VERSION.test(apiVersion))
    problems.push({ message: `apiVersion "${apiVersion}" is not of the form <group>/<version> or <version>`, path: ['apiVersion'], fatal: true });
  if (kind === undefined || kind === null || kind === '')
    problems.push({ message: 'kind is missing (e.g. `kind: Deployment`)', path: ['kind'], fatal: true });
  else if (typeof kind !== 'string') problems.push({ message: `kind must be a string, not ${describeType(kind)}`, path: ['kind'], fatal: true });

  let name = '';
  let generateName: string | undefined;
  let namespace: string | undefined;
  if (metadata === undefined || metadata === null) {
    problems.push({ message: 'metadata.name is missing (set metadata.name, or metadata.generateName)', path: ['metadata'], fatal: false });
  } else if (!isMapping(metadata)) {
    problems.push({ message: `metadata must be a mapping, not ${describeType(metadata)}`, path: ['metadata'], fatal: false });
  } else {
    if (typeof metadata.name === 'string') name = metadata.name;
    if (typeof metadata.generateName === 'string' && metadata.generateName !== '') generateName = metadata.generateName;
    if (typeof metadata.namespace === 'string' && metadata.namespace !== '') namespace = metadata.namespace;
    if (metadata.name !== undefined && metadata.name !== null && typeof metadata.name !== 'string')
      problems.push({ message: `metadata.name must be a string, not ${describeType(metadata.name)}`, path: ['metadata', 'name'], fatal: false });
    else if (name === '' && generateName === undefined)
      problems.push({ message: 'metadata.name is missing (set metadata.name, or metadata.generateName)', path: ['metadata', 'name'], fatal: false });
  }
  if (problems.some((p) => p.fatal)) return { problems };
  const slash = (apiVersion as string).indexOf('/');
  const ref: ObjectRef = {
    group: slash < 0 ? '' : (apiVersion as string).slice(0, slash),
    version: slash < 0 ? (apiVersion as string) : (apiVersion as string).slice(slash + 1),
    kind: kind as string,
    name,
  };
  if (generateName !== undefined) ref.generateName = generateName;
  if (namespace !== undefined) ref.namespace = namespace;
  return { ref, problems };
}

/**
 * The items of a `kind: List` (or any `*List` kind with an `items` sequence), which kubectl
 * flattens into separate objects; undefined for anything else. A `kind: List` without items is
 * empty; other kinds ending in `List` without an `items` sequence may be custom resources.
 */
export function listItems(object: Record<string, unknown>): unknown[] | undefined {
  const kind = object.kind;
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  if (Array.isArray(object.items)) return object.items;
  return kind === 'List' && (object.items === undefined || object.items === null) ? [] : undefined;
}
