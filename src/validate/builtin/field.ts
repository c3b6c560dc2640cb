/**
 * Field errors as k8s.io/apimachinery's `field.Error` words them, for the built-in validation.
 * A `FieldPath` carries two things at once: the API server's field string
 * (`spec.containers[0].resources.requests[cpu]`, map keys in brackets) and the JSON path that
 * positions the diagnostic in the source (`['spec', 'containers', 0, 'resources', 'requests', 'cpu']`).
 * An error's text is `<field>: <body>`, the body as `field.Error.ErrorBody` prints it: values of
 * strings quoted (`%q`), numbers bare, other values as Go's `%#v` spelled by the caller.
 */
import type { JsonPath } from '../../model/source.js';
import { isPlainObject as isRecord } from '../../model/json.js';

export class FieldPath {
  // A linked list built on every step of the walk and read only for errors: no copying until then.
  private constructor(
    private readonly parent: FieldPath | undefined,
    private readonly segment: string | number | undefined,
    private readonly mapKey: boolean,
    private readonly jsonOverride?: JsonPath,
  ) {}

  static root(a?: string, b?: string): FieldPath {
    const r = new FieldPath(undefined, undefined, false);
    return a === undefined ? r : r.child(a, b);
  }

  // Fixed arity rather than rest parameters: this runs for every field walked, errors or not.
  child(a: string, b?: string, c?: string): FieldPath {
    let p = new FieldPath(this, a, false);
    if (b !== undefined) p = new FieldPath(p, b, false);
    if (c !== undefined) p = new FieldPath(p, c, false);
    return p;
  }

  index(i: number): FieldPath {
    return new FieldPath(this, i, false);
  }

  /** A map key: `data[tls.crt]`. */
  key(k: string): FieldPath {
    return new FieldPath(this, k, true);
  }

  /** The same field string, positioned elsewhere (a defaulted field reported at what was written). */
  at(json: JsonPath): FieldPath {
    return new FieldPath(this.parent, this.segment, this.mapKey, json);
  }

  get field(): string {
    if (this.segment === undefined) return '';
    const base = this.parent ? this.parent.field : '';
    if (typeof this.segment === 'number' || this.mapKey) return `${base}[${this.segment}]`;
    return base === '' ? this.segment : `${base}.${this.segment}`;
  }

  get json(): JsonPath {
    if (this.jsonOverride) return this.jsonOverride;
    if (this.segment === undefined) return [];
    return [...(this.parent ? this.parent.json : []), this.segment];
  }
}

export type FieldErrorType = 'Invalid' | 'Required' | 'Duplicate' | 'NotSupported' | 'Forbidden' | 'TooLong' | 'NotFound';

/** The API server's `StatusCause.reason` for each error type. */
export const CAUSE_REASON: Record<FieldErrorType, string> = {
  Invalid: 'FieldValueInvalid',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  NotFound: 'FieldValueNotFound',
};

export interface FieldError {
  /** kd's rule id (catalogued in rules.ts). */
  rule: string;
  type: FieldErrorType;
  path: FieldPath;
  /** The body after `<field>: `, e.g. `Invalid value: 70000: must be between 1 and 65535, inclusive`. */
  body: string;
  /** Point at the key rather than the value (map keys that are themselves the problem). */
  target?: 'key' | 'value';
}

/** A Go value as `field.Error` prints it: a string is quoted, a number bare, anything else given verbatim. */
export type GoValue = string | number | boolean | { go: string };

export function goValue(v: GoValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v.go;
}

/** Go's `%#v` of a string map. */
export function goStringMap(m: unknown): string {
  if (!isRecord(m)) return 'map[string]string(nil)';
  const parts = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`);
  return `map[string]string{${parts.join(', ')}}`;
}

/** An IntOrString prints through its String(): `0`, `25%`, unquoted. */
export function intOrString(v: number | string): GoValue {
  return { go: String(v) };
}

export { isRecord };

const NO_RECORDS: Array<Record<string, unknown>> = [];

/** The items of a list of objects (non-objects read as empty ones); no copy when they all are objects. */
export function records(v: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(v)) return NO_RECORDS;
  for (const x of v) if (!isRecord(x)) return v.map((y: unknown) => (isRecord(y) ? y : {}));
  return v as Array<Record<string, unknown>>;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Collects errors for one object under one rule at a time. */
export class Errors {
  readonly list: FieldError[] = [];

  constructor(public rule: string) {}

  invalid(path: FieldPath, value: GoValue, detail: string, target?: 'key' | 'value'): void {
    this.push('Invalid', path, detail === '' ? `Invalid value: ${goValue(value)}` : `Invalid value: ${goValue(value)}: ${detail}`, target);
  }

  /** One Invalid error per message, as the Go code loops over `validation.IsX(...)`. */
  invalidEach(path: FieldPath, value: GoValue, details: readonly string[], target?: 'key' | 'value'): void {
    for (const d of details) this.invalid(path, value, d, target);
  }

  required(path: FieldPath, detail = ''): void {
    this.push('Required', path, detail === '' ? 'Required value' : `Required value: ${detail}`);
  }

  duplicate(path: FieldPath, value: GoValue): void {
    this.push('Duplicate', path, `Duplicate value: ${goValue(value)}`);
  }

  notSupported(path: FieldPath, value: GoValue, supported: readonly string[]): void {
    this.push('NotSupported', path, `Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`);
  }

  forbidden(path: FieldPath, detail: string): void {
    this.push('Forbidden', path, `Forbidden: ${detail}`);
  }

  tooLong(path: FieldPath, max: number): void {
    this.push('TooLong', path, `Too long: may not be more than ${max} bytes`);
  }

  notFound(path: FieldPath, value: GoValue): void {
    this.push('NotFound', path, `Not found: ${goValue(value)}`);
  }

  private push(type: FieldErrorType, path: FieldPath, body: string, target?: 'key' | 'value'): void {
    this.list.push({ rule: this.rule, type, path, body, ...(target ? { target } : {}) });
  }
}

/** `field.Error.Error()`: `<field>: <body>`; an error about the whole object has no field. */
export function errorText(e: FieldError): string {
  return e.path.field === '' ? e.body : `${e.path.field}: ${e.body}`;
}
