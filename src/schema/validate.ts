/**
 * Validation of one manifest against its kind's compiled schema, with kube-apiserver's
 * semantics rather than plain JSON Schema: unknown fields (errors when strict, as with
 * `--validate=strict`), int-or-string, Quantity, preserve-unknown-fields, embedded resources,
 * list-type map/set uniqueness, nullable, formats and integer ranges, and CEL rules.
 *
 * Invariants: one pass over the value, no allocation on the happy path beyond the path stack;
 * positions are asked of `manifest.locate` only for problems found (unknown field → its key,
 * bad value → the value, missing field → the parent's key). Never throws on user input.
 */
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { GroupVersionKind } from '../model/object-ref.js';
import { toFieldPath, type JsonPath } from '../model/source.js';
import { compiledRules, evaluateRule, toCel } from './cel.js';
import { T_ARRAY, T_BOOLEAN, T_INTEGER, T_NUMBER, T_OBJECT, T_STRING, type Semantics, type SchemaNode } from './compiled.js';
import { checkIntegerFormat, checkStringFormat } from './formats.js';
import { isQuantityValue } from './quantity.js';
import { closest } from './suggest.js';
import { isPlainObject } from '../model/json.js';

export interface ValidateOptions {
  /** Unknown fields are errors when strict (kubectl's default), warnings otherwise. */
  strict: boolean;
  /** Severity for a kind no schema knows. Default `error`, as the server would refuse it. */
  unknownKindSeverity?: Severity;
  /** How messages name the value's root (`<root>` for objects; `default` for a CRD default). */
  rootName?: string;
}

export interface KindSchema {
  node: SchemaNode;
  semantics: Semantics;
}

export interface UnknownKind {
  message: string;
  suggestions: string[];
  /** Which field to point at: a wrong apiVersion or a wrong kind. */
  field: 'apiVersion' | 'kind';
}

/** What the validator needs of the registry (SchemaRegistry implements it). */
export interface KindSchemaLookup {
  kindSchema(gvk: GroupVersionKind): KindSchema | undefined;
  explainUnknownKind(gvk: GroupVersionKind): UnknownKind;
  objectMetaNode(): SchemaNode;
  /** The name of the CRD defining this kind when that CRD is invalid (its errors are reported at it). */
  invalidDefinition?(gvk: GroupVersionKind): string | undefined;
}

type PathPart = string | number;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return t;
}

function typeBit(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return T_STRING;
    case 'boolean':
      return T_BOOLEAN;
    case 'number':
      return Number.isInteger(value) ? T_INTEGER : T_NUMBER;
    case 'object':
      return Array.isArray(value) ? T_ARRAY : T_OBJECT;
    default:
      return 0;
  }
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

class Walker {
  readonly out: Diagnostic[] = [];
  readonly path: PathPart[] = [];
  /** When > 0, problems are only counted (inside anyOf/oneOf/not trials). */
  trial = 0;
  trialErrors = 0;

  constructor(
    readonly manifest: Manifest,
    readonly options: ValidateOptions,
    readonly semantics: Semantics,
    readonly objectMeta: SchemaNode,
  ) {}

  /**
   * A value for a message. Secret `data`/`stringData` values are never shown, anywhere in kd:
   * messages say what is wrong with them, not what they are.
   */
  show(value: unknown): string {
    const ref = this.manifest.ref;
    if (ref.kind === 'Secret' && ref.group === '' && (this.path[0] === 'data' || this.path[0] === 'stringData')) return '"***"';
    return show(value);
  }

  field(extra?: PathPart): string {
    const p = extra === undefined ? this.path : [...this.path, extra];
    const root = this.options.rootName;
    if (root === undefined) return p.length === 0 ? '<root>' : toFieldPath(p);
    return p.length === 0 ? root : typeof p[0] === 'number' ? `${root}${toFieldPath(p)}` : `${root}.${toFieldPath(p)}`;
  }

  report(severity: Severity, rule: string, message: string, target: 'key' | 'value', path: JsonPath, suggestions?: string[]): void {
    if (this.trial > 0) {
      if (severity === 'error') this.trialErrors++;
      return;
    }
    const m = this.manifest;
    const d: Diagnostic = {
      severity,
      rule,
      message,
      file: m.file,
      range: m.locate(path, target),
      object: m.ref,
      path: [...path],
      documentIndex: m.documentIndex,
    };
    if (suggestions && suggestions.length > 0) d.suggestions = suggestions;
    this.out.push(d);
  }

