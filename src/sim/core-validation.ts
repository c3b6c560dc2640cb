/**
 * The core validator (`validateManifest` over a SchemaRegistry) behind the simulator's writes.
 * A stored object becomes a Manifest (positions are meaningless here, so `locate` answers a
 * fixed range; only diagnostic paths matter), and each core Diagnostic becomes a SimProblem in
 * the form kube-apiserver answers it:
 *
 * - unknown fields → `unknown-field` problems: the server's `fieldValidation` decides (400 under
 *   Strict, a `Warning:` under Warn, silently dropped under Ignore), never this module;
 * - what the Go decoder rejects for built-in kinds (a malformed quantity, an int32 overflow) →
 *   `decode` problems, answered 400 `... cannot be handled as a Deployment: ...`;
 * - everything else (enums, CEL rules, patterns, bounds, list-map keys) → 422 causes with the
 *   API server's field paths and messages (`spec.x: Invalid value: ...`);
 * - the built-in kinds' own validation (src/validate/builtin: selectors, ports, probes, Secret
 *   types, cron schedules, ...) → 422 causes, on create and update of the main resource.
 *
 * Wrong JSON types and missing required fields are left to the server's own decoding and
 * required-field checks (object-validation.ts), which answer them as the real server does, so
 * they are not reported twice. CRDs reach the registry through `crdStored`, which the storage
 * calls as soon as a CRD is stored (or restored), before any object of it can be written.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { KubeObject } from '../model/object-ref.js';
import { FILE_START, toFieldPath, type JsonPath } from '../model/source.js';
import { celEngineLoaded, loadCelEngine } from '../schema/cel.js';
import { crdFromObject } from '../schema/crd.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { validateManifest } from '../schema/validate.js';
import { builtinFieldErrors, CAUSE_REASON } from '../validate/builtin/index.js';
import type { SimProblem, WriteCheckContext, WriteValidator } from './rest-storage.js';
import { isPlainObject } from './schema-nav.js';

/** Built-in lists whose items' names the API server's Go validation requires to be unique. */
const UNIQUE_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'volumes']);

const QUANTITY_SYNTAX = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
/** resource.ErrFormatWrong and resource.ErrSuffix, as Quantity.UnmarshalJSON reports them. */
const QUANTITY_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX = "unable to parse quantity's suffix";

/** The core validator as the storage's write validator. The registry must hold every served group-version. */
export function coreWriteValidator(registry: SchemaRegistry): WriteValidator {
  return {
    validate(obj: KubeObject, context: WriteCheckContext): SimProblem[] {
      const res = context.resource;
      const gvk = { group: res.group, version: res.version, kind: res.kind };
      const schema = registry.kindSchema(gvk);
      if (!schema) return [];
      const m = isPlainObject(obj.metadata) ? obj.metadata : {};
      const manifest: Manifest = {
        object: obj,
        ref: { ...gvk, name: typeof m.name === 'string' ? m.name : '', ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}) },
        file: '<request>',
        documentIndex: 0,
        locate: () => FILE_START,
      };
      const out: SimProblem[] = [];
      for (const d of validateManifest(manifest, registry, { strict: true })) {
        const p = toProblem(d, obj, schema.semantics === 'builtin');
        if (p) out.push(p);
      }
      // The API server's per-kind validation (pkg/apis/*/validation); status and scale writes run only their own.
      if (schema.semantics === 'builtin' && context.subresource === undefined)
        for (const e of builtinFieldErrors(gvk, obj)) out.push({ field: e.path.field, reason: CAUSE_REASON[e.type], message: e.body });
      return out;
    },
    crdStored(crd: KubeObject): void {
      const def = crdFromObject(crd);
      if (def) registry.addCustomResources([def]);
    },
    // CEL is most of the validator's start-up and no built-in kind has rules: it is loaded before
    // the first write that can meet one (a kind with rules, or a CRD, whose own checks compile
    // its rules), never evaluated while missing (a rule is then "not checked", not passed).
    async prepare(res): Promise<void> {
      if (celEngineLoaded()) return;
      const gvk = { group: res.group, version: res.version, kind: res.kind };
      if (registry.usesCel([gvk]) || (res.group === 'apiextensions.k8s.io' && res.kind === 'CustomResourceDefinition')) await loadCelEngine();
    },
  };
}

