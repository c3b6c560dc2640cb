/**
 * The real kubectl against kd sim's pods/exec (WebSocket) and proxy subresources: `kubectl exec`
 * prints what `echo` prints and exits with the pod's `sim.kd.io/exec-exit`; `kubectl get --raw`
 * of a pod's or Service's proxy answers with the pod's `sim.kd.io/http-status`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandle } from '../../src/sim/server.js';
import { startValidatingSim } from '../support/validating-sim.js';
import { builtInSource } from '../../src/io/schema-sources.js';
import { builtinControllers } from '../../src/sim/controllers/index.js';
import { KubectlEnv, requireKubectl } from '../e2e/kubectl-harness.js';

function deployment(name: string, annotations: Record<string, string>): string {
  const a = Object.entries(annotations).map(([k, v]) => `        ${k}: "${v}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
${a ? `      annotations:\n${a}\n` : ''}    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;
}

describe('kubectl exec and proxy against kd sim', () => {
  let sim: SimHandle;
  let k: KubectlEnv;

  beforeAll(async () => {
    requireKubectl();
    sim = await startValidatingSim(builtInSource(), { namespaces: ['shop'], controllers: builtinControllers({ podReadyDelayMs: 50 }) });
    k = new KubectlEnv(sim.kubeconfig({ namespace: 'shop' }));
    const applied = await k.run(['apply', '-f', k.file('web.yaml', deployment('web', {}) + '---\n' + deployment('broken', { 'sim.kd.io/http-status': '503', 'sim.kd.io/exec-exit': '3' }))]);
    expect(applied.code, applied.stderr).toBe(0);
    const ready = await k.run(['rollout', 'status', 'deployment/web', 'deployment/broken', '--timeout=30s'], { timeoutMs: 40_000 });
    expect(ready.code, ready.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('kubectl exec deploy/web -- echo hi prints hi', async () => {
    const r = await k.run(['exec', 'deploy/web', '--', 'echo', 'hi', 'there']);
    expect(r).toMatchObject({ code: 0, stdout: 'hi there\n' });
  });

  it('kubectl exec exits with the pod\'s sim.kd.io/exec-exit', async () => {
    const r = await k.run(['exec', 'deploy/broken', '-c', 'web', '--', '/bin/check-ready.sh']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it('kubectl exec names an unknown container', async () => {
    const r = await k.run(['exec', 'deploy/web', '-c', 'nope', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('container nope is not valid for pod');
  });

  it('kubectl get --raw through the pods and services proxy', async () => {
    const pods = await k.run(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const pod = pods.stdout;
    const ok = await k.run(['get', '--raw', `/api/v1/namespaces/shop/pods/${pod}:8080/proxy/healthz`]);
    expect(ok).toMatchObject({ code: 0, stdout: `kd sim: pod ${pod} port 8080 answered 200 for /healthz\n` });
    const svc = await k.run(['get', '--raw', '/api/v1/namespaces/shop/services/web:http/proxy/']);
    expect(svc.code).toBe(0);
    expect(svc.stdout).toContain('answered 200 for /');
    const broken = await k.run(['get', '--raw', '/api/v1/namespaces/shop/services/broken:80/proxy/healthz']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Error from server (ServiceUnavailable)');
  });
});