  value(value: unknown, node: SchemaNode): void {
    if (value === null || value === undefined) {
      if (node.nullable || (node.types === 0 && !node.quantity && !node.intOrString)) return;
      this.report('error', 'schema/type', `${this.field()}: must be ${node.typeName}, got null`, 'value', this.path);
      return;
    }
    if (node.quantity) {
      if (!isQuantityValue(value)) {
        if (typeof value === 'string')
          this.report('error', 'schema/quantity', `${this.field()}: ${this.show(value)} is not a valid quantity (examples: 1, 500m, 1Gi, 1e3)`, 'value', this.path);
        else this.report('error', 'schema/type', `${this.field()}: must be quantity, got ${jsonType(value)}`, 'value', this.path);
      }
      return;
    }
    if (node.intOrString) {
      if (typeof value === 'string') {
        this.scalar(value, node);
      } else if (typeof value === 'number' && Number.isInteger(value)) {
        const why = this.semantics === 'builtin' ? checkIntegerFormat('int32', value) : undefined;
        if (why) this.report('error', 'schema/format', `${this.field()}: ${value} ${why}`, 'value', this.path);
      } else {
        this.report('error', 'schema/type', `${this.field()}: must be integer or string, got ${jsonType(value)}`, 'value', this.path);
        return;
      }
      // controller-gen's `allOf: [{anyOf: [integer, string]}, {pattern: ...}]` form constrains here.
      if (node.allOf || node.anyOf || node.oneOf || node.not) this.junctors(value, node);
      this.rules(value, node);
      return;
    }
    const bit = typeBit(value);
    if (node.types !== 0 && (bit & node.types) === 0) {
      this.report('error', 'schema/type', `${this.field()}: must be ${node.typeName}, got ${jsonType(value)}`, 'value', this.path);
      return;
    }
    if (bit === T_OBJECT) this.object(value as Record<string, unknown>, node);
    else if (bit === T_ARRAY) this.array(value as unknown[], node);
    else this.scalar(value, node);
    if (node.enumValues) this.enumCheck(value, node);
    if (node.allOf || node.anyOf || node.oneOf || node.not) this.junctors(value, node);
    if (node.rules) this.rules(value, node);
  }

  enumCheck(value: unknown, node: SchemaNode): void {
    const key = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
    if (node.enumValues!.has(key)) return;
    const allowed = node.enumList!.map(show).join(', ');
    const suggestions = typeof value === 'string' ? closest(value, node.enumList!.filter((v): v is string => typeof v === 'string')) : [];
    const hint = suggestions.length > 0 ? `; did you mean ${show(suggestions[0])}?` : '';
    this.report('error', 'schema/enum', `${this.field()}: Unsupported value: ${this.show(value)}: supported values: ${allowed}${hint}`, 'value', this.path, suggestions);
  }

  object(obj: Record<string, unknown>, node: SchemaNode): void {
    const props = node.properties;
    const embedded = node.embedded;
    for (const key in obj) {
      const child = props?.get(key);
      const v = obj[key];
      this.path.push(key);
      if (child) this.value(v, child);
      else if (embedded && key === 'metadata') this.value(v, this.objectMeta);
      else if (embedded && (key === 'apiVersion' || key === 'kind')) {
        if (typeof v !== 'string') this.report('error', 'schema/type', `${this.field()}: must be string, got ${jsonType(v)}`, 'value', this.path);
      } else if (node.additional !== undefined) {
        if (node.additional !== true) this.value(v, node.additional);
      } else if (!node.preserveUnknown) this.unknownField(key, props);
      this.path.pop();
    }
    if (node.required) {
      for (const r of node.required) {
        // A custom resource is defaulted before it is validated: a defaulted field is never missing.
        const present = (r in obj && !(this.semantics === 'builtin' && obj[r] === null)) || (this.semantics === 'crd' && props?.get(r)?.default !== undefined);
        if (!present) this.report('error', 'schema/required', `missing required field ${JSON.stringify(this.field(r))}`, 'key', this.path);
      }
    }
    if (embedded) {
      for (const r of ['apiVersion', 'kind']) {
        const v = obj[r];
        if (typeof v !== 'string' || v === '') this.report('error', 'schema/required', `missing required field ${JSON.stringify(this.field(r))} (an embedded object needs apiVersion and kind)`, 'key', this.path);
      }
    }
    if (node.minProperties !== undefined || node.maxProperties !== undefined) {
      const n = Object.keys(obj).length;
      if (node.minProperties !== undefined && n < node.minProperties)
        this.report('error', 'schema/constraint', `${this.field()}: must have at least ${node.minProperties} properties`, 'value', this.path);
      if (node.maxProperties !== undefined && n > node.maxProperties)
        this.report('error', 'schema/constraint', `${this.field()}: must have at most ${node.maxProperties} properties`, 'value', this.path);
    }
  }

