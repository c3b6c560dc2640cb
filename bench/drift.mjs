/**
 * Benchmark of `kubectl kd drift` (issue 5, section 5; issue 17): releases of 1, 100, 300 and
 * 1,000 objects (ConfigMaps, Deployments and Services, one file each; BENCH_DRIFT_SIZES to choose)
 * applied with `kubectl kd apply` to one `kubectl kd sim` started as its own process; then, against
 * that same server and in the same run, the median of N runs of `kubectl kd drift` and of the
 * peer in both of its modes: `kubectl diff --server-side -f` and `kubectl diff -f` (client-side
 * apply computed by the server's dry run) over the same files. Prints both ratios per size and
 * records the goals: a 1-object release <= 4x `kubectl diff --server-side`, from 100 objects up
 * >= 3x faster. Runs the built kd (`npm run build` first), as users run it. Needs kubectl on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordGoal } from './goals.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'drift');
const files = path.join(out, 'manifests');
const kd = path.join(root, 'bin', 'kubectl-kd.cjs');
// Small releases take a fraction of a second on both sides, where one noisy run decides a ratio:
// medians of 5 up to 100 objects, of 3 above (kubectl's client-side diff of 1,000 takes minutes).
const runsFor = (n) => Number(process.env.BENCH_RUNS ?? (n <= 100 ? 5 : 3));
const SIZES = (process.env.BENCH_DRIFT_SIZES ?? '1,100,300,1000').split(',').map(Number);

function object(i, ns) {
  if (i % 4 < 2)
    return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n  namespace: ${ns}\ndata:\n  key: value-${i}\n  level: "${i % 7}"\n`;
  if (i % 4 === 2)
    return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\n  annotations:\n    kd.io/health: skip\nspec:\n  replicas: ${1 + (i % 3)}\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: app\n          image: example/app:${i}\n          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi\n`;
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app: app-${i - 1}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(cmd, args, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function main() {
  if (!existsSync(path.join(root, 'dist', 'kubectl-kd.cjs'))) throw new Error('run `npm run build` first');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const kubeconfig = path.join(out, 'kubeconfig');
  const home = path.join(out, 'home');
  mkdirSync(home, { recursive: true });
  const env = { KUBECONFIG: kubeconfig, HOME: home, NO_COLOR: '1' };
  const sim = spawn(process.execPath, [kd, 'sim', '--kubeconfig-out', kubeconfig, '--speed', '50'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  try {
    for (let i = 0; i < 200 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(kubeconfig)) throw new Error('kd sim did not start');
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    for (const N of SIZES) {
      const ns = `bench-${N}`;
      const files = path.join(out, `manifests-${N}`);
      mkdirSync(files, { recursive: true });
      for (let i = 0; i < N; i++) writeFileSync(path.join(files, `obj-${String(i).padStart(4, '0')}.yaml`), object(i, ns));
      const created = timed('kubectl', ['--kubeconfig', kubeconfig, 'create', 'namespace', ns], env);
      if (created.status !== 0) throw new Error(`kubectl create namespace failed: ${created.stderr}`);
      const applied = timed(process.execPath, [kd, 'apply', files, '--release', ns, '-n', ns, '--timeout', '10m'], env);
      if (applied.status !== 0) throw new Error(`apply failed:\n${applied.stdout.slice(-2000)}\n${applied.stderr}`);

      const runs = runsFor(N);
      const kdTimes = [];
      const serverSide = [];
      const clientSide = [];
      for (let r = 0; r < runs; r++) {
        const drift = timed(process.execPath, [kd, 'drift', files, '--release', ns, '-n', ns, '-o', 'json'], env);
        if (drift.status !== 0) {
          const found = drift.status === 1 ? JSON.parse(drift.stdout).targets.flatMap((t) => t.objects.filter((o) => o.class !== 'in-sync')).slice(0, 5) : [];
          throw new Error(`kd drift found drift or failed (exit ${drift.status}):\n${drift.stderr}\n${JSON.stringify(found, null, 1)}`);
        }
        const report = JSON.parse(drift.stdout);
        if (report.counts['in-sync'] !== N) throw new Error(`expected ${N} objects in sync, got ${JSON.stringify(report.counts)}`);
        kdTimes.push(drift.ms);
        for (const [mode, times] of [[['--server-side'], serverSide], [[], clientSide]]) {
          const diff = timed('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(home, 'cache'), 'diff', ...mode, '-f', files], { ...env, KUBECTL_EXTERNAL_DIFF: '' });
          // kubectl diff exits 1 when it finds differences (kd's member labels are not in the files), >1 on error.
          if (diff.status !== 0 && diff.status !== 1) throw new Error(`kubectl diff ${mode.join(' ')} failed (exit ${diff.status}):\n${diff.stderr.slice(0, 2000)}`);
          times.push(diff.ms);
        }
      }
      const k = median(kdTimes);
      const ss = median(serverSide);
      const cs = median(clientSide);
      console.log(`\n${N} objects (median of ${runs}): kubectl kd drift ${s(k)}; kubectl diff --server-side ${s(ss)} (peer/kd ${(ss / k).toFixed(2)}x); kubectl diff ${s(cs)} (peer/kd ${(cs / k).toFixed(2)}x)`);
      if (N === 1) recordGoal({ goal: 'drift of a 1-object release', kd: k / 1000, peer: ss / 1000, peerLabel: 'kubectl diff --server-side', target: '<= 4x the peer', ok: k <= 4 * ss });
      else recordGoal({ goal: `drift of ${N} objects`, kd: k / 1000, peer: ss / 1000, peerLabel: 'kubectl diff --server-side', target: '>= 3x faster', ok: ss >= 3 * k });
      if (N !== 1) console.log(`  vs kubectl diff (client-side mode): ${(cs / k).toFixed(2)}x`);
    }
  } finally {
    sim.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
