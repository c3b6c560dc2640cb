/**
 * Ingress and NetworkPolicy, as pkg/apis/networking/validation validates them: an Ingress needs
 * rules or a default backend; each path's pathType decides its form (Exact and Prefix paths are
 * absolute and clean); each backend is exactly one of a service (with a port name or number) and
 * a resource. A NetworkPolicy's ports are valid numbers or IANA names (endPort not below port),
 * and each peer is exactly one kind, ipBlock alone with a valid CIDR.
 */
import { isDns1035Label } from '../metadata.js';
import { Errors, FieldPath, isRecord, records, str, type FieldError } from './field.js';
import { isValidPortName, isValidPortNum } from './strings.js';

export const RULE_INGRESS = 'builtin/ingress';
export const RULE_NETWORK_POLICY = 'builtin/network-policy';

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

function validateBackend(e: Errors, b: Record<string, unknown>, at: FieldPath): void {
  const hasResource = isRecord(b.resource);
  const hasService = isRecord(b.service);
  if (hasResource && hasService) {
    e.invalid(at, '', 'cannot set both resource and service backends');
    return;
  }
  if (hasResource) {
    const r = b.resource as Record<string, unknown>;
    if (str(r.kind) === '') e.required(at.child('resource', 'kind'), 'kind is required');
    if (str(r.name) === '') e.required(at.child('resource', 'name'), 'name is required');
    return;
  }
  if (!hasService) {
    e.invalid(at, '', 'resource or service backend is required');
    return;
  }
  const s = b.service as Record<string, unknown>;
  const name = str(s.name);
  if (s.name === '') e.required(at.child('service', 'name'));
  else if (name !== '') e.invalidEach(at.child('service', 'name'), name, isDns1035Label(name));
  const port = isRecord(s.port) ? s.port : {};
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName !== '' && portNumber !== 0) e.invalid(at, '', 'cannot set both port name & port number');
  else if (portName !== '') e.invalidEach(at.child('service', 'port', 'name'), portName, isValidPortName(portName));
  else if (portNumber !== 0) e.invalidEach(at.child('service', 'port', 'number'), portNumber, isValidPortNum(portNumber));
  else e.required(at, 'port name or number is required');
}

export function validateIngress(o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const e = new Errors(RULE_INGRESS);
  const at = FieldPath.root('spec');
  const rules = records(spec.rules);
  const hasDefault = isRecord(spec.defaultBackend);
  if (rules.length === 0 && !hasDefault) e.invalid(at, { go: '[]networking.IngressRule(nil)' }, 'either `defaultBackend` or `rules` must be specified');
  if (hasDefault) validateBackend(e, spec.defaultBackend as Record<string, unknown>, at.child('defaultBackend'));
  rules.forEach((rule, i) => {
    const rp = at.child('rules').index(i);
    if (!isRecord(rule.http)) return;
    const hp = rp.child('http');
    const paths = records(rule.http.paths);
    if (Array.isArray(rule.http.paths) && paths.length === 0) e.required(hp.child('paths'));
    paths.forEach((p, j) => {
      const pp = hp.child('paths').index(j);
      // A missing pathType or backend is schema/required.
      const pathType = p.pathType;
      if (typeof pathType !== 'string') return;
      const path = str(p.path);
      const pathAt = pp.child('path');
      if (pathType === 'Exact' || pathType === 'Prefix') {
        if (!path.startsWith('/')) e.invalid(pathAt, path, 'must be an absolute path');
        if (path.length > 0) {
          for (const seq of INVALID_SEQUENCES) if (path.includes(seq)) e.invalid(pathAt, path, `must not contain '${seq}'`);
          for (const suffix of INVALID_SUFFIXES) if (path.endsWith(suffix)) e.invalid(pathAt, path, `cannot end with '${suffix}'`);
        }
      } else if (pathType === 'ImplementationSpecific') {
        if (path.length > 0 && !path.startsWith('/')) e.invalid(pathAt, path, 'must be an absolute path');
      } else {
        e.notSupported(pp.child('pathType'), pathType, ['Exact', 'ImplementationSpecific', 'Prefix']);
      }
      if (isRecord(p.backend)) validateBackend(e, p.backend, pp.child('backend'));
    });
  });
  return e.list;
}

