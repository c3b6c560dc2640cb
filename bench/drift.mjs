/**
 * Benchmark of `kubectl kd drift` (issue 5, section 5): 1,000 objects (500 ConfigMaps, 250
 * Deployments, 250 Services in 1,000 files) applied with `kubectl kd apply` to a `kd sim`
 * started as its own process; then, against that same server and in the same run, the median of
 * N runs of `kubectl kd drift` and of the peer the issue names, `kubectl diff --server-side -f`
 * over the same files. Prints both times and the ratio (target: kd at least 3x faster).
 * kd is bundled from the current sources into bench/out/drift/kd (esbuild, the build's options),
 * so the figures are for this checkout. Needs kubectl on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'drift');
const files = path.join(out, 'manifests');
const kd = path.join(out, 'kd', 'kubectl-kd.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const N = 1000;
const ns = 'bench';

function object(i) {
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
  rmSync(out, { recursive: true, force: true });
  mkdirSync(files, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: { 'kubectl-kd': path.join(root, 'plugin', 'main.ts') },
    outdir: path.join(out, 'kd'),
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    logLevel: 'error',
    // Ink's optional devtools are not installed; kd never loads them.
    external: ['react-devtools-core'],
    banner: { js: "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);" },
    define: { 'process.env.DEV': '"false"' },
  });
  writeFileSync(path.join(files, '000-namespace.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
  for (let i = 0; i < N; i++) writeFileSync(path.join(files, `obj-${String(i).padStart(4, '0')}.yaml`), object(i));

  const kubeconfig = path.join(out, 'kubeconfig');
  const home = path.join(out, 'home');
  mkdirSync(home, { recursive: true });
  const sim = spawn(process.execPath, [kd, 'sim', '--kubeconfig-out', kubeconfig, '--speed', '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    for (let i = 0; i < 200 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(kubeconfig)) throw new Error('kd sim did not start');
    const env = { KUBECONFIG: kubeconfig, HOME: home, NO_COLOR: '1' };
    const applied = timed(process.execPath, [kd, 'apply', files, '--release', 'bench', '-n', ns, '--timeout', '10m'], env);
    if (applied.status !== 0) throw new Error(`apply failed:\n${applied.stdout.slice(-2000)}\n${applied.stderr}`);
    console.log(`applied ${N} objects in ${(applied.ms / 1000).toFixed(1)} s`);

    const kdTimes = [];
    const peerTimes = [];
    for (let r = 0; r < runs; r++) {
      const drift = timed(process.execPath, [kd, 'drift', files, '--release', 'bench', '-n', ns, '-o', 'json'], env);
      if (drift.status !== 0) {
        const found = drift.status === 1 ? JSON.parse(drift.stdout).targets.flatMap((t) => t.objects.filter((o) => o.class !== 'in-sync')).slice(0, 5) : [];
        throw new Error(`kd drift found drift or failed (exit ${drift.status}):\n${drift.stderr}\n${JSON.stringify(found, null, 1)}`);
      }
      const report = JSON.parse(drift.stdout);
      if (report.counts['in-sync'] !== N + 1) throw new Error(`expected ${N + 1} objects in sync, got ${JSON.stringify(report.counts)}`);
      kdTimes.push(drift.ms);
      const diff = timed('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(home, 'cache'), 'diff', '--server-side', '-f', files], { ...env, KUBECTL_EXTERNAL_DIFF: '' });
      // kubectl diff exits 1 when it finds differences (kd's member labels are not in the files), >1 on error.
      if (diff.status !== 0 && diff.status !== 1) throw new Error(`kubectl diff failed (exit ${diff.status}):\n${diff.stderr.slice(0, 2000)}`);
      peerTimes.push(diff.ms);
    }
    const k = median(kdTimes);
    const p = median(peerTimes);
    console.log(`kubectl kd drift (${N + 1} objects, median of ${runs}):        ${(k / 1000).toFixed(2)} s`);
    console.log(`kubectl diff --server-side -f (same files, same server): ${(p / 1000).toFixed(2)} s`);
    console.log(`ratio: kd is ${(p / k).toFixed(1)}x faster (target >= 3x) ${p / k >= 3 ? 'OK' : 'MISSED'}`);
    writeFileSync(path.join(out, 'result.json'), JSON.stringify({ objects: N + 1, runs, kdMs: kdTimes, kubectlDiffMs: peerTimes, ratio: p / k }, null, 2) + '\n');
  } finally {
    sim.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
