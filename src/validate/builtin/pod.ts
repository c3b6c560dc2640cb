/**
 * Pod specs, as pkg/apis/core/validation validates them in Pods and in every pod template:
 * container names (DNS-1123 labels, unique across containers, init and ephemeral containers) and
 * images (a name repeated within one list is the schema's list-map check); container ports (numbers 1–65535, IANA_SVC_NAME names unique per container); env and
 * envFrom names; volumes (DNS-1123 names, one source each) and every volumeMount/volumeDevice naming
 * a volume; requests ≤ limits; probes and lifecycle handlers with exactly one handler; the pod's
 * and containers' security context ids. The owner's restartPolicy rules are in the owners' modules.
 */
import { appendAll, NONE } from '../../model/lists.js';
import { isDns1123Label } from '../metadata.js';
import { Errors, FieldPath, isRecord, records, str, type FieldError } from './field.js';
import { isRelaxedEnvVarName, isValidId, isValidPortName, isValidPortNum, quantityText, quantityValue } from './strings.js';

export const RULE_CONTAINER = 'builtin/container';
export const RULE_PORT = 'builtin/port';
export const RULE_ENV = 'builtin/env-name';
export const RULE_VOLUME = 'builtin/volume';
export const RULE_RESOURCES = 'builtin/resources';
export const RULE_PROBE = 'builtin/probe';
export const RULE_SECURITY = 'builtin/security-context';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export function validatePodSpec(spec: Record<string, unknown>, at: FieldPath): FieldError[] {
  // Every pod template of every workload passes here: sections the spec does not have cost no
  // paths, lists or closures (each is checked only when present; absent, it has nothing to report).
  const out: FieldError[] = [];
  const volumes = new Set<string>();
  if (spec.volumes !== undefined) appendAll(out, validateVolumes(spec.volumes, at.child('volumes'), volumes));

  const containers = new Errors(RULE_CONTAINER);
  // Fields the schema requires are reported here only when present but empty (absent: schema/required).
  if (Array.isArray(spec.containers) && spec.containers.length === 0) containers.required(at.child('containers'));
  // Names are unique across the three lists; a repeat within one list is the schema's list-map
  // key check (schema/list-map-duplicate), so only repeats across lists are reported here.
  const listOf = new Map<string, string>();
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const list = CONTAINER_LISTS[l]!;
    if (spec[list] === undefined) continue;
    const items = records(spec[list]);
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (c === undefined) continue; // a hole, as forEach skips
      const cp = at.child(list).index(i);
      if (typeof c.name !== 'string') continue;
      const name = c.name;
      if (name === '') containers.required(cp.child('name'));
      else {
        const messages = isDns1123Label(name);
        if (messages.length > 0) containers.invalidEach(cp.child('name'), name, messages);
      }
      const first = listOf.get(name);
      if (first === undefined) listOf.set(name, list);
      else if (first !== list) containers.duplicate(cp.child('name'), name);
      if (list !== 'ephemeralContainers' && str(c.image).trim() === '') containers.required(cp.child('image'));
      appendAll(out, validateContainer(c, cp, list, volumes));
    }
  }
  appendAll(out, containers.list);
  if (spec.securityContext !== undefined) appendAll(out, validatePodSecurityContext(spec.securityContext, at.child('securityContext')));
  return out;
}

function validateVolumes(value: unknown, at: FieldPath, names: Set<string>): FieldError[] {
  const e = new Errors(RULE_VOLUME);
  records(value).forEach((v, i) => {
    const vp = at.index(i);
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== null && v[k] !== undefined);
    if (sources.length === 0) e.required(vp, 'must specify a volume type');
    for (const extra of sources.slice(1)) e.forbidden(vp.child(extra), 'may not specify more than 1 volume type');
    if (typeof v.name !== 'string') return;
    const name = v.name;
    if (name === '') e.required(vp.child('name'));
    else e.invalidEach(vp.child('name'), name, isDns1123Label(name));
    // A repeated name is the schema's list-map key check (schema/list-map-duplicate).
    names.add(name);
  });
  return e.list;
}

