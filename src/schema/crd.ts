/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1) as registry entries, and the checks the
 * API server applies to a CRD before accepting it, in its words and field paths
 * (`properties[spec].type: Required value: ...`):
 *
 * - the definition itself (names, scope, one storage version, a schema per version; `crd/invalid`);
 * - the OpenAPI rules of apiextensions' CRD validation and `ValidateStructural` (`crd/structural`):
 *   types, forbidden keywords, value validations only inside allOf/anyOf/oneOf/not with the two
 *   int-or-string exceptions (`anyOf: [{type: integer}, {type: string}]` and that anyOf as the
 *   first allOf member), metadata at the root restricted to name and generateName, the
 *   `x-kubernetes-*` combinations (embedded resources, preserve-unknown-fields, list and map
 *   types, list-map keys), completeness (what a junctor names must exist outside it), patterns
 *   that compile as Go RE2;
 * - defaults (`crd/default`), checked only on a structural schema as the server does: each must
 *   validate against its schema and be pruned (no field the schema would drop);
 * - `x-kubernetes-validations` (`crd/validation-rule`): message, reason and fieldPath rules, and,
 *   where the schema is otherwise valid, that rules compile and that transition rules (oldSelf)
 *   sit where old and new values correlate; of the server's cost estimate, only the certain case
 *   (iteration nested over unbounded lists or maps) is decided.
 *
 * `crdFromObject` never fails on odd input: it returns what it can use, or undefined when the
 * object is not a usable CRD; `readCrd` adds the positioned diagnostics and marks a definition
 * with errors `invalid`, so that its kinds are "schema unavailable" rather than half-checked.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { KubeObject } from '../model/object-ref.js';
import type { JsonPath } from '../model/source.js';
import { analyzeExpression } from './cel.js';
import { compileSchema } from './compiled.js';
import { re2CompileError } from './re2.js';
import type { SchemaObject } from './types.js';
import { valueErrors } from './validate.js';

export interface CustomResourceVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: SchemaObject;
  /** `status`, `scale`, as declared in the version's subresources. */
  subresources: string[];
}

export interface CustomResourceDefinitionInfo {
  /** metadata.name: `<plural>.<group>`. */
  name: string;
  group: string;
  kind: string;
  listKind?: string;
  plural: string;
  singular?: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  versions: CustomResourceVersion[];
  /**
   * The API server would refuse the CRD (readCrd found errors): its kinds keep their names and
   * scope, but objects of them are reported as "schema unavailable", not validated.
   */
  invalid?: boolean;
}

export const CRD_GROUP = 'apiextensions.k8s.io';

