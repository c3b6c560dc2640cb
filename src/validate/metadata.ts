/**
 * Metadata rules the API server enforces beyond the OpenAPI schema: name syntax per kind, the
 * namespace, label and annotation keys and values, and the total size of annotations. Messages
 * are worded as the API server words them (`metadata.name: Invalid value: "X": a lowercase RFC
 * 1123 subdomain must consist of ...`), so that kd's answer and the cluster's read the same.
 *
 * Name rules by kind follow Kubernetes' validation code: a DNS-1123 subdomain by default (also
 * for custom resources); a DNS-1123 label for Namespace and StatefulSet; a DNS-1035 label for
 * Service; a path segment (anything but `/`, `%`, `.` and `..`) for RBAC kinds, so `system:x` is
 * fine; CronJob names at most 52 characters (the controller appends an 11-character suffix); Job
 * names at most 63 (the name becomes a pod label value); a CRD is named `<plural>.<group>`.
 * `generateName` is checked as a prefix: a trailing `-` is allowed.
 *
 * Also checked: the metadata of pod templates inside workloads (`spec.template.metadata`, and a
 * CronJob's `spec.jobTemplate`), whose labels and annotations the API server validates the same.
 * Lengths count bytes, as Go's `len` does.
 */
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import type { JsonPath } from '../model/source.js';
import { toFieldPath } from '../model/source.js';
import { isPlainObject as isRecord } from '../model/json.js';
import { NONE } from '../model/lists.js';