function validateContainer(c: Record<string, unknown>, at: FieldPath, list: (typeof CONTAINER_LISTS)[number], volumes: Set<string>): readonly FieldError[] {
  let out: FieldError[] | undefined;
  const add = (errors: readonly FieldError[]) => {
    if (errors.length > 0) appendAll((out ??= []), errors);
  };

  if (c.ports !== undefined) {
    const ports = new Errors(RULE_PORT);
    const portNames = new Set<string>();
    records(c.ports).forEach((p, i) => {
      const pp = at.child('ports').index(i);
      const name = str(p.name);
      if (name !== '') {
        const msgs = isValidPortName(name);
        if (msgs.length > 0) ports.invalidEach(pp.child('name'), name, msgs);
        else if (portNames.has(name)) ports.duplicate(pp.child('name'), name);
        else portNames.add(name);
      }
      if (typeof p.containerPort === 'number') {
        if (p.containerPort === 0) ports.required(pp.child('containerPort'));
        else ports.invalidEach(pp.child('containerPort'), p.containerPort, isValidPortNum(p.containerPort));
      }
      if (typeof p.hostPort === 'number' && p.hostPort !== 0) ports.invalidEach(pp.child('hostPort'), p.hostPort, isValidPortNum(p.hostPort));
    });
    add(ports.list);
  }

  if (c.env !== undefined || c.envFrom !== undefined) {
    const env = new Errors(RULE_ENV);
    records(c.env).forEach((v, i) => {
      const np = at.child('env').index(i).child('name');
      if (typeof v.name !== 'string') return;
      const name = v.name;
      if (name === '') env.required(np);
      env.invalidEach(np, name, isRelaxedEnvVarName(name));
    });
    records(c.envFrom).forEach((v, i) => {
      const prefix = str(v.prefix);
      if (prefix !== '') env.invalidEach(at.child('envFrom').index(i).child('prefix'), prefix, isRelaxedEnvVarName(prefix));
    });
    add(env.list);
  }

  if (c.volumeMounts !== undefined || c.volumeDevices !== undefined) {
    const vol = new Errors(RULE_VOLUME);
    const mountPaths = new Set<string>();
    records(c.volumeMounts).forEach((m, i) => {
      const mp = at.child('volumeMounts').index(i);
      if (typeof m.name === 'string') {
        if (m.name === '') vol.required(mp.child('name'));
        if (!volumes.has(m.name)) vol.notFound(mp.child('name'), m.name);
      }
      if (typeof m.mountPath === 'string') {
        const path = m.mountPath;
        if (path === '') vol.required(mp.child('mountPath'));
        if (mountPaths.has(path)) vol.invalid(mp.child('mountPath'), path, 'must be unique');
        mountPaths.add(path);
      }
    });
    records(c.volumeDevices).forEach((d, i) => {
      const dp = at.child('volumeDevices').index(i);
      if (typeof d.name === 'string') {
        if (d.name === '') vol.required(dp.child('name'));
        if (!volumes.has(d.name)) vol.notFound(dp.child('name'), d.name);
      }
      if (d.devicePath === '') vol.required(dp.child('devicePath'));
    });
    add(vol.list);
  }

  if (isRecord(c.resources)) add(validateResources(c.resources, at));
  if (c.livenessProbe !== undefined || c.readinessProbe !== undefined || c.startupProbe !== undefined || c.lifecycle !== undefined) add(validateProbes(c, at, list));
  if (c.securityContext !== undefined) add(validateContainerSecurityContext(c.securityContext, at.child('securityContext')));
  return out ?? NONE;
}


/** Resources whose requests may be below their limits: native ones (no domain or *.kubernetes.io), not huge pages. */
function overcommitAllowed(name: string): boolean {
  const slash = name.indexOf('/');
  const native = slash < 0 || name.slice(0, slash).endsWith('kubernetes.io');
  return native && !name.startsWith('hugepages-');
}

/** Only a written minus sign can make a quantity negative: parsed for the sign only then. */
function negativeQuantity(q: unknown): boolean {
  return (typeof q === 'string' ? q.trimStart().startsWith('-') : typeof q === 'number' && q < 0) && (quantityValue(q) ?? 0) < 0;
}

/** A container's `resources` (a map), its paths under the container's `at` made only for errors. */
function validateResources(value: Record<string, unknown>, container: FieldPath): FieldError[] {
  const e = new Errors(RULE_RESOURCES);
  const limits = isRecord(value.limits) ? value.limits : {};
  const requests = isRecord(value.requests) ? value.requests : {};
  for (const name in limits) {
    const q = limits[name];
    if (negativeQuantity(q)) e.invalid(container.child('resources', 'limits').key(name), quantityText(q), 'must be greater than or equal to 0');
  }
  for (const name in requests) {
    const q = requests[name];
    if (negativeQuantity(q)) e.invalid(container.child('resources', 'requests').key(name), quantityText(q), 'must be greater than or equal to 0');
    if (Object.prototype.hasOwnProperty.call(limits, name)) {
      const n = quantityValue(q);
      const l = quantityValue(limits[name]);
      if (n === undefined || l === undefined) continue;
      // Upstream names the whole requests map here; the diagnostic points at the one request.
      if (n !== l && !overcommitAllowed(name)) e.invalid(requestsAt(container, name), quantityText(q), `must be equal to ${name} limit of ${quantityText(limits[name])}`);
      else if (n > l) e.invalid(requestsAt(container, name), quantityText(q), `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`);
    } else if (!overcommitAllowed(name)) {
      e.required(container.child('resources', 'limits'), 'Limit must be set for non overcommitable resources');
    }
  }
  return e.list;
}