  unknownField(key: string, props: Map<string, SchemaNode> | undefined): void {
    const suggestions = props ? closest(key, props.keys()) : [];
    const hint = suggestions.length > 0 ? `; did you mean ${show(suggestions[0])}?` : '';
    this.report(this.options.strict ? 'error' : 'warning', 'schema/unknown-field', `unknown field ${JSON.stringify(this.field())}${hint}`, 'key', this.path, suggestions);
  }

  array(list: unknown[], node: SchemaNode): void {
    const items = node.items;
    if (items) {
      for (let i = 0; i < list.length; i++) {
        this.path.push(i);
        this.value(list[i], items);
        this.path.pop();
      }
    }
    if (node.listType === 'map' && node.listMapKeys && node.listMapKeys.length > 0) this.listMap(list, node.listMapKeys, items);
    else if (node.listType === 'set') this.listSet(list);
    if (node.minItems !== undefined && list.length < node.minItems)
      this.report('error', 'schema/constraint', `${this.field()}: must have at least ${node.minItems} items`, 'value', this.path);
    if (node.maxItems !== undefined && list.length > node.maxItems)
      this.report('error', 'schema/constraint', `${this.field()}: must have at most ${node.maxItems} items`, 'value', this.path);
  }

  listMap(list: unknown[], keys: string[], items: SchemaNode | undefined): void {
    if (list.length < 2) return;
    const seen = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!isPlainObject(item)) continue;
      const tuple: Record<string, unknown> = {};
      for (const k of keys) tuple[k] = k in item && item[k] !== null ? item[k] : items?.properties?.get(k)?.default;
      const id = JSON.stringify(keys.map((k) => tuple[k] ?? null));
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, i);
        continue;
      }
      const target = keys.length === 1 && keys[0]! in item ? [...this.path, i, keys[0]!] : [...this.path, i];
      this.report('error', 'schema/list-map-duplicate', `${this.field(i)}: Duplicate value: ${this.show(tuple)} (same key as ${this.field(first)})`, 'value', target);
    }
  }

  listSet(list: unknown[]): void {
    if (list.length < 2) return;
    const seen = new Map<unknown, number>();
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      const id = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else this.report('error', 'schema/list-set-duplicate', `${this.field(i)}: Duplicate value: ${this.show(v)} (same as ${this.field(first)})`, 'value', [...this.path, i]);
    }
  }

  scalar(value: unknown, node: SchemaNode): void {
    if (typeof value === 'string') {
      if (node.format !== undefined) {
        const why = checkStringFormat(node.format, value);
        if (why) this.report('error', 'schema/format', `${this.field()}: Invalid value: ${this.show(value)}: ${why}`, 'value', this.path);
      }
      if (node.minLength !== undefined || node.maxLength !== undefined) {
        const n = [...value].length;
        if (node.minLength !== undefined && n < node.minLength)
          this.report('error', 'schema/constraint', `${this.field()}: must be at least ${node.minLength} characters long`, 'value', this.path);
        if (node.maxLength !== undefined && n > node.maxLength)
          this.report('error', 'schema/constraint', `${this.field()}: may not be more than ${node.maxLength} characters long`, 'value', this.path);
      }
      if (node.pattern && !node.pattern.test(value))
        this.report('error', 'schema/constraint', `${this.field()}: Invalid value: ${this.show(value)}: must match ${show(node.patternSource)}`, 'value', this.path);
    } else if (typeof value === 'number') {
      if (node.format !== undefined && Number.isInteger(value)) {
        const why = checkIntegerFormat(node.format, value);
        if (why) this.report('error', 'schema/format', `${this.field()}: ${value} ${why}`, 'value', this.path);
      }
      if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum))
        this.report('error', 'schema/constraint', `${this.field()}: must be ${node.exclusiveMinimum ? 'greater than' : 'greater than or equal to'} ${node.minimum}`, 'value', this.path);
      if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum))
        this.report('error', 'schema/constraint', `${this.field()}: must be ${node.exclusiveMaximum ? 'less than' : 'less than or equal to'} ${node.maximum}`, 'value', this.path);
    }
  }

  /** Runs `node` on `value` counting errors only. */
  trialErrorsOf(value: unknown, node: SchemaNode): number {
    const before = this.trialErrors;
    this.trial++;
    this.value(value, node);
    this.trial--;
    const n = this.trialErrors - before;
    this.trialErrors = before;
    return n;
  }

  junctors(value: unknown, node: SchemaNode): void {
    if (node.allOf) for (const n of node.allOf) this.value(value, n);
    if (node.anyOf && !node.anyOf.some((n) => this.trialErrorsOf(value, n) === 0))
      this.report('error', 'schema/constraint', `${this.field()}: must match at least one of the schemas in anyOf`, 'value', this.path);
    if (node.oneOf) {
      const matching = node.oneOf.filter((n) => this.trialErrorsOf(value, n) === 0).length;
      if (matching !== 1)
        this.report('error', 'schema/constraint', `${this.field()}: must match exactly one of the schemas in oneOf (matches ${matching})`, 'value', this.path);
    }
    if (node.not && this.trialErrorsOf(value, node.not) === 0)
      this.report('error', 'schema/constraint', `${this.field()}: must not match the schema in not`, 'value', this.path);
  }

  rules(value: unknown, node: SchemaNode): void {
    if (!node.rules) return;
    const self = toCel(value, node);
    for (const rule of compiledRules(node)) {
      const outcome = evaluateRule(rule, self);
      if (outcome.kind === 'pass') continue;
      const text = rule.rule.rule;
      if (outcome.kind === 'skip') {
        this.report('info', 'schema/cel', `${this.field()}: rule not checked: ${outcome.reason}: ${text}`, 'value', this.path);
        continue;
      }
      if (outcome.kind === 'error') {
        this.report('error', 'schema/cel', `${this.field()}: rule could not be evaluated (${outcome.reason}): ${text}`, 'value', this.path);
        continue;
      }
      const target = rule.rule.fieldPath ? [...this.path, ...parseFieldPath(rule.rule.fieldPath)] : this.path;
      const name = target.length === 0 ? '<root>' : toFieldPath(target);
      this.report('error', 'schema/cel', `${name}: Invalid value: ${outcome.message}`, 'value', target);
    }
  }
}

