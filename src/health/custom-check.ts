/**
 * Custom health checks (`kd.io/health-check`, sherpack's `health-check` aliases), the pure parts:
 * what to check on an object, which pods and ports it concerns, the API server paths to call,
 * whether an answer passes, the retry backoff and the failure text. The loop that calls the API
 * server and waits lives in src/apply/health-check.ts.
 *
 * An HTTP check GETs `PATH` of each ready pod of the current rollout through the pods `proxy`
 * subresource (of a Service: its `services/NAME:PORT/proxy`); a command check runs through
 * `pods/exec` of each ready pod. Both reach the pods wherever kubectl can: no port-forward, no
 * direct network path to the cluster.
 */
import { readKdAnnotations } from '../annotations/index.js';
import type { KubeObject } from '../model/index.js';
import { isPlainObject as isMap } from '../model/json.js';

export type HealthCheckSpec =
  | { type: 'http'; path: string; port: number | string | undefined; expect: readonly string[] }
  | { type: 'command'; command: readonly string[]; container: string | undefined };

/** The kinds a check can be put on: workloads (checked through their pods), Pods and Services. */
const CHECKABLE = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', '/Pod', '/Service']);

function groupOf(object: KubeObject): string {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The object's custom health check, or undefined when it has none (or its kind cannot have one). */
export function healthCheckOf(object: KubeObject): HealthCheckSpec | undefined {
  if (!CHECKABLE.has(`${groupOf(object)}/${String(object.kind)}`)) return undefined;
  const { value } = readKdAnnotations(object);
  if (value.healthCheck === 'http') return { type: 'http', path: value.healthCheckPath, port: value.healthCheckPort, expect: value.healthCheckExpect };
  if (value.healthCheck === 'command') {
    if (value.healthCheckCommand.length === 0) return undefined;
    return { type: 'command', command: value.healthCheckCommand, container: value.healthCheckContainer };
  }
  return undefined;
}

/** Whether a check on this kind goes through the Service proxy rather than pods. */
export function checksService(object: KubeObject): boolean {
  return groupOf(object) === '' && object.kind === 'Service';
}

/** Whether an HTTP status is one of `expect` (`200`, `2xx`). */
export function statusAccepted(status: number, expect: readonly string[]): boolean {
  const s = String(status);
  return expect.some((e) => (e.endsWith('xx') ? s.length === 3 && s[0] === e[0] : e === s));
}

export function isPodReady(pod: KubeObject): boolean {
  const status = isMap(pod['status']) ? pod['status'] : {};
  if (isMap(pod['metadata']) && pod['metadata']['deletionTimestamp'] !== undefined) return false;
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return conditions.some((c) => isMap(c) && c['type'] === 'Ready' && c['status'] === 'True');
}

export function nameOf(object: KubeObject): string {
  return isMap(object['metadata']) && typeof object['metadata']['name'] === 'string' ? object['metadata']['name'] : '';
}

/**
 * The pod port an HTTP check calls: a number as given, a name looked up in the containers'
 * ports (the API server's pod proxy takes numbers only), no port: the first container's first
 * port. Undefined when the pod has no such port.
 */
export function podPort(pod: KubeObject, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  const spec = isMap(pod['spec']) ? pod['spec'] : {};
  const containers = Array.isArray(spec['containers']) ? spec['containers'].filter(isMap) : [];
  const ports = containers.flatMap((c) => (Array.isArray(c['ports']) ? c['ports'].filter(isMap) : []));
  const found = port === undefined ? ports[0] : ports.find((p) => p['name'] === port);
  return typeof found?.['containerPort'] === 'number' ? found['containerPort'] : undefined;
}

/** The Service port an HTTP check calls: as given (number or name), else the first port's name or number. */
export function servicePort(service: KubeObject, port: number | string | undefined): string | undefined {
  if (port !== undefined) return String(port);
  const spec = isMap(service['spec']) ? service['spec'] : {};
  const first = Array.isArray(spec['ports']) ? spec['ports'].find(isMap) : undefined;
  if (first === undefined) return undefined;
  return typeof first['name'] === 'string' && first['name'] !== '' ? first['name'] : String(first['port']);
}

function joinPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

export function podProxyPath(namespace: string, pod: string, port: number, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy${joinPath(path)}`;
}

export function serviceProxyPath(namespace: string, service: string, port: string, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${encodeURIComponent(port)}/proxy${joinPath(path)}`;
}

/** Delay before attempt `attempt` (1-based) of a failing check: 0.5 s doubling to at most 5 s. */
export function checkBackoffMs(attempt: number): number {
  return Math.min(5000, 500 * 2 ** Math.max(0, attempt - 1));
}

export const EXCERPT_BYTES = 200;

/**
 * The first 200 bytes of a body or output, on one line, with `secrets` (the values of the run's
 * Secrets) masked: a check's answer is shown in events and errors.
 */
export function excerpt(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  const bytes = Buffer.from(out, 'utf8');
  const cut = bytes.length > EXCERPT_BYTES ? bytes.subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '') + '…' : out;
  return cut.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** `GET /healthz (port 8080)`, `/bin/check-ready.sh --quick`: what is checked, for events. */
export function describeCheck(spec: HealthCheckSpec): string {
  if (spec.type === 'http') return `GET ${spec.path}${spec.port === undefined ? '' : ` (port ${spec.port})`}`;
  return `exec ${spec.command.join(' ')}${spec.container ? ` (container ${spec.container})` : ''}`;
}

/** One pod's (or the Service's) result of one attempt. */
export type CheckResult =
  | { target: string; ok: true; detail: string }
  | { target: string; ok: false; detail: string };

export function httpResult(target: string, status: number, body: string, expect: readonly string[], secrets: readonly string[]): CheckResult {
  const text = excerpt(body, secrets);
  if (statusAccepted(status, expect)) return { target, ok: true, detail: `answered ${status}` };
  return { target, ok: false, detail: `answered ${status} (expected ${expect.join(',')})${text ? `: ${text}` : ''}` };
}

export function commandResult(target: string, exitCode: number, output: string, error: string | undefined, secrets: readonly string[]): CheckResult {
  const text = excerpt(output, secrets);
  if (exitCode === 0 && error === undefined) return { target, ok: true, detail: 'exit code 0' };
  const why = error !== undefined ? `failed: ${excerpt(error, secrets)}` : `exit code ${exitCode}`;
  return { target, ok: false, detail: `${why}${text ? `: ${text}` : ''}` };
}