/** An IPv4 or IPv6 CIDR as net.ParseCIDR accepts it. */
function parseCidr(text: string): { bits: bigint; prefix: number; width: number } | undefined {
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(text);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  const ip = m[1]!;
  if (ip.includes(':')) {
    const parts = ip.split('::');
    if (parts.length > 2) return undefined;
    const head = parts[0] ? parts[0].split(':') : [];
    const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
    const groups = parts.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
    if (groups.length !== 8 || prefix > 128 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return { bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), prefix, width: 128 };
  }
  const octets = ip.split('.');
  if (octets.length !== 4 || prefix > 32 || !octets.every((x) => /^[0-9]{1,3}$/.test(x) && Number(x) <= 255)) return undefined;
  return { bits: octets.reduce((acc, x) => (acc << 8n) | BigInt(Number(x)), 0n), prefix, width: 32 };
}

function validatePeer(e: Errors, peer: Record<string, unknown>, at: FieldPath): void {
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => isRecord(peer[k]));
  if (kinds.length === 0) e.required(at, 'must specify a peer');
  else if (kinds.length > 1 && kinds.includes('ipBlock')) e.forbidden(at, 'may not specify both ipBlock and another peer');
  if (!isRecord(peer.ipBlock)) return;
  const ipAt = at.child('ipBlock');
  if (typeof peer.ipBlock.cidr !== 'string') return;
  const cidrText = peer.ipBlock.cidr;
  if (cidrText === '') {
    e.required(ipAt.child('cidr'));
    return;
  }
  const cidr = parseCidr(cidrText);
  if (!cidr) {
    e.invalid(ipAt.child('cidr'), cidrText, 'not a valid CIDR');
    return;
  }
  const excepts = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [];
  for (let i = 0; i < excepts.length; i++) {
    const text = str(excepts[i]);
    const ex = parseCidr(text);
    const ep = ipAt.child('except').index(i);
    if (!ex) {
      e.invalid(ep, text, 'not a valid CIDR');
      return;
    }
    const shift = BigInt(cidr.width - cidr.prefix);
    const contained = ex.width === cidr.width && ex.bits >> shift === cidr.bits >> shift;
    if (!contained || cidr.prefix >= ex.prefix) e.invalid(ep, text, 'must be a strict subset of `cidr`');
  }
}

function validatePort(e: Errors, port: Record<string, unknown>, at: FieldPath): void {
  const p = port.port;
  if (typeof p === 'number') e.invalidEach(at.child('port'), p, isValidPortNum(p));
  else if (typeof p === 'string') e.invalidEach(at.child('port'), p, isValidPortName(p));
  if (typeof port.endPort === 'number') {
    if (p === undefined || p === null) e.required(at.child('port'), 'must specify port when endPort is specified');
    else if (typeof p === 'string') e.forbidden(at.child('endPort'), 'may not be specified when `port` is non-numeric');
    else if (typeof p === 'number' && port.endPort < p) e.invalid(at.child('endPort'), port.endPort, 'must be greater than or equal to `port`');
  }
}

export function validateNetworkPolicy(o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const e = new Errors(RULE_NETWORK_POLICY);
  const at = FieldPath.root('spec');
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    records(spec[dir]).forEach((rule, i) => {
      const rp = at.child(dir).index(i);
      records(rule.ports).forEach((port, j) => validatePort(e, port, rp.child('ports').index(j)));
      records(rule[peers]).forEach((peer, j) => validatePeer(e, peer, rp.child(peers).index(j)));
    });
  }
  return e.list;
}