export function isCrdObject(object: KubeObject): boolean {
  return object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${CRD_GROUP}/`);
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The registry entry for a CRD object; undefined when group, kind, plural or versions are missing. */
export function crdFromObject(object: KubeObject): CustomResourceDefinitionInfo | undefined {
  const spec = rec(object.spec);
  const names = rec(spec?.names);
  const group = str(spec?.group);
  const kind = str(names?.kind);
  const plural = str(names?.plural);
  if (!spec || !names || !group || !kind || !plural || !Array.isArray(spec.versions)) return undefined;
  const versions: CustomResourceVersion[] = [];
  for (const raw of spec.versions) {
    const v = rec(raw);
    const name = str(v?.name);
    if (!v || !name) continue;
    const version: CustomResourceVersion = {
      name,
      served: v.served === true,
      storage: v.storage === true,
      subresources: Object.keys(rec(v.subresources) ?? {}).sort(),
    };
    const schema = rec(rec(v.schema)?.openAPIV3Schema);
    if (schema) version.schema = schema as SchemaObject;
    versions.push(version);
  }
  const info: CustomResourceDefinitionInfo = {
    name: str(rec(object.metadata)?.name) ?? `${plural}.${group}`,
    group,
    kind,
    plural,
    shortNames: strs(names.shortNames),
    categories: strs(names.categories),
    namespaced: spec.scope !== 'Cluster',
    versions,
  };
  const singular = str(names.singular);
  if (singular) info.singular = singular;
  const listKind = str(names.listKind);
  if (listKind) info.listKind = listKind;
  return info;
}

// ---------------------------------------------------------------------------------------------
// Field paths and error bodies as k8s.io/apimachinery's field.Error prints them.

/** Schema keywords whose children are map keys, printed `properties[name]`. */
const KEYED = new Set(['properties', 'definitions', 'dependencies', 'patternProperties']);

/** `spec.versions[0].schema.openAPIV3Schema.properties[spec].type`: the server's path syntax. */
export function crdFieldPath(path: JsonPath): string {
  let out = '';
  let inSchema = false;
  let key = false;
  for (const p of path) {
    if (key) {
      out += `[${String(p)}]`;
      key = false;
    } else if (typeof p === 'number') out += `[${p}]`;
    else {
      out += out === '' ? p : `.${p}`;
      if (inSchema && KEYED.has(p)) key = true;
      if (p === 'openAPIV3Schema') inSchema = true;
    }
  }
  return out;
}

/** A value as field.Invalid prints it: strings quoted, scalars bare, the rest as JSON. */
function goValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const quoteAll = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

type RuleId = 'crd/structural' | 'crd/invalid' | 'crd/default' | 'crd/validation-rule';

interface Problem {
  rule: RuleId;
  path: JsonPath;
  body: string;
}

const required = (rule: RuleId, path: JsonPath, detail: string): Problem => ({ rule, path, body: detail ? `Required value: ${detail}` : 'Required value' });
const forbidden = (rule: RuleId, path: JsonPath, detail: string): Problem => ({ rule, path, body: `Forbidden: ${detail}` });
const invalid = (rule: RuleId, path: JsonPath, value: unknown, detail: string): Problem => ({ rule, path, body: `Invalid value: ${goValue(value)}: ${detail}` });
const notSupported = (rule: RuleId, path: JsonPath, value: unknown, valid: readonly string[]): Problem => ({
  rule,
  path,
  body: `Unsupported value: ${goValue(value)}: supported values: ${quoteAll(valid)}`,
});

// ---------------------------------------------------------------------------------------------
// The OpenAPI rules of apiextensions' CRD validation (ValidateCustomResourceDefinitionOpenAPISchema).

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
/** Root keywords allowed when the status subresource is on (status is cut out as properties[status]). */
const ROOT_WITH_STATUS = new Set([
  'description', 'type', 'format', 'title', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'required', 'items', 'properties', 'externalDocs', 'example',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
]);
const ROOT_WITH_STATUS_GO = '[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]';

interface OpenApiContext {
  allowDefaults: boolean;
  disallowDefaultsReason?: string;
  insideResourceMeta: boolean;
  /** Where old and new values stop correlating (atomic maps, non-map lists): oldSelf is refused below. */
  uncorrelatable?: JsonPath;
  /** Rules are compiled only in the structural part of a schema (never under junctors). */
  cel: boolean;
}

interface OpenApiErrors {
  schema: Problem[];
  cel: Problem[];
}

const hasNewlines = (s: string) => /[\n\r]/.test(s);

class OpenApiChecker {
  /** Rules whose estimated cost is far over the per-rule budget (they also break the schema's total). */
  readonly overBudget: JsonPath[] = [];
  /** Whether CEL rules are compiled at all: only when the schema is structural and its defaults valid. */
  constructor(readonly compileRules: boolean) {}

  check(s: Rec, path: JsonPath, ctx: OpenApiContext, isRoot: boolean): OpenApiErrors {
    const out: OpenApiErrors = { schema: [], cel: [] };
    const merge = (e: OpenApiErrors) => {
      out.schema.push(...e.schema);
      out.cel.push(...e.cel);
    };
    out.schema.push(...this.standard(s, path, ctx));
    if (s.uniqueItems === true)
      out.schema.push(forbidden('crd/structural', [...path, 'uniqueItems'], 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
    const props = rec(s.properties);
    const hasProps = props !== undefined && Object.keys(props).length > 0;
    if (s.additionalProperties !== undefined) {
      if (hasProps && (s.additionalProperties === false || rec(s.additionalProperties)))
        out.schema.push(forbidden('crd/structural', [...path, 'additionalProperties'], 'additionalProperties and properties are mutual exclusive'));
      const child = rec(s.additionalProperties);
      if (child) {
        const sub = ctx.insideResourceMeta ? { ...ctx, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ctx;
        merge(this.check(child, [...path, 'additionalProperties'], sub, false));
      }
    }
    if (props) {
      for (const [name, raw] of Object.entries(props)) {
        const child = rec(raw);
        if (!child) continue;
        let sub: OpenApiContext = ctx;
        if (s['x-kubernetes-map-type'] === 'atomic' && !sub.uncorrelatable) sub = { ...sub, uncorrelatable: path };
        if ((isRoot || s['x-kubernetes-embedded-resource'] === true) && META_FIELDS.has(name)) {
          sub = { ...sub, insideResourceMeta: true };
          if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` };
        }
        merge(this.check(child, [...path, 'properties', name], sub, false));
      }
    }
    const noCel = { ...ctx, cel: false };
    const not = rec(s.not);
    if (not) merge(this.check(not, [...path, 'not'], noCel, false));
    for (const j of ['allOf', 'oneOf', 'anyOf'] as const) {
      const list = s[j];
      if (Array.isArray(list)) list.forEach((c, i) => rec(c) && merge(this.check(rec(c)!, [...path, j, i], noCel, false)));
    }
    for (const k of ['definitions', 'dependencies'] as const) {
      const defs = rec(s[k]);
      if (defs) for (const [name, c] of Object.entries(defs)) if (rec(c)) merge(this.check(rec(c)!, [...path, k, name], noCel, false));
    }
    if (s.items !== undefined) {
      const sub = s['x-kubernetes-list-type'] !== 'map' && !ctx.uncorrelatable ? { ...ctx, uncorrelatable: path } : ctx;
      const items = rec(s.items);
      if (items) merge(this.check(items, [...path, 'items'], sub, false));
      else if (Array.isArray(s.items)) s.items.forEach((c, i) => rec(c) && merge(this.check(rec(c)!, [...path, 'items', i], sub, false)));
    }
    out.schema.push(...this.extensions(s, path));
    out.schema.push(...this.listMapKeysMapSet(s, path));
    const rules = s['x-kubernetes-validations'];
    if (Array.isArray(rules) && rules.length > 0) {
      out.schema.push(...this.ruleShapes(rules, s, path));
      // As the server: no CEL errors where the schema has errors here or below (they would mislead).
      if (out.schema.length === 0 && ctx.cel && this.compileRules) out.cel.push(...this.compile(rules, s, path, ctx));
    }
    return out;
  }

  /** specStandardValidatorV3: keywords the API server does not support. */
  standard(s: Rec, path: JsonPath, ctx: OpenApiContext): Problem[] {
    const out: Problem[] = [];
    const type = s.type;
    if (type !== undefined && type !== '' && (typeof type !== 'string' || !OPENAPI_TYPES.includes(type)))
      out.push(notSupported('crd/structural', [...path, 'type'], type, OPENAPI_TYPES));
    if (s.default !== undefined && !ctx.allowDefaults)
      out.push(forbidden('crd/default', [...path, 'default'], ctx.disallowDefaultsReason ? `must not be set ${ctx.disallowDefaultsReason}` : 'must not be set'));
    if (s.id !== undefined && s.id !== '') out.push(forbidden('crd/structural', [...path, 'id'], 'id is not supported'));
    if (s.additionalItems !== undefined) out.push(forbidden('crd/structural', [...path, 'additionalItems'], 'additionalItems is not supported'));
    if (rec(s.patternProperties) && Object.keys(rec(s.patternProperties)!).length > 0)
      out.push(forbidden('crd/structural', [...path, 'patternProperties'], 'patternProperties is not supported'));
    if (rec(s.definitions) && Object.keys(rec(s.definitions)!).length > 0) out.push(forbidden('crd/structural', [...path, 'definitions'], 'definitions is not supported'));
    if (s.dependencies !== undefined) out.push(forbidden('crd/structural', [...path, 'dependencies'], 'dependencies is not supported'));
    if (s.$ref !== undefined) out.push(forbidden('crd/structural', [...path, '$ref'], '$ref is not supported'));
    if (s.$schema !== undefined) out.push(forbidden('crd/structural', [...path, '$schema'], '$schema is not supported'));
    if (type === 'null') out.push(forbidden('crd/structural', [...path, 'type'], 'type cannot be set to null, use nullable as an alternative'));
    if (Array.isArray(s.items) && s.items.length > 0) out.push(forbidden('crd/structural', [...path, 'items'], 'items must be a schema object and not an array'));
    if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource'] === true)
      out.push(forbidden('crd/structural', [...path, 'x-kubernetes-embedded-resource'], 'must not be used inside of resource meta'));
    return out;
  }

  extensions(s: Rec, path: JsonPath): Problem[] {
    const out: Problem[] = [];
    const type = typeof s.type === 'string' ? s.type : '';
    if (s['x-kubernetes-preserve-unknown-fields'] === false)
      out.push(invalid('crd/structural', [...path, 'x-kubernetes-preserve-unknown-fields'], false, 'must be true or undefined'));
    const mapType = s['x-kubernetes-map-type'];
    if (mapType !== undefined && type !== 'object')
      out.push(
        type === ''
          ? required('crd/structural', [...path, 'type'], 'must be object if x-kubernetes-map-type is specified')
          : invalid('crd/structural', [...path, 'type'], type, 'must be object if x-kubernetes-map-type is specified'),
      );
    if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular')
      out.push(notSupported('crd/structural', [...path, 'x-kubernetes-map-type'], mapType, ['atomic', 'granular']));
    const listType = s['x-kubernetes-list-type'];
    const items = rec(s.items);
    if (listType !== undefined && type !== 'array') {
      out.push(
        type === ''
          ? required('crd/structural', [...path, 'type'], 'must be array if x-kubernetes-list-type is specified')
          : invalid('crd/structural', [...path, 'type'], type, 'must be array if x-kubernetes-list-type is specified'),
      );
    } else if (listType === 'set' && items) {
      if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic')
        out.push(invalid('crd/structural', [...path, 'items', 'x-kubernetes-list-type'], items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
      if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic')
        out.push(invalid('crd/structural', [...path, 'items', 'x-kubernetes-map-type'], items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map')
      out.push(notSupported('crd/structural', [...path, 'x-kubernetes-list-type'], listType, ['atomic', 'set', 'map']));
    const keys = Array.isArray(s['x-kubernetes-list-map-keys']) ? (s['x-kubernetes-list-map-keys'] as unknown[]) : [];
    if (keys.length > 0) {
      if (listType === undefined)
        out.push(required('crd/structural', [...path, 'x-kubernetes-list-type'], 'must be map if x-kubernetes-list-map-keys is non-empty'));
      else if (listType !== 'map') out.push(invalid('crd/structural', [...path, 'x-kubernetes-list-type'], listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
    }
    if (listType === 'map') {
      if (keys.length === 0) out.push(required('crd/structural', [...path, 'x-kubernetes-list-map-keys'], 'must not be empty if x-kubernetes-list-type is map'));
      if (s.items === undefined) out.push(required('crd/structural', [...path, 'items'], 'must have a schema if x-kubernetes-list-type is map'));
      else if (!items) out.push(invalid('crd/structural', [...path, 'items'], s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
      else if (items.type !== 'object') out.push(invalid('crd/structural', [...path, 'items', 'type'], items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
      else {
        const itemProps = rec(items.properties) ?? {};
        const seen = new Set<unknown>();
        for (const k of keys) {
          const p = typeof k === 'string' && Object.hasOwn(itemProps, k) ? rec(itemProps[k]) : undefined;
          if (p) {
            if (p.type === 'array' || p.type === 'object')
              // The server prints the item's type here, not the key's (sic).
              out.push(invalid('crd/structural', [...path, 'items', 'properties', k as string, 'type'], items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          } else out.push(invalid('crd/structural', [...path, 'x-kubernetes-list-map-keys'], keys, 'entries must all be names of item properties'));
          if (seen.has(k)) out.push(invalid('crd/structural', [...path, 'x-kubernetes-list-map-keys'], keys, 'must not contain duplicate entries'));
          seen.add(k);
        }
      }
    }
    return out;
  }

  /** Map and set lists: items not nullable; list-map keys required or defaulted, never nullable. */
  listMapKeysMapSet(s: Rec, path: JsonPath): Problem[] {
    const listType = s['x-kubernetes-list-type'];
    const items = rec(s.items);
    if (!items || (listType !== 'set' && listType !== 'map')) return [];
    const out: Problem[] = [];
    if (items.nullable === true) out.push(forbidden('crd/structural', [...path, 'items', 'nullable'], `cannot be nullable when x-kubernetes-list-type is ${listType}`));
    if (listType === 'map') {
      const req = new Set(strs(items.required));
      const props = rec(items.properties) ?? {};
      for (const k of strs(s['x-kubernetes-list-map-keys'])) {
        const p = Object.hasOwn(props, k) ? rec(props[k]) : undefined;
        if (!p) continue;
        if (!req.has(k) && p.default === undefined)
          out.push(required('crd/structural', [...path, 'items', 'properties', k, 'default'], 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
        if (p.nullable === true) out.push(forbidden('crd/structural', [...path, 'items', 'properties', k, 'nullable'], 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
    return out;
  }

  ruleShapes(rules: unknown[], s: Rec, path: JsonPath): Problem[] {
    const out: Problem[] = [];
    rules.forEach((raw, i) => {
      const r = rec(raw) ?? {};
      const at = (k: string): JsonPath => [...path, 'x-kubernetes-validations', i, k];
      const rule = typeof r.rule === 'string' ? r.rule : '';
      const message = typeof r.message === 'string' ? r.message : '';
      const trimmedMsg = message.trim();
      if (rule.trim() === '') out.push(required('crd/validation-rule', at('rule'), 'rule is not specified'));
      else if (message.length > 0 && trimmedMsg.length === 0) out.push(invalid('crd/validation-rule', at('message'), message, 'message must be non-empty if specified'));
      else if (hasNewlines(trimmedMsg)) out.push(invalid('crd/validation-rule', at('message'), message, 'message must not contain line breaks'));
      else if (hasNewlines(rule.trim()) && trimmedMsg.length === 0) out.push(required('crd/validation-rule', at('message'), 'message must be specified if rule contains line breaks'));
      const msgExpr = typeof r.messageExpression === 'string' ? r.messageExpression : '';
      if (msgExpr.length > 0 && msgExpr.trim().length === 0) out.push(required('crd/validation-rule', at('messageExpression'), 'messageExpression must be non-empty if specified'));
      if (r.reason !== undefined && (typeof r.reason !== 'string' || !REASONS.includes(r.reason))) out.push(notSupported('crd/validation-rule', at('reason'), r.reason, REASONS));
      const fieldPath = typeof r.fieldPath === 'string' ? r.fieldPath : '';
      if (fieldPath.length > 0 && fieldPath.trim().length === 0) out.push(invalid('crd/validation-rule', at('fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
      if (hasNewlines(fieldPath)) out.push(invalid('crd/validation-rule', at('fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
      if (fieldPath.length > 0 && !fieldPathValid(s, fieldPath)) out.push(invalid('crd/validation-rule', at('fieldPath'), fieldPath, 'fieldPath must be a valid path'));
    });
    return out;
  }

  compile(rules: unknown[], s: Rec, path: JsonPath, ctx: OpenApiContext): Problem[] {
    const out: Problem[] = [];
    rules.forEach((raw, i) => {
      const r = rec(raw) ?? {};
      const at = (k: string): JsonPath => [...path, 'x-kubernetes-validations', i, k];
      const rule = typeof r.rule === 'string' ? r.rule.trim() : '';
      if (rule === '') return;
      const facts = analyzeExpression(rule);
      if (facts === undefined) return; // no engine: rules are reported "not checked" when evaluated
      if ('error' in facts) out.push(invalid('crd/validation-rule', at('rule'), r, `compilation failed: ${facts.error}`));
      if (typeof r.messageExpression === 'string' && r.messageExpression.trim() !== '') {
        const m = analyzeExpression(r.messageExpression);
        if (m && 'error' in m) out.push(invalid('crd/validation-rule', at('messageExpression'), r, `messageExpression compilation failed: ${m.error}`));
      }
      if ('error' in facts) return;
      if (nestedUnboundedIteration(facts.expr, s)) {
        out.push(forbidden('crd/validation-rule', at('rule'), `estimated rule cost exceeds budget by factor of more than 100x ${COST_HINT}`));
        this.overBudget.push(at('rule'));
      }
      if (facts.usesOldSelf) {
        if (ctx.uncorrelatable)
          out.push(invalid('crd/validation-rule', at('rule'), r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${crdFieldPath(ctx.uncorrelatable)}`));
      } else if (r.optionalOldSelf !== undefined) out.push(invalid('crd/validation-rule', at('optionalOldSelf'), r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    });
    return out;
  }
}

const COST_HINT = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';

/**
 * The one case of the server's CEL cost estimate kd decides: a comprehension (all, exists, map,
 * filter...) nested in another, both over lists or maps without maxItems/maxProperties. The
 * server bounds such a list by the request size (about a million elements), so the estimate is
 * at least 10^12 against a budget of 10^7 per rule and 10^8 per schema: "more than 100x" both.
 * Ranges kd cannot resolve to the schema count as bounded, so this never reports wrongly.
 */
function nestedUnboundedIteration(expr: unknown, self: Rec): boolean {
  const resolve = (e: unknown, vars: Map<string, Rec | undefined>): Rec | undefined => {
    const kind = rec(rec(e)?.exprKind);
    const v = rec(kind?.value);
    if (kind?.case === 'identExpr') return v?.name === 'self' ? self : vars.get(String(v?.name));
    if (kind?.case === 'selectExpr' && v?.testOnly !== true) {
      const props = rec(resolve(v?.operand, vars)?.properties);
      const field = String(v?.field);
      return props && Object.hasOwn(props, field) ? rec(props[field]) : undefined;
    }
    return undefined;
  };
  const unbounded = (s: Rec | undefined): boolean =>
    s !== undefined && ((s.type === 'array' && s.maxItems === undefined) || (s.type === 'object' && rec(s.additionalProperties) !== undefined && s.maxProperties === undefined));
  const visit = (e: unknown, depth: number, vars: Map<string, Rec | undefined>): boolean => {
    const kind = rec(rec(e)?.exprKind);
    const v = rec(kind?.value);
    if (!kind || !v) return false;
    if (kind.case === 'comprehensionExpr') {
      const range = resolve(v.iterRange, vars);
      const inner = depth + (unbounded(range) ? 1 : 0);
      if (inner >= 2) return true;
      const element = range?.type === 'array' ? rec(range.items) : range?.type === 'object' ? { type: 'string' } : undefined;
      const scoped = new Map(vars).set(String(v.iterVar), element);
      return visit(v.iterRange, depth, vars) || visit(v.accuInit, depth, vars) || visit(v.loopCondition, inner, scoped) || visit(v.loopStep, inner, scoped) || visit(v.result, depth, vars);
    }
    if (kind.case === 'callExpr') return visit(v.target, depth, vars) || (Array.isArray(v.args) && v.args.some((a) => visit(a, depth, vars)));
    if (kind.case === 'selectExpr') return visit(v.operand, depth, vars);
    if (kind.case === 'listExpr') return Array.isArray(v.elements) && v.elements.some((a) => visit(a, depth, vars));
    return false;
  };
  return visit(expr, 0, new Map());
}

/** Whether a rule's fieldPath (`.spec.x['a.b'][0]`) names a field the schema has. */
function fieldPathValid(schema: Rec, fieldPath: string): boolean {
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*(\d+)\s*\]/y;
  let s: Rec | undefined = schema;
  let at = 0;
  while (at < fieldPath.length) {
    re.lastIndex = at;
    const m = re.exec(fieldPath);
    if (!m || !s) return false;
    at = re.lastIndex;
    if (m[3] !== undefined) {
      s = rec(s.items);
      continue;
    }
    const name = m[1] ?? m[2]!.replace(/\\(.)/g, '$1');
    const props = rec(s.properties);
    if (props && Object.hasOwn(props, name)) s = rec(props[name]);
    else if (rec(s.additionalProperties)) s = rec(s.additionalProperties);
    else if (s['x-kubernetes-preserve-unknown-fields'] === true) return true;
    else return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// ValidateStructural: invariants of the structural part and of value validations in junctors.

type Level = 'root' | 'item' | 'field';

const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

/** `anyOf: [{type: integer}, {type: string}]`, each member holding nothing but its type. */
function isIntOrStringAnyOf(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const [a, b] = anyOf.map(rec);
  const only = (x: Rec | undefined, t: string) => x !== undefined && x.type === t && Object.keys(x).length === 1;
  return only(a, 'integer') && only(b, 'string');
}

/** Keys a NestedValueValidation may not hold, with the server's detail for each. */
const NESTED_FORBIDDEN: ReadonlyArray<[string, string]> = [
  ['type', 'must be empty to be structural'],
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['externalDocs', 'must be undefined to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];
const NESTED_FALSE = ['nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'];

/** The parts of a schema that a Structural keeps; what metadata at the root may not hold. */
const NOT_STRUCTURAL = new Set(['example', '$schema', 'id', '$ref', 'definitions', 'dependencies', 'patternProperties', 'additionalItems']);

class StructuralChecker {
  readonly out: Problem[] = [];

  invariants(s: Rec, lvl: Level, path: JsonPath): void {
    const type = typeof s.type === 'string' ? s.type : '';
    const intOrString = s['x-kubernetes-int-or-string'] === true;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    if (type === 'array' && s.items === undefined) this.out.push(required('crd/structural', [...path, 'items'], 'must be specified'));
    const items = rec(s.items);
    if (items) this.invariants(items, 'item', [...path, 'items']);
    const props = rec(s.properties) ?? {};
    for (const [k, v] of Object.entries(props)) if (rec(v)) this.invariants(rec(v)!, 'field', [...path, 'properties', k]);
    if (s.additionalProperties !== undefined) {
      if (lvl === 'root') this.out.push(forbidden('crd/structural', [...path, 'additionalProperties'], 'must not be used at the root'));
      const ap = rec(s.additionalProperties);
      if (ap) this.invariants(ap, 'field', [...path, 'additionalProperties']);
    }
    if (intOrString && preserve) this.out.push(invalid('crd/structural', [...path, 'x-kubernetes-preserve-unknown-fields'], true, 'must be false if x-kubernetes-int-or-string is true'));
    if (intOrString && embedded) this.out.push(invalid('crd/structural', [...path, 'x-kubernetes-embedded-resource'], true, 'must be false if x-kubernetes-int-or-string is true'));
    const allOf = Array.isArray(s.allOf) ? s.allOf : [];
    this.valueValidation(s, isIntOrStringAnyOf(s.anyOf), allOf.length > 0 && isIntOrStringAnyOf(rec(allOf[0])?.anyOf), path);
    const checkMetadata = lvl === 'root' || embedded;
    if (embedded && type !== 'object') {
      this.out.push(
        type === ''
          ? required('crd/structural', [...path, 'type'], 'must be object if x-kubernetes-embedded-resource is true')
          : invalid('crd/structural', [...path, 'type'], type, 'must be object if x-kubernetes-embedded-resource is true'),
      );
    } else if (type === '' && !intOrString && !preserve) {
      const where = lvl === 'root' ? 'at the root' : lvl === 'item' ? 'for specified array items' : 'for specified object fields';
      this.out.push(required('crd/structural', [...path, 'type'], `must not be empty ${where}`));
    }
    if (embedded && s.additionalProperties !== undefined)
      this.out.push(forbidden('crd/structural', [...path, 'additionalProperties'], 'must not be used if x-kubernetes-embedded-resource is set'));
    if (lvl === 'root' && type !== '' && type !== 'object') this.out.push(invalid('crd/structural', [...path, 'type'], type, 'must be object at the root'));
    for (const k of ['kind', 'apiVersion']) {
      const p = rec(props[k]);
      if (p && checkMetadata && p.type !== 'string') this.out.push(invalid('crd/structural', [...path, 'properties', k, 'type'], p.type ?? '', 'must be string'));
    }
    const meta = rec(props.metadata);
    if (meta) this.metadata(meta, checkMetadata, lvl, [...path, 'properties', 'metadata']);
    if (embedded && !preserve && Object.keys(props).length === 0)
      this.out.push(required('crd/structural', [...path, 'properties'], 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }

  metadata(s: Rec, checkMetadata: boolean, lvl: Level, path: JsonPath): void {
    if (checkMetadata && s.type !== 'object') this.out.push(invalid('crd/structural', [...path, 'type'], s.type ?? '', 'must be object'));
    if (lvl !== 'root') return;
    const props = rec(s.properties) ?? {};
    const names = Object.keys(props);
    const onlyNames = names.length > 0 && names.every((n) => n === 'name' || n === 'generateName');
    for (const k of Object.keys(s)) {
      if (k === 'type' || k === 'default' || NOT_STRUCTURAL.has(k)) continue;
      if (k === 'properties' && (onlyNames || names.length === 0)) continue;
      if (k === 'required' && strs(s.required).length === 0) continue;
      if (s[k] === false || (k === 'x-kubernetes-validations' && Array.isArray(s[k]) && (s[k] as unknown[]).length === 0)) continue;
      this.out.push(forbidden('crd/structural', path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
      return;
    }
  }

  valueValidation(s: Rec, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: JsonPath): void {
    if (!skipAnyOf && Array.isArray(s.anyOf)) s.anyOf.forEach((c, i) => this.nested(rec(c), false, [...path, 'anyOf', i]));
    if (Array.isArray(s.allOf)) s.allOf.forEach((c, i) => this.nested(rec(c), skipFirstAllOfAnyOf && i === 0, [...path, 'allOf', i]));
    if (Array.isArray(s.oneOf)) s.oneOf.forEach((c, i) => this.nested(rec(c), false, [...path, 'oneOf', i]));
    if (s.not !== undefined) this.nested(rec(s.not), false, [...path, 'not']);
    if (typeof s.pattern === 'string' && s.pattern !== '') {
      const err = re2CompileError(s.pattern);
      if (err) this.out.push(invalid('crd/structural', [...path, 'pattern'], s.pattern, `must be a valid regular expression, but isn't: ${err}`));
    }
  }

  nested(v: Rec | undefined, skipAnyOf: boolean, path: JsonPath): void {
    if (!v) return;
    this.valueValidation(v, skipAnyOf, false, path);
    const items = rec(v.items);
    if (items) this.nested(items, false, [...path, 'items']);
    const props = rec(v.properties) ?? {};
    for (const [k, c] of Object.entries(props)) this.nested(rec(c), false, [...path, 'properties', k]);
    for (const [k, detail] of NESTED_FORBIDDEN) {
      const x = v[k];
      if (x === undefined || x === '' || (Array.isArray(x) && x.length === 0)) continue;
      this.out.push(forbidden('crd/structural', [...path, k], detail));
    }
    if (v.additionalProperties !== undefined) this.out.push(forbidden('crd/structural', [...path, 'additionalProperties'], 'must be undefined to be structural'));
    for (const k of NESTED_FALSE) if (v[k] === true) this.out.push(forbidden('crd/structural', [...path, k], 'must be false to be structural'));
    if (Object.hasOwn(props, 'metadata')) this.out.push(forbidden('crd/structural', [...path, 'properties', 'metadata'], 'must not be specified in a nested context'));
  }

  /** Every field or array a junctor names is specified outside of it, at the same place. */
  completeness(v: Rec, s: Rec | undefined, sPath: JsonPath, vPath: JsonPath): void {
    if (!s) {
      this.out.push(required('crd/structural', sPath, `because it is defined in ${crdFieldPath(vPath)}`));
      return;
    }
    const not = rec(v.not);
    if (not) this.nestedCompleteness(not, s, sPath, [...vPath, 'not']);
    for (const j of JUNCTORS) {
      const list = v[j];
      if (Array.isArray(list)) list.forEach((c, i) => rec(c) && this.nestedCompleteness(rec(c)!, s, sPath, [...vPath, j, i]));
    }
  }

  nestedCompleteness(v: Rec, s: Rec | undefined, sPath: JsonPath, vPath: JsonPath): void {
    if (!s) {
      this.out.push(required('crd/structural', sPath, `because it is defined in ${crdFieldPath(vPath)}`));
      return;
    }
    this.completeness(v, s, sPath, vPath);
    const vItems = rec(v.items);
    if (vItems) this.nestedCompleteness(vItems, rec(s.items), [...sPath, 'items'], [...vPath, 'items']);
    const sProps = rec(s.properties) ?? {};
    for (const [k, c] of Object.entries(rec(v.properties) ?? {})) {
      const vc = rec(c);
      if (!vc) continue;
      if (!Object.hasOwn(sProps, k)) this.out.push(required('crd/structural', [...sPath, 'properties', k], `because it is defined in ${crdFieldPath([...vPath, 'properties', k])}`));
      else this.nestedCompleteness(vc, rec(sProps[k]), [...sPath, 'properties', k], [...vPath, 'properties', k]);
    }
  }


}

// ---------------------------------------------------------------------------------------------
// Defaults (structuraldefaulting.ValidateDefaults): valid against their schema, and pruned.

const ANY_OBJECT = compileSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, { components: {}, semantics: 'crd', cache: new Map() });

/** The value as the API server's pruning would leave it under schema `s`. */
function prune(value: unknown, s: Rec | undefined, resourceRoot: boolean): unknown {
  if (!s) return value;
  if (Array.isArray(value)) return value.map((v) => prune(v, rec(s.items), false));
  const obj = rec(value);
  if (!obj) return value;
  const embedded = resourceRoot || s['x-kubernetes-embedded-resource'] === true;
  const props = rec(s.properties) ?? {};
  const ap = s.additionalProperties;
  const out: Rec = {};
  for (const [k, v] of Object.entries(obj)) {
    if (Object.hasOwn(props, k)) out[k] = prune(v, rec(props[k]), false);
    else if (embedded && META_FIELDS.has(k)) out[k] = v;
    else if (rec(ap)) out[k] = prune(v, rec(ap), false);
    else if (ap === true || s['x-kubernetes-preserve-unknown-fields'] === true) out[k] = v;
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkDefaults(s: Rec, path: JsonPath, embeddedRoot: boolean, insideMeta: boolean, out: Problem[]): void {
  const embedded = embeddedRoot || s['x-kubernetes-embedded-resource'] === true;
  if (embedded) insideMeta = false;
  if (s.default !== undefined) {
    const value = s.default;
    if (!insideMeta && !sameJson(prune(value, s, embedded), value))
      out.push(invalid('crd/default', [...path, 'default'], value, 'must not have unknown fields'));
    const node = compileSchema(s as SchemaObject, { components: {}, semantics: 'crd', cache: new Map() });
    for (const e of valueErrors(value, node, ANY_OBJECT, 'default')) out.push(invalid('crd/default', [...path, 'default'], value, e.message));
  }
  // additionalProperties are not followed: defaults there are ambiguous to prune, the server skips them.
  const items = rec(s.items);
  if (items) checkDefaults(items, [...path, 'items'], false, insideMeta, out);
  for (const [k, c] of Object.entries(rec(s.properties) ?? {})) {
    const child = rec(c);
    if (child) checkDefaults(child, [...path, 'properties', k], false, insideMeta || (embedded && META_FIELDS.has(k)), out);
  }
}

// ---------------------------------------------------------------------------------------------
// The definition and the whole check.

class CrdChecker {
  readonly out: Diagnostic[] = [];
  /** A field the published CRD schema requires is absent: invalid, reported there (schema/required). */
  missingRequired = false;
  constructor(
    readonly manifest: Manifest,
    readonly requiredReportedElsewhere: boolean,
  ) {}

  /**
   * A required definition field: when absent and the object is also validated against the CRD
   * schema, that reports it (`schema/required`), so it is not said twice; otherwise here.
   */
  missing(path: JsonPath, value: unknown): void {
    if (value === undefined && this.requiredReportedElsewhere) this.missingRequired = true;
    else this.push(required('crd/invalid', path, ''));
  }

  push(p: Problem): void {
    const m = this.manifest;
    const target = existing(m.object, p.path);
    this.out.push({
      severity: 'error',
      rule: p.rule,
      message: `${crdFieldPath(p.path)}: ${p.body}`,
      file: m.file,
      range: m.locate(target.path, target.complete ? (p.body.startsWith('Invalid value') || p.body.startsWith('Unsupported') ? 'value' : 'key') : 'key'),
      object: m.ref,
      path: [...p.path],
      documentIndex: m.documentIndex,
    });
  }

  definition(object: KubeObject): void {
    const spec = rec(object.spec);
    if (!spec) return this.missing(['spec'], object.spec);
    const names = rec(spec.names);
    if (!str(spec.group)) this.missing(['spec', 'group'], spec.group);
    if (!names) this.missing(['spec', 'names'], spec.names);
    else {
      if (!str(names.kind)) this.missing(['spec', 'names', 'kind'], names.kind);
      if (!str(names.plural)) this.missing(['spec', 'names', 'plural'], names.plural);
      else if (str(spec.group) && str(rec(object.metadata)?.name) && rec(object.metadata)!.name !== `${names.plural as string}.${spec.group as string}`)
        this.push(invalid('crd/invalid', ['metadata', 'name'], rec(object.metadata)!.name, `must be spec.names.plural+"."+spec.group`));
    }
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
      if (spec.scope === undefined) this.missing(['spec', 'scope'], spec.scope);
      else this.push(notSupported('crd/invalid', ['spec', 'scope'], spec.scope, ['Cluster', 'Namespaced']));
    if (spec.preserveUnknownFields === true)
      this.push(invalid('crd/invalid', ['spec', 'preserveUnknownFields'], true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
    if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
      this.push(invalid('crd/invalid', ['spec', 'versions'], spec.versions ?? null, 'must have exactly one version marked as storage version'));
      return;
    }
    const storage = spec.versions.filter((v) => rec(v)?.storage === true).length;
    if (storage !== 1) this.push(invalid('crd/invalid', ['spec', 'versions'], spec.versions.map((v) => rec(v)?.name), 'must have exactly one version marked as storage version'));
    spec.versions.forEach((raw, i) => {
      const v = rec(raw);
      const base: JsonPath = ['spec', 'versions', i];
      if (!v || !str(v.name)) return this.missing([...base, 'name'], v?.name);
      const schema = rec(rec(v.schema)?.openAPIV3Schema);
      if (!schema) return this.push(required('crd/invalid', [...base, 'schema', 'openAPIV3Schema'], 'schemas are required'));
      this.schema(schema, [...base, 'schema'], rec(rec(v.subresources)?.status) !== undefined);
    });
  }

  /** validateCustomResourceDefinitionValidation for one version's schema. */
  schema(schema: Rec, base: JsonPath, statusSubresource: boolean): void {
    const path: JsonPath = [...base, 'openAPIV3Schema'];
    const errors: Problem[] = [];
    if (statusSubresource) {
      if (schema.type !== undefined && schema.type !== 'object')
        errors.push(invalid('crd/structural', [...path, 'type'], schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
      else if (Object.keys(schema).some((k) => !ROOT_WITH_STATUS.has(k) && schema[k] !== false && schema[k] !== undefined))
        errors.push(invalid('crd/structural', path, '', `only ${ROOT_WITH_STATUS_GO} fields are allowed at the root of the schema if the status subresource is enabled`));
    }
    if (schema.nullable === true) errors.push(forbidden('crd/structural', [...path, 'nullable'], 'nullable cannot be true at the root'));
    const structural = new StructuralChecker();
    structural.invariants(schema, 'root', path);
    // As the server: completeness starts from the root's junctors (and follows what they name).
    structural.completeness(schema, schema, path, path);
    let celAllowed = false;
    if (structural.out.length > 0) errors.push(...structural.out);
    else {
      const defaults: Problem[] = [];
      checkDefaults(schema, path, true, false, defaults);
      errors.push(...defaults);
      celAllowed = defaults.length === 0;
    }
    const checker = new OpenApiChecker(celAllowed);
    const openapi = checker.check(schema, path, { allowDefaults: true, insideResourceMeta: false, cel: true }, true);
    errors.push(...openapi.schema, ...openapi.cel);
    if (checker.overBudget.length > 0) {
      for (const p of checker.overBudget) errors.push(forbidden('crd/validation-rule', p, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
      errors.push(forbidden('crd/validation-rule', path, `x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${COST_HINT}`));
    }
    // One problem is one diagnostic, even where two of the server's checks word it alike.
    const seen = new Set<string>();
    for (const e of errors) {
      const key = `${crdFieldPath(e.path)}\u0000${e.body}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.push(e);
    }
  }
}

/** The longest prefix of `path` that exists in `object`, and whether it is all of it. */
function existing(object: unknown, path: JsonPath): { path: JsonPath; complete: boolean } {
  let cur: unknown = object;
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    const next = Array.isArray(cur) && typeof p === 'number' ? cur[p] : rec(cur) && Object.hasOwn(rec(cur)!, String(p)) ? rec(cur)![String(p)] : undefined;
    if (next === undefined) return { path: path.slice(0, i), complete: false };
    cur = next;
  }
  return { path, complete: true };
}

/**
 * What a CRD too broken for `crdFromObject` (no plural, say) still tells: its group, kind and
 * version names, enough for its objects to be "schema unavailable" rather than of an unknown kind.
 */
function brokenDefinition(object: KubeObject): CustomResourceDefinitionInfo | undefined {
  const spec = rec(object.spec);
  const group = str(spec?.group);
  const kind = str(rec(spec?.names)?.kind);
  const versions = Array.isArray(spec?.versions) ? spec.versions.map((v) => str(rec(v)?.name)).filter((n): n is string => n !== undefined) : [];
  if (!group || !kind || versions.length === 0) return undefined;
  return {
    name: str(rec(object.metadata)?.name) ?? `${kind.toLowerCase()}s.${group}`,
    group,
    kind,
    plural: str(rec(spec?.names)?.plural) ?? `${kind.toLowerCase()}s`,
    shortNames: [],
    categories: [],
    namespaced: spec?.scope !== 'Cluster',
    versions: versions.map((name) => ({ name, served: true, storage: false, subresources: [] })),
    invalid: true,
  };
}

/**
 * Reads a CRD manifest: the registry entry (when usable) and every problem, positioned. A
 * definition with errors comes back marked `invalid`: the server would not serve its kinds.
 */
export function readCrd(
  manifest: Manifest,
  options: {
    /** The CRD object is also validated against its published schema, which reports absent required fields. */
    schemaValidated?: boolean;
  } = {},
): { definition?: CustomResourceDefinitionInfo; diagnostics: Diagnostic[] } {
  const checker = new CrdChecker(manifest, options.schemaValidated === true);
  checker.definition(manifest.object);
  const hasErrors = checker.missingRequired || checker.out.some((d) => d.severity === 'error');
  const definition = crdFromObject(manifest.object) ?? (hasErrors ? brokenDefinition(manifest.object) : undefined);
  if (!definition) return { diagnostics: checker.out };
  if (hasErrors) definition.invalid = true;
  return { definition, diagnostics: checker.out };
}
