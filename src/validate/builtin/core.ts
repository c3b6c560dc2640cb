/**
 * Core kinds, as pkg/apis/core/validation validates them: Pods (pod.ts), Services (ports, their
 * names when there are several, targetPort, nodePort by type and range, clusterIP by type,
 * externalName), Secrets (keys, 1 MiB, each type's required keys and `.dockerconfigjson` syntax)
 * and ConfigMaps (keys, 1 MiB, no key in both data and binaryData). A Secret's stringData is
 * merged into data before validation, as the API server does; its values are never printed.
 */
import { isDns1123Label, isDns1123Subdomain, byteLength } from '../metadata.js';
import { Errors, FieldPath, isRecord, records, str, type FieldError } from './field.js';
import { validatePodSpec } from './pod.js';
import { isConfigMapKey, isValidPortName, isValidPortNum } from './strings.js';

export const RULE_SERVICE = 'builtin/service';
export const RULE_SECRET = 'builtin/secret';
export const RULE_CONFIGMAP = 'builtin/configmap';

/** The API server's limit on a Secret's or ConfigMap's data (corev1.MaxSecretSize). */
export const MAX_DATA_SIZE = 1024 * 1024;

/** The service node port range kube-apiserver allocates from by default (--service-node-port-range). */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

export function validatePod(o: Record<string, unknown>): FieldError[] {
  return isRecord(o.spec) ? validatePodSpec(o.spec, FieldPath.root('spec')) : [];
}

