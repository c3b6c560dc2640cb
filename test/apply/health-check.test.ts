/**
 * Custom health checks against kd sim: an HTTP check through the pods (or Service) proxy
 * subresource and a command check through pods/exec, after the object is ready by its kind's
 * rules. A failing check fails the apply within the object's timeout, naming the pod and the
 * status or exit code; sherpack's annotations behave as kd's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/index.js';
import { doneOf, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

function deployment(name: string, annotations: Record<string, string>, podAnnotations: Record<string, string>, replicas = 2): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: ${JSON.stringify({ 'kd.io/timeout': '30s', ...annotations })}
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name} }
      annotations: ${JSON.stringify(podAnnotations)}
    spec:
      containers:
        - name: web
          image: example/web:1.4.2
          ports: [{ name: http, containerPort: 8080 }]
        - name: sidecar
          image: example/proxy:2
`;
}

function checkEvents(events: readonly ApplyEvent[]): Array<Extract<ApplyEvent, { type: 'health-check' }>> {
  return events.filter((e): e is Extract<ApplyEvent, { type: 'health-check' }> => e.type === 'health-check');
}

describe('custom health checks', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim({ podReadyDelayMs: 500 });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('an HTTP check answered 200 passes on every ready pod', async () => {
    const events = await s.apply({ objects: manifests(deployment('ok', { 'kd.io/health-check': 'http', 'kd.io/health-check-path': '/healthz', 'kd.io/health-check-port': 'http' }, {}), 'hc-ok') });
    expect(doneOf(events).status).toBe('succeeded');
    const checks = checkEvents(events);
    expect(checks.map((e) => e.state)).toEqual(['running', 'passed']);
    expect(checks[1]!.check).toBe('GET /healthz (port http)');
    expect(checks[1]!.message).toMatch(/^pod ok-[a-z0-9]+-[a-z0-9]+ answered 200, pod ok-[a-z0-9]+-[a-z0-9]+ answered 200$/);
    // The check comes after the object is healthy by its kind's rules.
    const currentAt = events.findIndex((e) => e.type === 'health-changed' && e.status === 'Current' && e.ref.name === 'ok');
    expect(currentAt).toBeGreaterThanOrEqual(0);
    expect(currentAt).toBeLessThan(events.indexOf(checks[0]!));
  });

  it('pods answering 503 fail the apply within the timeout, naming the pod and 503', async () => {
    const started = s.clock.now();
    const events = await s.apply({ objects: manifests(deployment('down', { 'kd.io/health-check': 'http', 'kd.io/health-check-path': '/healthz' }, { 'sim.kd.io/http-status': '503' }), 'hc-down'), timeoutMs: 600_000 });
    const done = doneOf(events);
    expect(done.status).toBe('failed');
    expect(done.failure?.kind).toBe('health');
    expect(done.failure?.message).toMatch(/^Deployment hc-down\/down: health check GET \/healthz failed: pod down-[a-z0-9]+-[a-z0-9]+ answered 503 \(expected 2xx\): kd sim: pod down-\S+ port 8080 answered 503 for \/healthz$/);
    // On the virtual clock the timeout is exact: the object's 30 s, however loaded the machine.
    expect(s.clock.now() - started).toBe(30_000);
    expect(done.at - started).toBe(30_000);
    const states = checkEvents(events).map((e) => e.state);
    expect(states[0]).toBe('running');
    expect(states.filter((x) => x === 'retrying').length).toBeGreaterThanOrEqual(3);
    expect(states.at(-1)).toBe('failed');
    // Backoff doubles from 0.5 s, capped at 5 s and at the deadline.
    const delays = checkEvents(events).flatMap((e) => (e.delayMs === undefined ? [] : [e.delayMs]));
    expect(delays.slice(0, 3)).toEqual([500, 1000, 2000]);
    expect(delays.every((d, i) => d <= Math.min(5000, 500 * 2 ** i))).toBe(true);
  });

  it('accepts the codes of kd.io/health-check-expect', async () => {
    const events = await s.apply({
      objects: manifests(deployment('moved', { 'kd.io/health-check': 'http', 'kd.io/health-check-expect': '200,301' }, { 'sim.kd.io/http-status': '301' }, 1), 'hc-expect'),
    });
    expect(doneOf(events).status).toBe('succeeded');
  });

  it("sherpack's annotations behave the same", async () => {
    const sherpack = { 'sherpack.io/health-check': 'true', 'sherpack.io/health-check-type': 'http', 'sherpack.io/health-check-path': '/ready', 'sherpack.io/health-check-port': '8080' };
    const ok = await s.apply({ objects: manifests(deployment('sp', sherpack, {}, 1), 'hc-sherpack') });
    expect(doneOf(ok).status).toBe('succeeded');
    expect(checkEvents(ok).at(-1)).toMatchObject({ state: 'passed', check: 'GET /ready (port 8080)' });
    const bad = await s.apply({ objects: manifests(deployment('sp', sherpack, { 'sim.kd.io/http-status': '503' }, 1), 'hc-sherpack'), timeoutMs: 600_000 });
    expect(doneOf(bad).failure?.message).toMatch(/health check GET \/ready \(port 8080\) failed: pod sp-\S+ answered 503/);
  });

  it('a command check exiting 3 fails naming the exit code; exiting 0 passes', async () => {
    const command = { 'kd.io/health-check': 'command', 'kd.io/health-check-command': "/bin/check-ready.sh --quick 'a b'", 'kd.io/health-check-container': 'web' };
    const bad = await s.apply({ objects: manifests(deployment('cmd', command, { 'sim.kd.io/exec-exit': '3' }, 1), 'hc-cmd'), timeoutMs: 600_000 });
    const done = doneOf(bad);
    expect(done.failure?.kind).toBe('health');
    expect(done.failure?.message).toMatch(/^Deployment hc-cmd\/cmd: health check exec \/bin\/check-ready\.sh --quick a b \(container web\) failed: pod cmd-\S+ exit code 3$/);
    const good = await s.apply({ objects: manifests(deployment('cmd', { ...command, 'kd.io/health-check-command': 'echo ready' }, {}, 1), 'hc-cmd') });
    expect(doneOf(good).status).toBe('succeeded');
    expect(checkEvents(good).at(-1)).toMatchObject({ state: 'passed', message: expect.stringMatching(/^pod cmd-\S+ exit code 0$/) });
  });

  it('a Service is checked through the services proxy', async () => {
    const text = `${deployment('front', {}, {}, 1)}
---
apiVersion: v1
kind: Service
metadata:
  name: front
  annotations: { kd.io/health-check: http, kd.io/health-check-path: /healthz, kd.io/timeout: 30s }
spec:
  selector: { app: front }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
    const events = await s.apply({ objects: manifests(text, 'hc-svc') });
    expect(doneOf(events).status).toBe('succeeded');
    expect(checkEvents(events).at(-1)).toMatchObject({ ref: { kind: 'Service', name: 'front' }, state: 'passed', message: 'service front answered 200' });
  });
});
