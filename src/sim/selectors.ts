/**
 * Label and field selectors in the syntax the API server accepts: labels `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`; fields `f=v`, `f==v`, `f!=v` over the fields each kind
 * supports (metadata.name and metadata.namespace everywhere, a few per kind). Parsing returns a
 * value or an error message, never throws.
 */
import { isPlainObject } from './schema-nav.js';

export type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];

export function parseLabelSelector(text: string): { selector: LabelSelector } | { error: string } {
  const out: LabelSelector = [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    let m = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p);
    if (m) {
      out.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '') });
      continue;
    }
    m = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(p);
    if (m) {
      out.push({ op: m[2] === '!=' ? 'neq' : 'eq', key: m[1]!, value: m[3]! });
      continue;
    }
    m = /^(!?)\s*([A-Za-z0-9./_-]+)$/.exec(p);
    if (m) {
      out.push({ op: m[1] === '!' ? 'notexists' : 'exists', key: m[2]! });
      continue;
    }
    return { error: `unable to parse requirement: found '${p}', expected: identifier` };
  }
  return { selector: out };
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, unknown> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? String(l[r.key]) : undefined;
    switch (r.op) {
      case 'eq':
        return v === r.value;
      case 'neq':
        return v !== r.value;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

/** The selector of a `matchLabels` map, as controllers pass them. */
export function selectorFromMap(m: Record<string, string>): LabelSelector {
  return Object.entries(m).map(([key, value]) => ({ op: 'eq' as const, key, value }));
}

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Per-resource selectable fields beyond metadata.name/namespace (from the upstream strategies). */
const EXTRA_FIELDS: Record<string, string[]> = {
  '/pods': ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  '/events': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  '/secrets': ['type'],
  '/namespaces': ['status.phase'],
  '/nodes': ['spec.unschedulable'],
  '/replicationcontrollers': ['status.replicas'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
  'certificates.k8s.io/certificatesigningrequests': ['spec.signerName'],
};

export function parseFieldSelector(text: string, group: string, plural: string): { selector: FieldRequirement[] } | { error: string } {
  const out: FieldRequirement[] = [];
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[`${group}/${plural}`] ?? [])]);
  for (const raw of text.split(',')) {
    const p = raw.trim();
    if (p === '') continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(p);
    if (!m) return { error: `invalid selector: '${text}'; can't understand '${p}'` };
    const field = m[1]!.trim();
    if (!allowed.has(field)) return { error: `field label not supported: ${field}` };
    out.push({ field, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.trim() });
  }
  return { selector: out };
}

function fieldValue(obj: Record<string, unknown>, field: string): string {
  let cur: unknown = obj;
  for (const part of field.split('.')) cur = isPlainObject(cur) ? cur[part] : undefined;
  if (field === 'status.successful') {
    const s = isPlainObject(obj.status) ? obj.status.succeeded : undefined;
    return String(s ?? 0);
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(selector: FieldRequirement[], obj: Record<string, unknown>): boolean {
  return selector.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === 'eq'));
}