function valueAt(obj: unknown, path: JsonPath): unknown {
  let cur = obj;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isPlainObject(cur) && typeof p === 'string') cur = cur[p];
    else return undefined;
  }
  return cur;
}

/** Go's `%v` of a value inside a validation message: strings quoted, numbers bare. */
function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (isPlainObject(v))
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goValue(v[k])}`)
      .join(', ')}}`;
  return 'null';
}

function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** One core diagnostic in the API server's terms; undefined for what the server reports elsewhere or not at all. */
export function toProblem(d: Diagnostic, obj: KubeObject, builtin: boolean): SimProblem | undefined {
  if (d.path === undefined) return undefined;
  const field = toFieldPath(d.path);
  const value = valueAt(obj, d.path);
  // The core validator prefixes messages with the field (`spec.x: ...`) and adds hints; the server does neither.
  const bare = d.message.startsWith(`${field}: `) ? d.message.slice(field.length + 2) : d.message;
  switch (d.rule) {
    case 'schema/unknown-field':
      return { kind: 'unknown-field', field, message: `unknown field "${field}"` };
    case 'schema/type':
    case 'schema/required':
    case 'schema/unknown-kind':
      return undefined;
    case 'schema/quantity': {
      if (!builtin) return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${bare}` };
      const text = typeof value === 'string' ? value.trim() : '';
      return { kind: 'decode', field, message: QUANTITY_SYNTAX.test(text) ? QUANTITY_SUFFIX : QUANTITY_FORMAT_WRONG };
    }
    case 'schema/enum':
      return { field, reason: 'FieldValueNotSupported', message: bare.replace(/; did you mean .*$/, '') };
    case 'schema/cel': {
      if (d.severity !== 'error') return undefined;
      const m = /^(?:.*?): Invalid value: ([\s\S]*)$/.exec(d.message);
      if (!m) return undefined;
      return { field, reason: 'FieldValueInvalid', message: `Invalid value: "${jsonTypeName(value)}": ${m[1]}` };
    }
    case 'schema/format':
      if (builtin) {
        if (typeof value === 'number') return { kind: 'decode', field, message: `json: cannot unmarshal number ${value} into Go struct field ${field} of type int32` };
        return { kind: 'decode', field, message: `${field}: ${bare}` };
      }
      return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${field} in body ${bare.replace(/^Invalid value: "[^"]*": /, 'must be of type ')}` };
    case 'schema/constraint':
      return constraintProblem(field, value, bare);
    case 'schema/list-map-duplicate':
    case 'schema/list-set-duplicate':
      // Built-in lists are unique only where Go validation says so (duplicate env names or ports pass with a warning).
      if (builtin && !(d.path.at(-1) === 'name' && UNIQUE_BY_NAME.has(String(d.path.at(-3))))) return undefined;
      return { field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}` };
    default:
      if (d.severity !== 'error') return undefined;
      return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${bare}` };
  }
}

/** kube-openapi's validation messages for the JSON Schema bounds (CRD schemas; built-ins rarely have any). */
function constraintProblem(field: string, value: unknown, bare: string): SimProblem {
  let m: RegExpExecArray | null;
  const invalid = (text: string): SimProblem => ({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${field} in body ${text}` });
  if ((m = /^must be (greater than or equal to|greater than|less than or equal to|less than) (\S+)$/.exec(bare))) return invalid(`should be ${m[1]} ${m[2]}`);
  if ((m = /^must be at least (\d+) characters long$/.exec(bare))) return invalid(`should be at least ${m[1]} chars long`);
  if ((m = /^may not be more than (\d+) characters long$/.exec(bare))) return { field, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${m[1]} bytes` };
  if ((m = /^Invalid value: .*: must match "(.*)"$/.exec(bare))) return invalid(`should match '${JSON.parse(`"${m[1]}"`) as string}'`);
  if ((m = /^must have at least (\d+) items$/.exec(bare))) return invalid(`should have at least ${m[1]} items`);
  if ((m = /^must have at most (\d+) items$/.exec(bare)))
    return { field, reason: 'FieldValueTooMany', message: `Too many: ${Array.isArray(value) ? value.length : 0}: must have at most ${m[1]} items` };
  if ((m = /^must have (at least|at most) (\d+) properties$/.exec(bare))) return invalid(`should have ${m[1]} ${m[2]} properties`);
  return invalid(bare);
}