/** `.spec.x['a.b']` → ['spec', 'x', 'a.b']: the path syntax of a rule's fieldPath. */
export function parseFieldPath(fieldPath: string): PathPart[] {
  const out: PathPart[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*(\d+)\s*\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fieldPath)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) out.push(Number(m[3]));
  }
  return out;
}

/**
 * Errors of a bare value against a compiled schema (CRD defaults are checked this way): message
 * and path relative to the value, which messages call `rootName`. Unknown fields are left to the
 * caller (the API server reports them as unpruned defaults).
 */
export function valueErrors(value: unknown, node: SchemaNode, objectMeta: SchemaNode, rootName: string): Array<{ path: JsonPath; message: string }> {
  const none = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const stub = { object: {}, ref: { group: '', version: '', kind: '', name: '' }, file: '', documentIndex: 0, locate: () => none } as unknown as Manifest;
  const walker = new Walker(stub, { strict: false, rootName }, 'crd', objectMeta);
  walker.value(value, node);
  // A rule kd cannot evaluate on a bare default (no surrounding object) is no finding about it.
  const found = walker.out.filter((d) => d.severity === 'error' && !(d.rule === 'schema/cel' && d.message.includes('could not be evaluated')));
  return found.map((d) => ({ path: d.path ?? [], message: d.message }));
}

/** Checks one manifest against its kind's schema; the registry must hold its group-version. */
export function validateManifest(manifest: Manifest, registry: KindSchemaLookup, options: ValidateOptions): Diagnostic[] {
  const ref = manifest.ref;
  if (typeof manifest.object.apiVersion !== 'string' || typeof manifest.object.kind !== 'string') return [];
  const gvk = { group: ref.group, version: ref.version, kind: ref.kind };
  const brokenCrd = registry.invalidDefinition?.(gvk);
  if (brokenCrd !== undefined) {
    // One line per object: the CRD's own errors are reported once, at the CRD.
    return [
      {
        severity: 'error',
        rule: 'crd/schema-unavailable',
        message: `schema unavailable: CRD invalid: CustomResourceDefinition "${brokenCrd}" has errors (reported at the CRD), so ${ref.kind} objects cannot be validated`,
        file: manifest.file,
        range: manifest.locate(['kind'], 'value'),
        object: ref,
        path: ['kind'],
        documentIndex: manifest.documentIndex,
      },
    ];
  }
  const schema = registry.kindSchema(gvk);
  if (!schema) {
    const why = registry.explainUnknownKind(gvk);
    const d: Diagnostic = {
      severity: options.unknownKindSeverity ?? 'error',
      rule: 'schema/unknown-kind',
      message: why.message,
      file: manifest.file,
      range: manifest.locate([why.field], 'value'),
      object: ref,
      path: [why.field],
      documentIndex: manifest.documentIndex,
    };
    if (why.suggestions.length > 0) d.suggestions = why.suggestions;
    return [d];
  }
  const walker = new Walker(manifest, options, schema.semantics, registry.objectMetaNode());
  walker.value(manifest.object, schema.node);
  return walker.out;
}
