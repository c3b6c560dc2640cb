/**
 * What the API server checks on a write before storing, in the three forms it answers with:
 * decoding problems (wrong JSON types: 400), unknown fields (handled per `fieldValidation`), and
 * validation failures (422 Invalid with field paths): required fields and label values. The
 * per-kind rules (names, data sizes, immutable fields on update) are the kinds' strategies
 * (strategies/). Quantities given as JSON numbers are normalised to strings, as decoding does.
 * Pure; never throws on user input.
 */
import type { StatusCause } from '../model/status.js';
import { child, isPlainObject, items, preservesUnknown, typeOf, type SchemaCursor } from './schema-nav.js';
import { toFieldPath, type JsonPath } from '../model/source.js';
import { goStringMap } from '../validate/builtin/field.js';

export interface TypeError {
  /** Go decoding message, as built-in kinds answer (400). */
  message: string;
  field: string;
  /** JSON Schema type expected and the JSON type found, as CRD validation answers (422). */
  expected: string;
  found: string;
}

export interface StructuralReport {
  unknownFields: string[];
  typeErrors: TypeError[];
  required: StatusCause[];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function goType(s: SchemaCursor['schema']): string {
  const t = typeOf(s);
  if (t === 'integer') return s.format === 'int64' ? 'int64' : 'int32';
  if (t === 'number') return 'float64';
  if (t === 'boolean') return 'bool';
  if (t === 'array') return '[]' + (s.items ? 'interface {}' : 'interface {}');
  if (t === 'object') return 'map[string]interface {}';
  return 'string';
}

/** Walks an object against its schema, collecting unknown fields, type errors and missing required fields. */
export function checkStructure(obj: unknown, c: SchemaCursor | undefined): StructuralReport {
  const report: StructuralReport = { unknownFields: [], typeErrors: [], required: [] };
  visit(obj, c, [], report, undefined, '');
  return report;
}

function visit(v: unknown, c: SchemaCursor | undefined, path: JsonPath, r: StructuralReport, parent: Record<string, unknown> | undefined, key: string): void {
  if (!c) return;
  const s = c.schema;
  if (v === null) return;
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') {
    if (typeof v !== 'number' && typeof v !== 'string')
      r.typeErrors.push({ message: `json: cannot unmarshal ${jsonType(v)} into Go struct field ${toFieldPath(path)} of type intstr.IntOrString`, field: toFieldPath(path), expected: 'integer-or-string', found: jsonType(v) });
    return;
  }
  if (Array.isArray(s.oneOf) && s.type === undefined) {
    // Quantity: a string or a number; numbers are canonicalised to strings.
    if (typeof v === 'number' && parent !== undefined) parent[key] = String(v);
    else if (typeof v !== 'string' && typeof v !== 'number')
      r.typeErrors.push({ message: `json: cannot unmarshal ${jsonType(v)} into Go struct field ${toFieldPath(path)} of type resource.Quantity`, field: toFieldPath(path), expected: 'string', found: jsonType(v) });
    return;
  }
  const t = typeOf(s);
  const bad = () =>
    r.typeErrors.push({
      message: `json: cannot unmarshal ${jsonType(v)} into Go struct field ${toFieldPath(path)} of type ${goType(s)}`,
      field: toFieldPath(path),
      expected: t ?? 'object',
      found: jsonType(v) === 'number' && Number.isInteger(v) ? 'integer' : jsonType(v),
    });
  switch (t) {
    case 'string':
      if (typeof v !== 'string') bad();
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) bad();
      return;
    case 'number':
      if (typeof v !== 'number') bad();
      return;
    case 'boolean':
      if (typeof v !== 'boolean') bad();
      return;
    case 'array':
      if (!Array.isArray(v)) {
        bad();
        return;
      }
      v.forEach((x, i) => visit(x, items(c), [...path, i], r, undefined, ''));
      return;
    default:
      break;
  }
  if (!isPlainObject(v)) {
    if (t === 'object') bad();
    return;
  }
  if (preservesUnknown(s) && s.properties === undefined) return;
  for (const [k, x] of Object.entries(v)) {
    const known = s.properties?.[k] !== undefined || typeof s.additionalProperties === 'object' || s.additionalProperties === true;
    if (!known) {
      if (s['x-kubernetes-preserve-unknown-fields'] !== true) r.unknownFields.push(toFieldPath([...path, k]));
      continue;
    }
    visit(x, child(c, k), [...path, k], r, v, k);
  }
  for (const req of s.required ?? []) {
    if (v[req] === undefined) r.required.push({ reason: 'FieldValueRequired', message: 'Required value', field: toFieldPath([...path, req]) });
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label values on every object (ValidateLabels), with the upstream message. */
export function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (!isPlainObject(labels)) return [];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string') continue;
    if (v.length > 63 || !LABEL_VALUE.test(v))
      out.push({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    void k;
  }
  return out;
}
