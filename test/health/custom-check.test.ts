/** The pure parts of custom health checks: which check, ports, paths, verdicts and what is shown. */
import { describe, expect, it } from 'vitest';
import {
  checkBackoffMs,
  commandResult,
  excerpt,
  healthCheckOf,
  httpResult,
  podPort,
  podProxyPath,
  servicePort,
  serviceProxyPath,
  statusAccepted,
} from '../../src/health/index.js';
import { splitCommand } from '../../src/annotations/index.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-7c9f-abcde' },
  spec: {
    containers: [
      { name: 'web', image: 'example/web:1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] },
      { name: 'proxy', image: 'example/proxy:2', ports: [{ name: 'admin', containerPort: 15000 }] },
    ],
  },
};

describe('custom health checks (pure)', () => {
  it('reads the check of checkable kinds only', () => {
    const annotations = { 'kd.io/health-check': 'http', 'kd.io/health-check-port': 'metrics' };
    expect(healthCheckOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations } })).toEqual({ type: 'http', path: '/', port: 'metrics', expect: ['2xx'] });
    expect(healthCheckOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations } })).toBeUndefined();
    expect(healthCheckOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: { 'kd.io/health-check': 'command' } } })).toBeUndefined();
  });

  it('accepts status codes and classes', () => {
    expect(statusAccepted(204, ['2xx'])).toBe(true);
    expect(statusAccepted(301, ['2xx'])).toBe(false);
    expect(statusAccepted(301, ['200', '301'])).toBe(true);
    expect(statusAccepted(503, ['5xx'])).toBe(true);
  });

  it('resolves pod ports by number, name or the first container port', () => {
    expect(podPort(pod, 7000)).toBe(7000);
    expect(podPort(pod, 'admin')).toBe(15000);
    expect(podPort(pod, undefined)).toBe(8080);
    expect(podPort(pod, 'grpc')).toBeUndefined();
    expect(servicePort({ kind: 'Service', spec: { ports: [{ port: 80, targetPort: 'http' }] } }, undefined)).toBe('80');
    expect(servicePort({ kind: 'Service', spec: { ports: [{ name: 'web', port: 80 }] } }, undefined)).toBe('web');
  });

  it('builds proxy paths', () => {
    expect(podProxyPath('shop', 'web-1', 8080, '/healthz?full=1')).toBe('/api/v1/namespaces/shop/pods/web-1:8080/proxy/healthz?full=1');
    expect(serviceProxyPath('shop', 'web', 'http', '/')).toBe('/api/v1/namespaces/shop/services/web:http/proxy/');
  });

  it('shows at most 200 bytes on one line, Secret values masked', () => {
    const long = 'x'.repeat(300);
    expect(excerpt(long)).toBe('x'.repeat(200) + '…');
    expect(excerpt('db down\npassword=hunter2-prod\n', ['hunter2-prod'])).toBe('db down password=***');
    expect(httpResult('pod web-1', 503, 'token s3cr3t-value rejected', ['2xx'], ['s3cr3t-value'])).toEqual({ target: 'pod web-1', ok: false, detail: 'answered 503 (expected 2xx): token *** rejected' });
    expect(commandResult('pod web-1', 3, 'not ready\n', undefined, [])).toEqual({ target: 'pod web-1', ok: false, detail: 'exit code 3: not ready' });
    expect(commandResult('pod web-1', 0, 'ok', undefined, [])).toEqual({ target: 'pod web-1', ok: true, detail: 'exit code 0' });
  });

  it('backs off from 0.5 s doubling to 5 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(checkBackoffMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('splits command lines as a shell would, without running one', () => {
    expect(splitCommand(`sh -c 'echo $HOME; exit 1'`)).toEqual(['sh', '-c', 'echo $HOME; exit 1']);
    expect(splitCommand(`curl -H "X-A: \\"b\\"" a\\ b`)).toEqual(['curl', '-H', 'X-A: "b"', 'a b']);
    expect(splitCommand(`''`)).toEqual(['']);
    expect(splitCommand(`echo 'open`)).toBeUndefined();
    expect(splitCommand('   ')).toBeUndefined();
  });
});
