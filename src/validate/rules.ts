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
  { id: 'builtin/container', description: 'A container has no name or image, a name that is not a DNS-1123 label, or a name another container of the pod has.' },
  { id: 'builtin/port', description: 'A container port is outside 1–65535, or its name is not an IANA_SVC_NAME (15 characters, a-z, 0-9, -) or is repeated.' },
  { id: 'builtin/env-name', description: "An env var name (or envFrom prefix) is empty or holds '=' or a non-printable or non-ASCII character." },
  { id: 'builtin/volume', description: 'Volume names are not DNS-1123 labels, a volume has no source or several, or a volumeMount/volumeDevice names no volume.' },
  { id: 'builtin/resources', description: 'A resource request exceeds its limit (or differs from it, for extended resources), or a quantity is negative.' },
  { id: 'builtin/probe', description: 'A probe or lifecycle hook has no handler or more than one, a bad port, or bad thresholds; init containers may not have probes.' },
  { id: 'builtin/restart-policy', description: "The pod template's restartPolicy does not fit its owner: Always for Deployment/ReplicaSet/StatefulSet/DaemonSet, OnFailure or Never for Job/CronJob." },
  { id: 'builtin/security-context', description: 'A user or group id is outside 0–2147483647, or privileged/SYS_ADMIN is combined with allowPrivilegeEscalation: false.' },
  { id: 'builtin/selector', description: "A workload's selector is empty or does not match its pod template's labels." },
  { id: 'builtin/rollout', description: 'Rollout settings: maxSurge and maxUnavailable both 0, bad percentages, negative replicas, revisionHistoryLimit or minReadySeconds, or a progress deadline not above minReadySeconds.' },
  { id: 'builtin/job', description: 'A Job or CronJob counter is negative (parallelism, completions, backoffLimit, history limits, ...), or an Indexed Job has no completions.' },
  { id: 'builtin/cron-schedule', description: 'A CronJob schedule does not parse as a standard cron line or macro, uses TZ=/CRON_TZ= instead of timeZone, or timeZone is not an IANA zone.' },
  { id: 'builtin/service', description: 'Service ports (numbers, names, targetPort, nodePort and its range) or clusterIP, externalName and type do not fit together.' },
  { id: 'builtin/secret', description: "A Secret key is invalid, the data exceeds 1 MiB, or the type's required keys are missing (tls.crt/tls.key, .dockerconfigjson with valid JSON, ...)." },
  { id: 'builtin/configmap', description: 'A ConfigMap key is invalid or in both data and binaryData, or the data exceeds 1 MiB.' },
  { id: 'builtin/ingress', description: 'An Ingress has neither rules nor a default backend, a path does not fit its pathType, or a backend is not exactly one service (with a port) or resource.' },
  { id: 'builtin/hpa', description: 'A HorizontalPodAutoscaler has minReplicas below 1 or above maxReplicas, no scale target, or a metric that does not populate its own source and target.' },
  { id: 'builtin/pdb', description: 'A PodDisruptionBudget sets both minAvailable and maxUnavailable, or one of them is negative or above 100%.' },
  { id: 'builtin/network-policy', description: 'A NetworkPolicy port is not a valid number or name (endPort below port), or a peer is empty, mixes ipBlock with selectors, or has a bad CIDR.' },
  { id: 'builtin/rbac', description: 'An RBAC rule has no verbs or neither resources nor nonResourceURLs, or a binding has a bad roleRef or subject.' },
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
