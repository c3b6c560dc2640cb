/**
 * The `proxy` subresources of pods and Services (`/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH`,
 * `.../services/NAME[:PORT]/proxy/PATH`), so that HTTP health checks and `kubectl get --raw`
 * have something to talk to. Nothing runs in a simulated pod: the answer's status is the pod's
 * `sim.kd.io/http-status` annotation (default 200) and its body a short line naming the pod, port
 * and path. A Service answers as its first ready selected pod; none: 503 as kube-apiserver says
 * when a Service has no endpoints.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../model/object-ref.js';
import { ApiError, badRequest, notFound } from './api-status.js';
import type { RestStorage } from './rest-storage.js';
import { selectorFromMap } from './selectors.js';

export const HTTP_STATUS_ANNOTATION = 'sim.kd.io/http-status';

interface ProxyRoute {
  namespace: string;
  plural: 'pods' | 'services';
  name: string;
  port: string | undefined;
  path: string;
}

/** The route of a proxy request, or undefined when the path is not one. */
export function proxyRoute(segments: string[]): ProxyRoute | undefined {
  const [api, version, namespaces, namespace, plural, nameAndPort, proxy] = segments;
  if (api !== 'api' || version !== 'v1' || namespaces !== 'namespaces' || namespace === undefined) return undefined;
  if ((plural !== 'pods' && plural !== 'services') || nameAndPort === undefined || proxy !== 'proxy') return undefined;
  // `NAME`, `NAME:PORT` or `SCHEME:NAME:PORT`, as the apiserver's SplitSchemeNamePort reads it.
  const parts = decodeURIComponent(nameAndPort).split(':');
  const [name, port] = parts.length === 3 ? [parts[1]!, parts[2]] : [parts[0]!, parts[1]];
  return { namespace, plural, name, port: port === '' ? undefined : port, path: '/' + segments.slice(7).join('/') };
}

function annotation(obj: KubeObject, key: string): string | undefined {
  const a = (obj.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[key];
  return typeof a === 'string' ? a : undefined;
}

function isReady(pod: KubeObject): boolean {
  const conditions = (pod['status'] as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Answers a proxy request for `route`. */
export function serveProxy(storage: RestStorage, route: ProxyRoute, method: string, res: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE' && method !== 'PATCH' && method !== 'OPTIONS')
    throw badRequest(`method ${method} is not supported by the proxy`);
  const res0 = storage.catalog.resource('', 'v1', route.plural)!;
  const target = storage.tryGet(res0, route.namespace, route.name);
  if (target === undefined) throw notFound('', route.plural, route.name);
  let pod = target;
  if (route.plural === 'services') {
    const selector = (target['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
    const pods = selector ? storage.list(storage.catalog.resource('', 'v1', 'pods')!, route.namespace, selectorFromMap(selector)) : [];
    const ready = pods.filter(isReady);
    if (ready[0] === undefined) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${route.name}"`);
    pod = ready[0];
  }
  const raw = annotation(pod, HTTP_STATUS_ANNOTATION);
  const status = raw !== undefined && /^[1-5][0-9]{2}$/.test(raw.trim()) ? Number(raw.trim()) : 200;
  const podName = String((pod.metadata as { name?: unknown }).name ?? '');
  const body = `kd sim: pod ${podName}${route.port ? ` port ${route.port}` : ''} answered ${status} for ${route.path}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(method === 'HEAD' ? undefined : body);
}
