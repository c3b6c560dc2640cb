/**
 * Benchmark of `kubectl kd validate` (issue: core foundation, section 8).
 * Generates 5,000 resources (2,500 Deployments + 2,500 Services) as 5,000 separate files and as
 * one 5,000-document file, plus one small file, then times the real binary (median of N runs,
 * wall time and peak RSS from /usr/bin/time) and, in the same run, the peer the issue names: a
 * naive yaml + ajv loop in Node (bench/peers/naive-yaml-ajv.mjs). Prints figures and targets.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordGoal } from './goals.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'validate');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const N = 5000;

function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: bench
  labels:
    app.kubernetes.io/name: app-${i}
  annotations:
    kd.io/sync-wave: "${i % 5}"
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
        - name: app
          image: registry.example/app:${i}
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: INDEX
              value: "${i}"
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
`;
}

function service(i) {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: bench
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function generate() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'files'), { recursive: true });
  const docs = [];
  for (let i = 0; i < N / 2; i++) {
    const d = deployment(i);
    const s = service(i);
    writeFileSync(path.join(out, 'files', `app-${String(i).padStart(4, '0')}-deployment.yaml`), d);
    writeFileSync(path.join(out, 'files', `app-${String(i).padStart(4, '0')}-service.yaml`), s);
    docs.push(d, s);
  }
  writeFileSync(path.join(out, 'all.yaml'), docs.join('---\n'));
  writeFileSync(path.join(out, 'small.yaml'), deployment(0));
  const lines = docs.join('---\n').split('\n').length;
  return { lines };
}

const hasTime = existsSync('/usr/bin/time');

function timeOnce(cmd, args) {
  const argv = hasTime ? ['-f', '%e %M', cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssMb = NaN;
  if (hasTime) {
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    const m = /([\d.]+) (\d+)$/.exec(last);
    if (m) rssMb = Number(m[2]) / 1024;
  }
  return { wall, rssMb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function measure(label, cmd, args, expectStatus = 0) {
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = timeOnce(cmd, args);
    if (last.status !== expectStatus) {
      console.error(`${label}: exit ${last.status}, expected ${expectStatus}\n${last.stdout.slice(-2000)}\n${last.stderr.slice(-2000)}`);
      process.exit(1);
    }
    samples.push(last);
  }
  samples.sort((a, b) => a.wall - b.wall);
  const median = samples[Math.floor(samples.length / 2)];
  const rss = Math.max(...samples.map((s) => s.rssMb));
  return { label, wall: median.wall, min: samples[0].wall, rssMb: rss, stdout: last.stdout };
}

const { lines } = generate();
const node = process.execPath;
const kd = path.join(root, 'bin', 'kubectl-kd.cjs');
console.log(`validate benchmark: ${N} resources (${N / 2} Deployments + ${N / 2} Services), ${lines} lines; median of ${runs} runs on ${execFileSync('nproc').toString().trim()} cores`);

const results = [
  measure('kd: 5,000 files', node, [kd, 'validate', path.join(out, 'files')]),
  measure('kd: one 5,000-document file', node, [kd, 'validate', path.join(out, 'all.yaml')]),
  measure('kd: one small file (cold)', node, [kd, 'validate', path.join(out, 'small.yaml')]),
  measure('peer: naive yaml+ajv, 5,000 files', node, [path.join(root, 'bench', 'peers', 'naive-yaml-ajv.mjs'), path.join(out, 'files')]),
  measure('peer: naive yaml+ajv, one file', node, [path.join(root, 'bench', 'peers', 'naive-yaml-ajv.mjs'), path.join(out, 'all.yaml')]),
];

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('case', 40)} ${pad('wall (s)', 10)} ${pad('min (s)', 10)} ${pad('resources/s', 12)} peak RSS (MB)`);
for (const r of results) {
  const perSec = r.label.includes('small') ? '' : Math.round(N / r.wall);
  console.log(`${pad(r.label, 40)} ${pad(r.wall.toFixed(3), 10)} ${pad(r.min.toFixed(3), 10)} ${pad(perSec, 12)} ${Number.isNaN(r.rssMb) ? 'n/a' : r.rssMb.toFixed(0)}`);
}
const [files, one, small, peerFiles, peerOne] = results;
console.log(`\nratio peer/kd: files ${(peerFiles.wall / files.wall).toFixed(2)}x, one file ${(peerOne.wall / one.wall).toFixed(2)}x`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log(`targets: 5,000 in <= 1.0 s: ${verdict(Math.max(files.wall, one.wall) <= 1.0)}; small cold <= 0.25 s: ${verdict(small.wall <= 0.25)}; peak RSS <= 300 MB: ${verdict(Math.max(files.rssMb, one.rssMb) <= 300)}`);
// Issue 17: one small file cold in <= 0.12 s, and <= 3x kubeconform when a kubeconform binary is
// given (KD_BENCH_KUBECONFORM; the project never installs it).
const kubeconform = process.env.KD_BENCH_KUBECONFORM;
const peerSmall = kubeconform ? measure('peer: kubeconform, one small file', kubeconform, ['-summary', path.join(out, 'small.yaml')]) : null;
recordGoal({ goal: 'validate one small file, cold', kd: small.wall, target: '<= 0.12 s', ok: small.wall <= 0.12 });
if (peerSmall) recordGoal({ goal: 'validate one small file vs kubeconform', kd: small.wall, peer: peerSmall.wall, peerLabel: 'kubeconform', target: '<= 3x kubeconform', ok: small.wall <= 3 * peerSmall.wall });
else console.log('kubeconform: not given (set KD_BENCH_KUBECONFORM to a kubeconform binary to compare)');