function requestsAt(container: FieldPath, name: string): FieldPath {
  const requests = container.child('resources', 'requests');
  return requests.at(requests.key(name).json);
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const PROBE_COUNTERS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];
const LIFECYCLE_HOOKS = ['postStart', 'preStop'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateHandler(e: Errors, ports: Errors, h: Record<string, unknown>, at: FieldPath, kinds: readonly string[]): void {
  let n = 0;
  for (const k of kinds) {
    if (h[k] === undefined || h[k] === null) continue;
    if (n > 0) {
      e.forbidden(at.child(k), 'may not specify more than 1 handler type');
      continue;
    }
    n++;
    const port = isRecord(h[k]) ? (h[k] as Record<string, unknown>).port : undefined;
    if ((k === 'httpGet' || k === 'tcpSocket') && port !== undefined) {
      const pp = at.child(k, 'port');
      if (typeof port === 'number') ports.invalidEach(pp, port, isValidPortNum(port));
      else if (typeof port === 'string') ports.invalidEach(pp, port, isValidPortName(port));
    }
  }
  if (n === 0) e.required(at, 'must specify a handler type');
}

function validateProbes(c: Record<string, unknown>, at: FieldPath, list: (typeof CONTAINER_LISTS)[number]): FieldError[] {
  const e = new Errors(RULE_PROBE);
  const ports = new Errors(RULE_PORT);
  const sidecar = list === 'initContainers' && c.restartPolicy === 'Always';
  for (const probe of PROBES) {
    const p = c[probe];
    if (!isRecord(p)) continue;
    const pp = at.child(probe);
    if (list === 'initContainers' && !sidecar) {
      e.forbidden(pp, 'may not be set for init containers without restartPolicy=Always');
      continue;
    }
    // Ephemeral containers are added through their own subresource, never written in manifests.
    if (list === 'ephemeralContainers') continue;
    validateHandler(e, ports, p, pp, PROBE_HANDLERS);
    for (const f of PROBE_COUNTERS) {
      const v = p[f];
      if (typeof v === 'number' && v < 0) e.invalid(pp.child(f), v, 'must be greater than or equal to 0');
    }
    if (probe !== 'readinessProbe' && typeof p.successThreshold === 'number' && p.successThreshold !== 1) e.invalid(pp.child('successThreshold'), p.successThreshold, 'must be 1');
    if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0)
      e.invalid(pp.child('terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0');
  }
  if (isRecord(c.lifecycle)) {
    for (const hook of LIFECYCLE_HOOKS) {
      const h = c.lifecycle[hook];
      if (isRecord(h)) validateHandler(e, ports, h, at.child('lifecycle', hook), LIFECYCLE_HANDLERS);
    }
  }
  return [...e.list, ...ports.list];
}

function validateIds(e: Errors, sc: Record<string, unknown>, at: FieldPath, fields: readonly string[]): void {
  for (const f of fields) {
    const v = sc[f];
    if (typeof v === 'number') e.invalidEach(at.child(f), v, isValidId(v));
  }
}

function validatePodSecurityContext(value: unknown, at: FieldPath): FieldError[] {
  const e = new Errors(RULE_SECURITY);
  if (!isRecord(value)) return e.list;
  validateIds(e, value, at, ['runAsUser', 'runAsGroup', 'fsGroup']);
  if (Array.isArray(value.supplementalGroups))
    value.supplementalGroups.forEach((g, i) => {
      if (typeof g === 'number') e.invalidEach(at.child('supplementalGroups').index(i), g, isValidId(g));
    });
  return e.list;
}

function validateContainerSecurityContext(value: unknown, at: FieldPath): FieldError[] {
  const e = new Errors(RULE_SECURITY);
  if (!isRecord(value)) return e.list;
  validateIds(e, value, at, ['runAsUser', 'runAsGroup']);
  if (value.allowPrivilegeEscalation === false) {
    if (value.privileged === true) e.invalid(at, { go: 'core.SecurityContext{...}' }, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true');
    const add = isRecord(value.capabilities) && Array.isArray(value.capabilities.add) ? value.capabilities.add : [];
    if (add.includes('SYS_ADMIN') || add.includes('CAP_SYS_ADMIN'))
      e.invalid(at, { go: 'core.SecurityContext{...}' }, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN');
  }
  return e.list;
}
