/**
 * Schemas compiled for validation: `$ref`/`allOf` wrappers resolved, `type` turned into a bit
 * mask, enums into sets, patterns into RE2 matchers, built once per schema name and shared by every
 * kind of the document (cycles, like JSONSchemaProps, are closed through the cache).
 *
 * A property's schema is compiled when it is first looked up (LazyProperties): a Deployment's
 * schema reaches some 120 components (every volume source, probe, affinity term...), and an
 * object uses a handful; compiling them all was most of a small validate run's schema work.
 * Every reader sees the same nodes as an eager compile would give, only built later.
 *
 * Two semantics, because kube-apiserver has two: built-in kinds are decoded into Go structs
 * (`null` means "unset", objects without properties are free-form like RawExtension), custom
 * resources are validated as structural schemas (`null` only where `nullable`, objects prune
 * what their properties do not name).
 */
import { re2Pattern, type Re2Pattern } from './re2.js';
import type { SchemaObject } from './types.js';

export const T_OBJECT = 1;
export const T_ARRAY = 2;
export const T_STRING = 4;
export const T_INTEGER = 8;
export const T_NUMBER = 16;
export const T_BOOLEAN = 32;

const TYPE_BITS: Record<string, number> = {
  object: T_OBJECT,
  array: T_ARRAY,
  string: T_STRING,
  integer: T_INTEGER,
  number: T_NUMBER | T_INTEGER,
  boolean: T_BOOLEAN,
};

export type Semantics = 'builtin' | 'crd';

export type ValidationRule = NonNullable<SchemaObject['x-kubernetes-validations']>[number];

/** The bounds a node takes over from its schema unchanged. */
const BOUND_KEYS = [
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
] as const;

export interface SchemaNode extends Pick<SchemaObject, (typeof BOUND_KEYS)[number]> {
  /** Allowed JSON types; 0 means any. */
  types: number;
  /** The declared type name(s), for messages. */
  typeName: string;
  intOrString: boolean;
  quantity: boolean;
  nullable: boolean;
  /** Fields not named by `properties` are kept (no unknown-field check). */
  preserveUnknown: boolean;
  embedded: boolean;
  properties?: Map<string, SchemaNode>;
  /** Schema of map values (`additionalProperties`); `true` for any value. */
  additional?: SchemaNode | true;
  items?: SchemaNode;
  required?: string[];
  enumValues?: Set<unknown>;
  enumList?: unknown[];
  format?: string;
  /** Go RE2 semantics, as the API server matches patterns. */
  pattern?: Re2Pattern;
  patternSource?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  default?: unknown;
  rules?: ValidationRule[];
  /** Filled by the CEL layer on first use. */
  compiledRules?: unknown;
}

export interface CompileContext {
  components: Record<string, SchemaObject>;
  semantics: Semantics;
  cache: Map<string, SchemaNode>;
}

const REF_PREFIXES = ['#/components/schemas/', '#/definitions/'];

/** The component a `$ref` names. */
export function refName(ref: string): string {
  for (const p of REF_PREFIXES) if (ref.startsWith(p)) return ref.slice(p.length);
  return ref;
}

/** The single `$ref` a schema stands for, when it is only a (possibly allOf-wrapped) reference. */
function soleRef(schema: SchemaObject): string | undefined {
  if (schema.$ref !== undefined) return schema.$ref;
  const all = schema.allOf;
  if (all && all.length === 1 && all[0]!.$ref !== undefined) {
    for (const k of Object.keys(schema)) if (k !== 'allOf' && k !== 'description' && k !== 'default') return undefined;
    return all[0]!.$ref;
  }
  return undefined;
}

/** Compile a component by name (cached); undefined when the document lacks it. */
export function compileNamed(name: string, ctx: CompileContext): SchemaNode | undefined {
  const cached = ctx.cache.get(name);
  if (cached) return cached;
  const schema = ctx.components[name];
  if (!schema) return undefined;
  const node = emptyNode();
  ctx.cache.set(name, node);
  fill(node, schema, ctx, name);
  return node;
}

export function compileSchema(schema: SchemaObject, ctx: CompileContext): SchemaNode {
  const ref = soleRef(schema);
  if (ref !== undefined) return compileNamed(refName(ref), ctx) ?? anyNode(ctx);
  const node = emptyNode();
  fill(node, schema, ctx, undefined);
  return node;
}

function emptyNode(): SchemaNode {
  return { types: 0, typeName: 'any', intOrString: false, quantity: false, nullable: false, preserveUnknown: false, embedded: false };
}

function anyNode(ctx: CompileContext): SchemaNode {
  const n = emptyNode();
  n.preserveUnknown = true;
  n.nullable = ctx.semantics === 'builtin';
  return n;
}