export function validateService(o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const e = new Errors(RULE_SERVICE);
  const at = FieldPath.root('spec');
  const type = str(spec.type) || 'ClusterIP';
  const clusterIP = str(spec.clusterIP);
  const headless = clusterIP === 'None';
  const ports = records(spec.ports);
  if (type === 'ExternalName') {
    const name = str(spec.externalName);
    if (name === '') e.required(at.child('externalName'));
    else e.invalidEach(at.child('externalName'), name, isDns1123Subdomain(name.replace(/\.$/, '')));
    if (clusterIP !== '') e.forbidden(at.child('clusterIPs').at(at.child('clusterIP').json), 'may not be set for ExternalName services');
  } else if (ports.length === 0 && !headless) e.required(at.child('ports'));
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) e.invalid(at.child('clusterIPs').index(0).at(at.child('clusterIP').json), 'None', `may not be set to 'None' for ${type} services`);

  const names = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const pp = at.child('ports').index(i);
    const name = str(p.name);
    if (ports.length > 1 && name === '') e.required(pp.child('name'));
    else if (name !== '') {
      e.invalidEach(pp.child('name'), name, isDns1123Label(name));
      if (names.has(name)) e.duplicate(pp.child('name'), name);
      else names.add(name);
    }
    if (typeof p.port === 'number') e.invalidEach(pp.child('port'), p.port, isValidPortNum(p.port));
    const target = p.targetPort;
    if (typeof target === 'number' && target !== 0) e.invalidEach(pp.child('targetPort'), target, isValidPortNum(target));
    else if (typeof target === 'string') e.invalidEach(pp.child('targetPort'), target, isValidPortName(target));
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      const np = pp.child('nodePort');
      if (type !== 'NodePort' && type !== 'LoadBalancer') e.forbidden(np, `may not be used when \`type\` is '${type}'`);
      else {
        const msgs = isValidPortNum(p.nodePort);
        e.invalidEach(np, p.nodePort, msgs);
        if (msgs.length === 0 && (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX))
          e.invalid(np, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`);
        const key = `${p.nodePort}/${str(p.protocol) || 'TCP'}`;
        if (nodePorts.has(key)) e.duplicate(np, p.nodePort);
        nodePorts.add(key);
      }
    }
  });
  return e.list;
}

function base64Length(v: string): number {
  const s = v.replace(/\s/g, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

function decodeBase64(v: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(v.replace(/\s/g, '')), (c) => c.charCodeAt(0)));
}

/** encoding/json's first complaint about a document, in its words (enough for the common cases). */
function goJsonError(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    if (trimmed === '') return 'unexpected end of JSON input';
    const first = trimmed[0]!;
    if (!/[{["\-0-9tfn]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
    return 'unexpected end of JSON input';
  }
  if (!isRecord(parsed)) return `json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool'} into Go value of type map[string]interface {}`;
  return undefined;
}

export function validateSecret(o: Record<string, unknown>): FieldError[] {
  const e = new Errors(RULE_SECRET);
  const dataAt = FieldPath.root('data');
  const data = isRecord(o.data) ? o.data : {};
  const stringData = isRecord(o.stringData) ? o.stringData : {};
  // Where each merged key was written: stringData wins over data, as the API server merges them.
  const where = new Map<string, FieldPath>();
  const size = new Map<string, number>();
  for (const [k, v] of Object.entries(data)) {
    where.set(k, dataAt.key(k));
    size.set(k, typeof v === 'string' ? base64Length(v) : 0);
  }
  for (const [k, v] of Object.entries(stringData)) {
    where.set(k, dataAt.key(k).at(['stringData', k]));
    size.set(k, typeof v === 'string' ? byteLength(v) : 0);
  }
  for (const [k, p] of where) e.invalidEach(p, k, isConfigMapKey(k), 'key');
  let total = 0;
  for (const n of size.values()) total += n;
  if (total > MAX_DATA_SIZE) e.tooLong(dataAt.at(Object.keys(data).length > 0 ? ['data'] : ['stringData']), MAX_DATA_SIZE);

  const typeAt = (key: string) => dataAt.key(key).at(Object.keys(data).length > 0 ? ['data'] : Object.keys(stringData).length > 0 ? ['stringData'] : ['type']);
  const valueOf = (key: string): string | undefined => {
    if (typeof stringData[key] === 'string') return stringData[key] as string;
    if (typeof data[key] === 'string') {
      try {
        return decodeBase64(data[key] as string);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  const type = str(o.type);
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = isRecord(o.metadata) && isRecord(o.metadata.annotations) ? o.metadata.annotations : {};
      if (str(annotations['kubernetes.io/service-account.name']) === '')
        e.required(FieldPath.root('metadata', 'annotations').key('kubernetes.io/service-account.name').at(['metadata']));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!where.has(key)) {
        e.required(typeAt(key));
        break;
      }
      const text = valueOf(key);
      const err = text === undefined ? undefined : goJsonError(text);
      if (err) e.invalid(where.get(key)!, '<secret contents redacted>', err);
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!where.has('username') && !where.has('password')) {
        e.required(typeAt('username'));
        e.required(typeAt('password'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if ((size.get('ssh-privatekey') ?? 0) === 0) e.required(where.get('ssh-privatekey') ?? typeAt('ssh-privatekey'));
      break;
    case 'kubernetes.io/tls':
      if (!where.has('tls.crt')) e.required(typeAt('tls.crt'));
      if (!where.has('tls.key')) e.required(typeAt('tls.key'));
      break;
    default:
      break;
  }
  return e.list;
}

export function validateConfigMap(o: Record<string, unknown>): FieldError[] {
  const e = new Errors(RULE_CONFIGMAP);
  const data = isRecord(o.data) ? o.data : {};
  const binary = isRecord(o.binaryData) ? o.binaryData : {};
  // The size is counted exactly only when a bound from the lengths (at most 3 bytes per UTF-16
  // unit, and base64 never decodes to more units than it has) could pass the limit: counting the
  // bytes of every value (whole configuration files) was most of a ConfigMap's check.
  let bound = 0;
  for (const k of Object.keys(data)) {
    const v = data[k];
    const keyErrors = isConfigMapKey(k);
    const duplicate = Object.prototype.hasOwnProperty.call(binary, k);
    if (keyErrors.length > 0 || duplicate) {
      const p = FieldPath.root('data').key(k);
      e.invalidEach(p, k, keyErrors, 'key');
      if (duplicate) e.invalid(p, k, 'duplicate of key present in binaryData', 'key');
    }
    bound += typeof v === 'string' ? 3 * v.length : 0;
  }
  for (const k of Object.keys(binary)) {
    const v = binary[k];
    const keyErrors = isConfigMapKey(k);
    if (keyErrors.length > 0) e.invalidEach(FieldPath.root('binaryData').key(k), k, keyErrors, 'key');
    bound += typeof v === 'string' ? v.length : 0;
  }
  let total = 0;
  if (bound > MAX_DATA_SIZE) {
    for (const v of Object.values(data)) total += typeof v === 'string' ? byteLength(v) : 0;
    for (const v of Object.values(binary)) total += typeof v === 'string' ? base64Length(v) : 0;
  }
  // The error is on the whole object, which Go's field path prints as `[]`.
  if (total > MAX_DATA_SIZE) e.tooLong(FieldPath.root('[]').at([Object.keys(data).length > 0 ? 'data' : 'binaryData']), MAX_DATA_SIZE);
  return e.list;
}
