/**
 * The catalogue of validation rules: one id per kind of problem, with a one-line description.
 * SARIF output lists these as its rules, the README documents them, and tests assert that every
 * rule id a check emits is in this catalogue (so no rule goes undocumented).
 */

export interface RuleInfo {
  id: string;
  description: string;
}

const rules: RuleInfo[] = [
  { id: 'yaml/syntax', description: 'The file is not valid YAML (or JSON).' },
  { id: 'yaml/duplicate-key', description: 'A mapping has the same key twice.' },
  { id: 'yaml/alias-limit', description: 'A document expands too many aliases (an "alias bomb").' },
  { id: 'yaml/too-deep', description: 'A document is nested deeper than the limit.' },
  { id: 'input/binary', description: 'The file is binary, not text.' },
  { id: 'input/encoding', description: 'The file is not valid UTF-8.' },
  { id: 'input/too-large', description: 'The file or document is larger than the limit.' },
  { id: 'input/kustomization', description: 'A kustomization cannot be rendered, or names a remote base without --allow-remote.' },
  { id: 'input/not-kubernetes', description: 'A folder walk met YAML or JSON documents that are not Kubernetes objects (no apiVersion or kind): skipped (a note).' },
  { id: 'input/helm-chart', description: 'A folder walk met a Helm chart (Chart.yaml): skipped; render it with helm template and pipe it to kubectl kd validate - (a note).' },
  { id: 'manifest/not-an-object', description: 'A document is not a mapping (a Kubernetes object).' },
  { id: 'manifest/missing-field', description: 'apiVersion, kind or metadata.name (or generateName) is missing or not a string.' },
  { id: 'manifest/duplicate', description: 'Two inputs define the same object (group, kind, namespace, name).' },
  { id: 'schema/unknown-kind', description: 'The apiVersion/kind is not known to the schemas in use.' },
  { id: 'schema/unknown-field', description: 'A field is not in the schema (an error with --strict, the default).' },
  { id: 'schema/type', description: 'A value has the wrong type.' },
  { id: 'schema/required', description: 'A required field is missing.' },
  { id: 'schema/enum', description: 'A value is not one of the allowed values.' },
  { id: 'schema/format', description: 'A value does not match its format (date-time, int32 range, ...).' },
  { id: 'schema/quantity', description: 'A resource quantity is malformed.' },
  { id: 'schema/list-map-duplicate', description: 'Two list items have the same key (e.g. two containers with one name).' },
  { id: 'schema/list-set-duplicate', description: 'A list declared as a set has a repeated value.' },
  { id: 'schema/constraint', description: 'A value breaks a schema constraint (length, range, pattern, item count).' },
  { id: 'schema/cel', description: 'A CEL validation rule (x-kubernetes-validations) failed or could not be checked.' },
  { id: 'crd/structural', description: 'A CustomResourceDefinition schema is not structural.' },
  { id: 'crd/invalid', description: 'A CustomResourceDefinition is malformed (names, scope, versions, missing schema).' },
  { id: 'crd/default', description: 'A default in a CustomResourceDefinition schema does not validate against its schema, is not pruned, or is not allowed there.' },
  { id: 'crd/validation-rule', description: 'An x-kubernetes-validations rule is malformed: does not compile, bad message/reason/fieldPath, oldSelf where values do not correlate, estimated cost far over budget.' },
  { id: 'crd/schema-unavailable', description: "The object's CustomResourceDefinition is invalid, so the object cannot be validated (the CRD's errors are reported at the CRD)." },
  { id: 'metadata/name', description: 'The object name is not valid for its kind.' },
  { id: 'metadata/namespace', description: 'The namespace is invalid or set on a cluster-scoped kind.' },
  { id: 'metadata/label-key', description: 'A label key is malformed.' },
  { id: 'metadata/label-value', description: 'A label value is malformed.' },
  { id: 'metadata/annotation-key', description: 'An annotation key is malformed.' },
  { id: 'metadata/annotations-too-long', description: 'The annotations together exceed 256 KiB.' },
  { id: 'annotation/invalid-value', description: "A kd annotation (or its Argo CD/Helm alias) has a value kd cannot use." },
  { id: 'annotation/unknown-key', description: 'An annotation under kd.io/ is not one kd knows.' },
  { id: 'annotation/conflict', description: "A kd annotation and its alias disagree, or a hook annotation doesn't fit the kind." },
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo {
  return byId.get(id) ?? { id, description: id };
}

export function allRules(): readonly RuleInfo[] {
  return rules;
}

/** Whether a rule id is catalogued (a test checks every id the sources emit). */
export function isKnownRule(id: string): boolean {
  return byId.has(id);
}
