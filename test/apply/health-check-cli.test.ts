/**
 * `kubectl kd apply --sim` as the built binary with custom health checks: pods answering 503
 * fail the apply with exit code 1 within the object's timeout, naming 503; a command check
 * that exits 0 succeeds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { kdBin, runKd } from '../cli/run-kd.js';

function deployment(annotations: string, podAnnotations: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
${annotations}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
${podAnnotations}
    spec:
      containers:
        - name: web
          image: example/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
`;
}

describe('kubectl kd apply --sim with health checks', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(kdBin)) throw new Error('run `npm run build` first (bin/kubectl-kd.cjs is missing)');
    dir = mkdtempSync(path.join(tmpdir(), 'kd-health-check-'));
  });

  it('exits 1 naming 503 when the pods answer 503', () => {
    const file = path.join(dir, 'down.yaml');
    writeFileSync(file, deployment('    kd.io/health-check: http\n    kd.io/health-check-path: /healthz\n    kd.io/timeout: 20s', '        sim.kd.io/http-status: "503"'));
    const r = runKd(['apply', '--sim', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failed +Deployment default\/web: HealthCheckFailed: GET \/healthz: pod web-\S+ answered 503 \(expected 2xx\)/);
    expect(r.stdout).toMatch(/done +failed after .*: Deployment default\/web failed/);
    expect(r.stdout).toMatch(/health +Deployment default\/web check GET \/healthz retrying: pod web-\S+ answered 503/);
  });

  it("exits 0 when sherpack's command check exits 0", () => {
    const file = path.join(dir, 'up.yaml');
    writeFileSync(file, deployment('    sherpack.io/health-check: "true"\n    sherpack.io/health-check-type: command\n    sherpack.io/health-check-command: echo ready', '        sim.kd.io/exec-exit: "0"'));
    const r = runKd(['apply', '--sim', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/health +Deployment default\/web check exec echo ready passed: pod web-\S+ exit code 0, pod web-\S+ exit code 0\n/);
  });
});
