/**
 * What the API server checks on a write before storing, in the three forms it answers with:
 * decoding problems (wrong JSON types: 400), unknown fields (handled per `fieldValidation`), and
 * validation failures (422 Invalid with field paths): required fields, names, label values, the
 * selector/template match of workloads, and immutable fields on update. Quantities given as JSON
 * numbers are normalised to strings, as decoding does. Pure; never throws on user input.
 */
import type { StatusCause } from '../model/status.js';
import { child, isPlainObject, items, preservesUnknown, typeOf, deepEqual, type SchemaCursor } from './schema-nav.js';
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

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Name rules per kind, with the upstream messages. */
export function validateName(group: string, kind: string, name: string): StatusCause[] {
  const field = 'metadata.name';
  if (kind === 'Namespace' && group === '' || kind === 'Service' && group === '') {
    const re = kind === 'Service' ? LABEL_1035 : LABEL_1123;
    if (!re.test(name) || name.length > 63) {
      const msg =
        kind === 'Service'
          ? `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`
          : `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
      return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${msg}`, field }];
    }
    return [];
  }
  if (!SUBDOMAIN.test(name) || name.length > 253)
    return [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        field,
      },
    ];
  return [];
}

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

function goLabelSelector(sel: unknown): string {
  const s = isPlainObject(sel) ? sel : {};
  const ml = s.matchLabels === undefined ? 'map[string]string(nil)' : goStringMap(s.matchLabels);
  const me = Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0 ? '[]v1.LabelSelectorRequirement{...}' : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

const WORKLOADS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet']);

/**
 * Kind-specific validation of a (defaulted) object on create and update that the server does
 * itself: label values, and the 1 MiB data limit of Secrets and ConfigMaps (also here so a sim
 * without the core validator keeps it; the core's identical cause is merged with it). The other
 * per-kind rules of pkg/apis/<group>/validation (selectors, containers, ports, ...) are the
 * core's (src/validate/builtin), run behind writes by core-validation.ts.
 */
export function validateKind(group: string, kind: string, o: Record<string, unknown>): StatusCause[] {
  const out: StatusCause[] = [];
  if (group === '' && (kind === 'Secret' || kind === 'ConfigMap')) out.push(...validateDataSize(kind, o));
  const m = isPlainObject(o.metadata) ? o.metadata : {};
  out.push(...validateLabels(m.labels, 'metadata.labels'));
  return out;
}

/** core.MaxSecretSize: the most a Secret's or ConfigMap's data may hold together. */
export const MAX_DATA_SIZE = 1024 * 1024;

/**
 * ValidateSecret / ValidateConfigMap's size rule: the decoded bytes of every value together (a
 * ConfigMap's `data` and `binaryData`) at most 1 MiB. Secret stringData is already merged into
 * data here. The ConfigMap error is on the whole object, which Go prints as the field `[]`.
 */
function validateDataSize(kind: string, o: Record<string, unknown>): StatusCause[] {
  let total = 0;
  const add = (m: unknown, base64: boolean) => {
    if (!isPlainObject(m)) return;
    for (const v of Object.values(m)) if (typeof v === 'string') total += base64 ? Buffer.from(v, 'base64').length : Buffer.byteLength(v, 'utf8');
  };
  add(o.data, kind === 'Secret');
  if (kind === 'ConfigMap') add(o.binaryData, true);
  if (total <= MAX_DATA_SIZE) return [];
  return [{ reason: 'FieldValueTooLong', field: kind === 'Secret' ? 'data' : '[]', message: `Too long: may not be more than ${MAX_DATA_SIZE} bytes` }];
}

/** Immutable-field rules on update, with the upstream messages. */
export function validateImmutable(group: string, kind: string, oldObj: Record<string, unknown>, newObj: Record<string, unknown>): StatusCause[] {
  const out: StatusCause[] = [];
  const os = isPlainObject(oldObj.spec) ? oldObj.spec : {};
  const ns = isPlainObject(newObj.spec) ? newObj.spec : {};
  const key = `${group}/${kind}`;
  if (WORKLOADS.has(key) && !deepEqual(os.selector, ns.selector))
    out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goLabelSelector(ns.selector)}: field is immutable` });
  if (key === 'apps/StatefulSet') {
    const allowed = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'selector']);
    const keys = new Set([...Object.keys(os), ...Object.keys(ns)]);
    if ([...keys].some((k) => !allowed.has(k) && !deepEqual(os[k], ns[k])))
      out.push({
        reason: 'FieldValueForbidden',
        field: 'spec',
        message: `Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
      });
  }
  if (key === 'batch/Job') {
    if (!deepEqual(os.selector, ns.selector))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goLabelSelector(ns.selector)}: field is immutable` });
    if (!deepEqual(os.template, ns.template))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.template', message: 'Invalid value: core.PodTemplateSpec{...}: field is immutable' });
  }
  if (key === '/Service') {
    const oldIPs = Array.isArray(os.clusterIPs) ? os.clusterIPs : [];
    const newIPs = Array.isArray(ns.clusterIPs) ? ns.clusterIPs : [];
    if (oldIPs.length > 0 && newIPs.length > 0 && oldIPs[0] !== newIPs[0])
      out.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: []string{${newIPs.map((x) => JSON.stringify(x)).join(', ')}}: may not change once set` });
    if (os.clusterIP !== undefined && ns.clusterIP !== undefined && os.clusterIP !== ns.clusterIP && !(os.type === 'ExternalName' || ns.type === 'ExternalName'))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(ns.clusterIP)}: field is immutable` });
  }
  if ((key === '/ConfigMap' || key === '/Secret') && oldObj.immutable === true) {
    if (newObj.immutable !== true) out.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
    if (!deepEqual(oldObj.data, newObj.data) || !deepEqual(oldObj.binaryData, newObj.binaryData) || (key === '/Secret' && !deepEqual(oldObj.stringData, newObj.stringData)))
      out.push({ reason: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' });
  }
  if (key === '/PersistentVolumeClaim') {
    const strip = (s: Record<string, unknown>) => {
      const c = { ...s };
      delete c.resources;
      delete c.volumeAttributesClassName;
      delete c.volumeName;
      return c;
    };
    if (!deepEqual(strip(os), strip(ns)))
      out.push({ reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
  }
  if (key === '/Pod') {
    const strip = (s: Record<string, unknown>) => {
      const c = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      for (const list of ['containers', 'initContainers'])
        if (Array.isArray(c[list])) for (const x of c[list] as unknown[]) if (isPlainObject(x)) delete x.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      delete c.nodeName;
      return c;
    };
    if (!deepEqual(strip(os), strip(ns)))
      out.push({
        reason: 'FieldValueForbidden',
        field: 'spec',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
  }
  return out;
}