export interface MetadataCheckOptions {
  /** Whether the kind is namespaced; undefined when the kind is unknown (the scope check is skipped). */
  namespaced: boolean | undefined;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

// 1. The string rules of k8s.io/apimachinery, returning the API server's messages ----------------

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const dns1123Label = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123Subdomain = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035Label = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const qualifiedName = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const labelValue = new RegExp(`^${LABEL_VALUE_FMT}$`);

function regexError(message: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${fmt}')`;
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number) => `must be no more than ${n} characters`;

/** UTF-8 length, which is what the API server's limits count. */
export function byteLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * `byteLength(text) > limit`, without counting when the answer is plain from the length: a UTF-16
 * unit is 1 to 3 bytes (a surrogate pair 4 for 2 units). Names and keys are checked for every
 * object, nearly always far below their limits.
 */
export function longerThan(text: string, limit: number): boolean {
  if (text.length * 3 <= limit) return false;
  if (text.length > limit) return true;
  return byteLength(text) > limit;
}

export function isDns1123Label(value: string): readonly string[] {
  if (value.length <= 63 && dns1123Label.test(value)) return NONE;
  const errs: string[] = [];
  if (longerThan(value, 63)) errs.push(maxLenError(63));
  if (!dns1123Label.test(value)) {
    if (dns1123Subdomain.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

export function isDns1123Subdomain(value: string): readonly string[] {
  if (value.length <= 253 && dns1123Subdomain.test(value)) return NONE;
  const errs: string[] = [];
  if (longerThan(value, 253)) errs.push(maxLenError(253));
  if (!dns1123Subdomain.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

export function isDns1035Label(value: string): readonly string[] {
  if (value.length <= 63 && dns1035Label.test(value)) return NONE;
  const errs: string[] = [];
  if (longerThan(value, 63)) errs.push(maxLenError(63));
  if (!dns1035Label.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** Names used as URL path segments (RBAC kinds): no `/` or `%`, not `.` or `..`; no length limit. */
export function isPathSegmentName(value: string, options: { prefix?: boolean } = {}): readonly string[] {
  if (!options.prefix && (value === '.' || value === '..')) return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

const QUALIFIED_NAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Label keys and annotation keys: an optional DNS subdomain prefix and `/`, then a name of at most 63. */
export function isQualifiedName(value: string): readonly string[] {
  // The usual key: no prefix, a valid name (the regex implies a non-empty one).
  if (value.length <= 63 && value.indexOf('/') < 0 && qualifiedName.test(value)) return NONE;
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (longerThan(name, 63)) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedName.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isLabelValue(value: string): readonly string[] {
  if (value.length <= 63 && labelValue.test(value)) return NONE;
  const errs: string[] = [];
  if (longerThan(value, 63)) errs.push(maxLenError(63));
  if (!labelValue.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

// 2. Which rule a kind's names follow ------------------------------------------------------------

export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const nameRules: Record<string, NameRule> = {
  '/Namespace': 'dns1123-label',
  '/Service': 'dns1035-label',
  'apps/StatefulSet': 'dns1123-label',
  [`${RBAC_GROUP}/Role`]: 'path-segment',
  [`${RBAC_GROUP}/ClusterRole`]: 'path-segment',
  [`${RBAC_GROUP}/RoleBinding`]: 'path-segment',
  [`${RBAC_GROUP}/ClusterRoleBinding`]: 'path-segment',
};

/** The syntax the API server requires of names of a kind (custom resources: a DNS subdomain). */
export function nameRuleFor(gk: { group: string; kind: string }): NameRule {
  return nameRules[`${gk.group}/${gk.kind}`] ?? 'dns1123-subdomain';
}

/** A trailing dash is fine in a prefix: the API server appends random characters to it. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -1) + 'a' : name;
}

export function validateName(rule: NameRule, name: string, options: { prefix?: boolean } = {}): readonly string[] {
  const prefix = options.prefix === true;
  switch (rule) {
    case 'path-segment':
      return isPathSegmentName(name, { prefix });
    case 'dns1123-label':
      return isDns1123Label(prefix ? maskTrailingDash(name) : name);
    case 'dns1035-label':
      return isDns1035Label(prefix ? maskTrailingDash(name) : name);
    case 'dns1123-subdomain':
      return isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
  }
}

// 3. The check --------------------------------------------------------------------------------------

function quote(value: string): string {
  return JSON.stringify(value);
}

export function checkMetadata(manifest: Manifest, options: MetadataCheckOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const object = manifest.object;
  const metadata = object.metadata;
  if (!isRecord(metadata)) return diagnostics;
  // Every object passes here, nearly always without a problem: no closures, paths or lists are
  // made until one is found.
  const out: Found = { manifest, diagnostics };

  // Names.
  const kind = manifest.ref.kind;
  const group = manifest.ref.group;
  const rule = nameRuleFor({ group, kind });
  const name = metadata['name'];
  const generateName = metadata['generateName'];
  if (typeof generateName === 'string' && generateName !== '') {
    const path = ['metadata', 'generateName'];
    invalid(out, 'metadata/name', path, 'value', path, generateName, validateName(rule, generateName, { prefix: true }));
  }
  if (typeof name === 'string' && name !== '') {
    let messages = validateName(rule, name);
    if (messages.length === 0) messages = kindNameLimits(group, kind, name, object);
    if (messages.length > 0) {
      const path = ['metadata', 'name'];
      invalid(out, 'metadata/name', path, 'value', path, name, messages);
    }
  }

  // Namespace.
  const namespace = metadata['namespace'];
  if (typeof namespace === 'string' && namespace !== '') {
    if (options.namespaced === false) {
      push(out, 'warning', 'metadata/namespace', ['metadata', 'namespace'], 'value', `metadata.namespace ${quote(namespace)} is ignored: ${kind} is cluster-scoped`);
    } else {
      const messages = isDns1123Label(namespace);
      if (messages.length > 0) {
        const path = ['metadata', 'namespace'];
        invalid(out, 'metadata/namespace', path, 'value', path, namespace, messages);
      }
    }
  }

  // Labels and annotations, of the object and of its pod templates (and a CronJob's job template).
  checkLabelsAndAnnotations(metadata, METADATA, out);
  const spec = object['spec'];
  if (isRecord(spec)) {
    const template = spec['template'];
    if (isRecord(template) && isRecord(template['metadata'])) checkLabelsAndAnnotations(template['metadata'], TEMPLATE_METADATA, out);
    const jobTemplate = spec['jobTemplate'];
    if (isRecord(jobTemplate)) {
      if (isRecord(jobTemplate['metadata'])) checkLabelsAndAnnotations(jobTemplate['metadata'], JOB_TEMPLATE_METADATA, out);
      const jobSpec = jobTemplate['spec'];
      const jobPodTemplate = isRecord(jobSpec) ? jobSpec['template'] : undefined;
      if (isRecord(jobPodTemplate) && isRecord(jobPodTemplate['metadata'])) checkLabelsAndAnnotations(jobPodTemplate['metadata'], JOB_POD_TEMPLATE_METADATA, out);
    }
  }
  return diagnostics;
}

/** Where a check's problems go. */
interface Found {
  manifest: Manifest;
  diagnostics: Diagnostic[];
}

function push(out: Found, severity: Severity, rule: string, path: JsonPath, target: 'key' | 'value', message: string): void {
  const manifest = out.manifest;
  out.diagnostics.push({
    severity,
    rule,
    message,
    file: manifest.file,
    range: manifest.locate(path, target),
    object: manifest.ref,
    path,
    documentIndex: manifest.documentIndex,
  });
}

function invalid(out: Found, rule: string, path: JsonPath, target: 'key' | 'value', fieldPath: JsonPath, value: string, messages: readonly string[]): void {
  if (messages.length > 0) push(out, 'error', rule, path, target, `${toFieldPath(fieldPath)}: Invalid value: ${quote(value)}: ${messages.join('; ')}`);
}

/** Limits some kinds add because controllers derive other names or labels from the name. */
function kindNameLimits(group: string, kind: string, name: string, object: Record<string, unknown>): readonly string[] {
  if (group === 'batch' && kind === 'CronJob' && byteLength(name) > 52) return ['must be no more than 52 characters'];
  if (group === 'batch' && kind === 'Job') {
    if (byteLength(name) > 63) return [`must be no more than 63 characters (a Job's pods carry its name in the batch.kubernetes.io/job-name label)`];
    const spec = object['spec'];
    if (isRecord(spec) && spec['completionMode'] === 'Indexed' && typeof spec['completions'] === 'number' && spec['completions'] > 0) {
      const hostname = `${name}-${spec['completions'] - 1}`;
      if (isDns1123Label(hostname).length > 0) return [`will not able to create pod with invalid DNS label: ${hostname}`];
    }
  }
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
    const spec = object['spec'];
    const names = isRecord(spec) ? spec['names'] : undefined;
    const plural = isRecord(names) ? names['plural'] : undefined;
    const crdGroup = isRecord(spec) ? spec['group'] : undefined;
    if (typeof plural === 'string' && typeof crdGroup === 'string' && name !== `${plural}.${crdGroup}`) return ['must be spec.names.plural+"."+spec.group'];
  }
  return [];
}

// The metadata whose labels and annotations are checked: the object's, its pod template's, a
// CronJob's job template's and that template's pod template's. Never changed: paths built from
// them are copies.
const METADATA: JsonPath = ['metadata'];
const TEMPLATE_METADATA: JsonPath = ['spec', 'template', 'metadata'];
const JOB_TEMPLATE_METADATA: JsonPath = ['spec', 'jobTemplate', 'metadata'];
const JOB_POD_TEMPLATE_METADATA: JsonPath = ['spec', 'jobTemplate', 'spec', 'template', 'metadata'];

function checkLabelsAndAnnotations(metadata: Record<string, unknown>, base: JsonPath, out: Found): void {
  // (Paths are built only for a problem: every label of every object passes through here.)
  const labels = metadata['labels'];
  if (isRecord(labels)) {
    for (const key in labels) {
      const value = labels[key];
      const keyErrors = isQualifiedName(key);
      const valueErrors = typeof value === 'string' ? isLabelValue(value) : NONE;
      if (keyErrors.length === 0 && valueErrors.length === 0) continue;
      const fieldPath = [...base, 'labels'];
      const path = [...fieldPath, key];
      invalid(out, 'metadata/label-key', path, 'key', fieldPath, key, keyErrors);
      if (typeof value === 'string') invalid(out, 'metadata/label-value', path, 'value', fieldPath, value, valueErrors);
    }
  }
  const annotations = metadata['annotations'];
  if (isRecord(annotations)) {
    // Each unit is at most 3 bytes: the exact count is needed only when that bound passes the limit.
    let bound = 0;
    for (const key in annotations) {
      const value = annotations[key];
      // The API server checks annotation keys case-insensitively: upper case is allowed in the prefix.
      const keyErrors = isQualifiedName(key.toLowerCase());
      if (keyErrors.length > 0) {
        const fieldPath = [...base, 'annotations'];
        invalid(out, 'metadata/annotation-key', [...fieldPath, key], 'key', fieldPath, key, keyErrors);
      }
      bound += 3 * (key.length + (typeof value === 'string' ? value.length : 0));
    }
    let total = 0;
    if (bound > TOTAL_ANNOTATION_SIZE_LIMIT)
      for (const key in annotations) {
        const value = annotations[key];
        total += byteLength(key) + (typeof value === 'string' ? byteLength(value) : 0);
      }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      const fieldPath = [...base, 'annotations'];
      push(
        out,
        'error',
        'metadata/annotations-too-long',
        fieldPath,
        'key',
        `${toFieldPath(fieldPath)}: Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes (they total ${total} bytes)`,
      );
    }
  }
}
