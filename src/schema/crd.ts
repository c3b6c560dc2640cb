/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1) as registry entries, and the checks the
 * API server applies to a CRD before accepting it: the definition itself (names, scope, one
 * storage version, a schema per version; rule `crd/invalid`) and structural schemas (rule
 * `crd/structural`): a type everywhere except under int-or-string or preserve-unknown-fields,
 * valid type names, no `$ref` or other forbidden keywords, items for arrays, consistent list
 * types, only value validations inside allOf/anyOf/oneOf/not, and CEL rules that parse.
 *
 * `crdFromObject` never fails on odd input: it returns what it can use, or undefined when the
 * object is not a usable CRD; `readCrd` adds the positioned diagnostics.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { KubeObject } from '../model/object-ref.js';
import { toFieldPath, type JsonPath } from '../model/source.js';
import { ruleSyntaxError } from './cel.js';
import type { SchemaObject } from './types.js';

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
}

export const CRD_GROUP = 'apiextensions.k8s.io';

export function isCrdObject(object: KubeObject): boolean {
  return object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${CRD_GROUP}/`);
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
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

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const FORBIDDEN = ['$ref', 'definitions', 'id', '$schema', 'dependencies', 'additionalItems', 'patternProperties'];
const NOT_IN_JUNCTORS = ['type', 'nullable', 'default', 'additionalProperties', 'description', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string'];
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

class CrdChecker {
  readonly out: Diagnostic[] = [];
  constructor(readonly manifest: Manifest) {}

  report(rule: 'crd/structural' | 'crd/invalid', path: JsonPath, target: 'key' | 'value', message: string): void {
    const m = this.manifest;
    this.out.push({
      severity: 'error',
      rule,
      message: `${toFieldPath(path)}: ${message}`,
      file: m.file,
      range: m.locate(path, target),
      object: m.ref,
      path: [...path],
      documentIndex: m.documentIndex,
    });
  }

  definition(object: KubeObject): void {
    const spec = rec(object.spec);
    if (!spec) return this.report('crd/invalid', ['spec'], 'key', 'Required value');
    const names = rec(spec.names);
    if (!str(spec.group)) this.report('crd/invalid', ['spec', 'group'], 'key', 'Required value');
    if (!names) this.report('crd/invalid', ['spec', 'names'], 'key', 'Required value');
    else {
      if (!str(names.kind)) this.report('crd/invalid', ['spec', 'names', 'kind'], 'key', 'Required value');
      if (!str(names.plural)) this.report('crd/invalid', ['spec', 'names', 'plural'], 'key', 'Required value');
      else if (str(spec.group) && str(rec(object.metadata)?.name) && rec(object.metadata)!.name !== `${names.plural as string}.${spec.group as string}`)
        this.report('crd/invalid', ['metadata', 'name'], 'value', `Invalid value: must be spec.names.plural+"."+spec.group: "${names.plural as string}.${spec.group as string}"`);
    }
    if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
      this.report('crd/invalid', ['spec', 'scope'], spec.scope === undefined ? 'key' : 'value', 'Unsupported value: supported values: "Cluster", "Namespaced"');
    if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
      this.report('crd/invalid', ['spec', 'versions'], 'key', 'Required value: must have at least one version');
      return;
    }
    const storage = spec.versions.filter((v) => rec(v)?.storage === true).length;
    if (storage !== 1) this.report('crd/invalid', ['spec', 'versions'], 'key', `Invalid value: must have exactly one version marked as storage version, found ${storage}`);
    spec.versions.forEach((raw, i) => {
      const v = rec(raw);
      const base: JsonPath = ['spec', 'versions', i];
      if (!v || !str(v.name)) return this.report('crd/invalid', [...base, 'name'], 'key', 'Required value');
      const schema = rec(rec(v.schema)?.openAPIV3Schema);
      if (!schema) return this.report('crd/invalid', [...base, 'schema', 'openAPIV3Schema'], 'key', 'Required value: schemas are required');
      this.structural(schema, [...base, 'schema', 'openAPIV3Schema'], { root: true, junctor: false });
    });
  }

  structural(s: Record<string, unknown>, path: JsonPath, at: { root: boolean; junctor: boolean }): void {
    for (const k of FORBIDDEN) if (k in s) this.report('crd/structural', [...path, k], 'key', `Forbidden: ${k} is not supported`);
    if (s.uniqueItems === true)
      this.report('crd/structural', [...path, 'uniqueItems'], 'key', 'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic');
    if (at.junctor) {
      for (const k of NOT_IN_JUNCTORS) if (k in s) this.report('crd/structural', [...path, k], 'key', `Forbidden: must not be used inside allOf, anyOf, oneOf or not`);
    }
    const type = s.type;
    const intOrString = s['x-kubernetes-int-or-string'] === true;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    if (!at.junctor) {
      if (type === undefined || type === '') {
        if (!intOrString && !preserve) this.report('crd/structural', path, 'key', 'type: Required value: must not be empty for specified fields');
      } else if (typeof type !== 'string' || !TYPES.has(type)) {
        this.report('crd/structural', [...path, 'type'], 'value', `Unsupported value: ${JSON.stringify(type)}: supported values: "array", "boolean", "integer", "number", "object", "string"`);
      } else if (intOrString) {
        this.report('crd/structural', [...path, 'type'], 'value', 'Invalid value: type must be empty when x-kubernetes-int-or-string is true');
      }
      if (at.root && type !== 'object') this.report('crd/structural', [...path, 'type'], type === undefined ? 'key' : 'value', 'Invalid value: must be object at the root');
    }
    if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false)
      this.report('crd/structural', [...path, 'additionalProperties'], 'key', 'Forbidden: additionalProperties and properties are mutual exclusive');
    if (type === 'array' && s.items === undefined) this.report('crd/structural', path, 'key', 'items: Required value: must be specified for arrays');
    if (s['x-kubernetes-embedded-resource'] === true) {
      if (type !== 'object') this.report('crd/structural', [...path, 'type'], 'key', 'Invalid value: must be object if x-kubernetes-embedded-resource is true');
      if (s.properties === undefined && !preserve)
        this.report('crd/structural', path, 'key', 'Required value: must have properties or x-kubernetes-preserve-unknown-fields when x-kubernetes-embedded-resource is true');
    }
    this.listType(s, path);
    if (typeof s.pattern === 'string') {
      try {
        new RegExp(s.pattern, 'u');
      } catch (e) {
        this.report('crd/structural', [...path, 'pattern'], 'value', `Invalid value: not a valid regular expression: ${(e as Error).message}`);
      }
    }
    const rules = s['x-kubernetes-validations'];
    if (Array.isArray(rules)) {
      rules.forEach((r, i) => {
        const rule = str(rec(r)?.rule);
        const rp: JsonPath = [...path, 'x-kubernetes-validations', i, 'rule'];
        if (!rule) return this.report('crd/structural', rp, 'key', 'Required value');
        const err = ruleSyntaxError(rule);
        if (err) this.report('crd/structural', rp, 'value', `Invalid value: compilation failed: ${err}`);
      });
    }
    if (at.root) this.rootMetadata(s, path);
    const props = rec(s.properties);
    if (props) {
      for (const [name, child] of Object.entries(props)) {
        const c = rec(child);
        if (c) this.structural(c, [...path, 'properties', name], { root: false, junctor: at.junctor });
      }
    }
    const items = rec(s.items);
    if (items) this.structural(items, [...path, 'items'], { root: false, junctor: at.junctor });
    const additional = rec(s.additionalProperties);
    if (additional) this.structural(additional, [...path, 'additionalProperties'], { root: false, junctor: at.junctor });
    for (const j of JUNCTORS) {
      const list = s[j];
      if (Array.isArray(list)) list.forEach((c, i) => rec(c) && this.structural(rec(c)!, [...path, j, i], { root: false, junctor: true }));
    }
    const not = rec(s.not);
    if (not) this.structural(not, [...path, 'not'], { root: false, junctor: true });
  }

  listType(s: Record<string, unknown>, path: JsonPath): void {
    const listType = s['x-kubernetes-list-type'];
    const keys = s['x-kubernetes-list-map-keys'];
    const items = rec(s.items);
    if (listType === undefined) {
      if (keys !== undefined) this.report('crd/structural', [...path, 'x-kubernetes-list-map-keys'], 'key', 'Forbidden: must only be set if x-kubernetes-list-type is map');
      return;
    }
    if (listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
      this.report('crd/structural', [...path, 'x-kubernetes-list-type'], 'value', 'Unsupported value: supported values: "atomic", "map", "set"');
      return;
    }
    if (s.type !== 'array') this.report('crd/structural', [...path, 'x-kubernetes-list-type'], 'key', 'Invalid value: must only be used on arrays');
    if (listType === 'map') {
      if (!Array.isArray(keys) || keys.length === 0) {
        this.report('crd/structural', path, 'key', 'x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map');
        return;
      }
      if (items && items.type !== 'object') this.report('crd/structural', [...path, 'items', 'type'], 'key', 'Invalid value: must be object if parent array\'s x-kubernetes-list-type is map');
      const itemProps = rec(items?.properties) ?? {};
      for (const k of keys) {
        if (typeof k !== 'string' || !(k in itemProps)) {
          this.report('crd/structural', [...path, 'x-kubernetes-list-map-keys'], 'value', `Invalid value: entries must all be names of item properties (${JSON.stringify(k)} is not)`);
          continue;
        }
        const kp = rec(itemProps[k]);
        const required = strs(items?.required).includes(k);
        if (!required && kp?.default === undefined)
          this.report('crd/structural', [...path, 'items', 'properties', k], 'key', 'Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property');
      }
    } else if (listType === 'set' && items && items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      this.report('crd/structural', [...path, 'items', 'x-kubernetes-map-type'], 'key', 'Invalid value: must be atomic as item of a list with x-kubernetes-list-type=set');
    }
  }

  rootMetadata(s: Record<string, unknown>, path: JsonPath): void {
    const meta = rec(rec(s.properties)?.metadata);
    if (!meta) return;
    for (const k of Object.keys(meta)) {
      if (k === 'type' || k === 'properties' || k === 'description') continue;
      this.report('crd/structural', [...path, 'properties', 'metadata', k], 'key', 'Forbidden: must not be specified in metadata except for name and generateName');
    }
    const props = rec(meta.properties);
    if (props)
      for (const k of Object.keys(props))
        if (k !== 'name' && k !== 'generateName')
          this.report('crd/structural', [...path, 'properties', 'metadata', 'properties', k], 'key', 'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified');
  }
}

/** Reads a CRD manifest: the registry entry (when usable) and every problem, positioned. */
export function readCrd(manifest: Manifest): { definition?: CustomResourceDefinitionInfo; diagnostics: Diagnostic[] } {
  const checker = new CrdChecker(manifest);
  checker.definition(manifest.object);
  const definition = crdFromObject(manifest.object);
  return definition ? { definition, diagnostics: checker.out } : { diagnostics: checker.out };
}