function fill(node: SchemaNode, s: SchemaObject, ctx: CompileContext, name: string | undefined): void {
  const builtin = ctx.semantics === 'builtin';
  // allOf members that are references contribute their whole schema (properties, required, ...).
  if (s.allOf) {
    const rest: SchemaNode[] = [];
    for (const part of s.allOf) {
      if (part.$ref !== undefined) {
        const target = ctx.components[refName(part.$ref)];
        if (target) fill(node, target, ctx, undefined);
      } else rest.push(compileSchema(part, ctx));
    }
    if (rest.length > 0) node.allOf = [...(node.allOf ?? []), ...rest];
  }
  if (s.$ref !== undefined) {
    const target = ctx.components[refName(s.$ref)];
    if (target) fill(node, target, ctx, undefined);
  }
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : [];
  if (types.length > 0) {
    node.types = types.reduce((m, t) => m | (TYPE_BITS[t] ?? 0), 0);
    node.typeName = types.join(' or ');
  }
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    node.quantity = true;
    node.types = 0;
    node.typeName = 'quantity';
  } else if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') {
    node.intOrString = true;
    node.types = 0;
    node.typeName = 'integer or string';
  } else if (s.oneOf && types.length === 0 && s.oneOf.every((o) => typeof o.type === 'string' && Object.keys(o).length === 1)) {
    // Built-in "one of these types" wrappers: a type union, not a value constraint.
    node.types = s.oneOf.reduce((m, o) => m | (TYPE_BITS[o.type as string] ?? 0), 0);
    node.typeName = s.oneOf.map((o) => o.type).join(' or ');
  } else if (s.oneOf) node.oneOf = s.oneOf.map((o) => compileSchema(o, ctx));
  if (s.format !== undefined && s.format !== 'int-or-string') node.format = s.format;
  if (s.anyOf) node.anyOf = s.anyOf.map((o) => compileSchema(o, ctx));
  if (s.not) node.not = compileSchema(s.not, ctx);
  node.nullable = builtin || s.nullable === true;
  if (s['x-kubernetes-preserve-unknown-fields'] === true) node.preserveUnknown = true;
  if (s['x-kubernetes-embedded-resource'] === true) node.embedded = true;
  if (s.properties) {
    const props = node.properties instanceof LazyProperties ? node.properties : new LazyProperties(ctx, node.properties);
    for (const k of Object.keys(s.properties)) props.defer(k, s.properties[k]!);
    node.properties = props;
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    node.additional = s.additionalProperties === true ? true : compileSchema(s.additionalProperties, ctx);
  }
  if (builtin && (node.types === 0 || (node.types & T_OBJECT) !== 0) && !node.properties && node.additional === undefined) {
    // RawExtension, FieldsV1, JSONSchemaPropsOrArray and friends: Go keeps whatever JSON is there.
    node.preserveUnknown = true;
  }
  if (s.items) node.items = compileSchema(s.items, ctx);
  if (s.required && s.required.length > 0) node.required = [...(node.required ?? []), ...s.required];
  if (s.enum) {
    node.enumList = s.enum;
    node.enumValues = new Set(s.enum.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v)));
  }
  // OpenAPI v3.0's exclusive bounds are flags on minimum/maximum: only `true` means anything.
  // (Spelled out: this runs for every node compiled, and a loop over the names was a visible share.)
  if (s.minimum !== undefined) node.minimum = s.minimum;
  if (s.maximum !== undefined) node.maximum = s.maximum;
  if (s.exclusiveMinimum === true) node.exclusiveMinimum = s.exclusiveMinimum;
  if (s.exclusiveMaximum === true) node.exclusiveMaximum = s.exclusiveMaximum;
  if (s.minLength !== undefined) node.minLength = s.minLength;
  if (s.maxLength !== undefined) node.maxLength = s.maxLength;
  if (s.minItems !== undefined) node.minItems = s.minItems;
  if (s.maxItems !== undefined) node.maxItems = s.maxItems;
  if (s.minProperties !== undefined) node.minProperties = s.minProperties;
  if (s.maxProperties !== undefined) node.maxProperties = s.maxProperties;
  if (s.pattern !== undefined) {
    // An uncompilable pattern is reported by the CRD checks; validation ignores it.
    const pattern = re2Pattern(s.pattern);
    if (pattern) {
      node.pattern = pattern;
      node.patternSource = s.pattern;
    }
  }
  if (s['x-kubernetes-list-type'] !== undefined) node.listType = s['x-kubernetes-list-type'];
  if (s['x-kubernetes-list-map-keys'] !== undefined) node.listMapKeys = s['x-kubernetes-list-map-keys'];
  if (s.default !== undefined) node.default = s.default;
  const rules = s['x-kubernetes-validations'];
  if (rules && rules.length > 0) node.rules = [...(node.rules ?? []), ...rules];
}

/** Stands for a property whose schema is not compiled yet; never handed out. */
const PENDING = emptyNode();

/**
 * A node's properties, each compiled on first use. Keys, their order and `size` are those of an
 * eager compile from the start (a later schema of the same name replaces the earlier one in its
 * place, as Map.set does); `get` and every iteration over values compile what they hand out.
 */
export class LazyProperties extends Map<string, SchemaNode> {
  readonly #ctx: CompileContext;
  readonly #pending = new Map<string, SchemaObject>();

  constructor(ctx: CompileContext, from?: Iterable<readonly [string, SchemaNode]>) {
    super();
    this.#ctx = ctx;
    if (from) for (const [k, v] of from) super.set(k, v);
  }

  /** Adds (or replaces) a property by its schema, compiled when first asked for. */
  defer(key: string, schema: SchemaObject): void {
    this.#pending.set(key, schema);
    super.set(key, PENDING);
  }

  override get(key: string): SchemaNode | undefined {
    const v = super.get(key);
    return v === PENDING ? this.#compile(key) : v;
  }

  override set(key: string, value: SchemaNode): this {
    this.#pending.delete(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#pending.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.#pending.clear();
    super.clear();
  }

  override forEach(callback: (value: SchemaNode, key: string, map: Map<string, SchemaNode>) => void, thisArg?: unknown): void {
    this.#compileAll();
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[string, SchemaNode]> {
    this.#compileAll();
    return super.entries();
  }

  override values(): MapIterator<SchemaNode> {
    this.#compileAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, SchemaNode]> {
    return this.entries();
  }

  #compile(key: string): SchemaNode {
    const node = compileSchema(this.#pending.get(key)!, this.#ctx);
    this.#pending.delete(key);
    super.set(key, node);
    return node;
  }

  #compileAll(): void {
    for (const key of [...this.#pending.keys()]) this.#compile(key);
  }
}
