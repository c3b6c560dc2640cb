/**
 * Benchmark of `kubectl kd apply` (issue 4, section 12).
 * Generates 1,000 objects (500 ConfigMaps, 250 Services, 250 Deployments) over 5 sync waves, one
 * file each, then in one run:
 *  1. starts two fresh kd sims as separate server processes (built-in schemas and controllers,
 *     pods ready at once), each with a kubeconfig file and the namespace `bench` created;
 *  2. times the real `kubectl-kd apply` binary against the first (waves, health gating, release
 *     record included) and `kubectl apply --server-side -f` of the same files against the second;
 *  3. times `kubectl-kd apply` again with nothing changed;
 *  4. (issue 17) the same against `kubectl apply --server-side --validate=false`, and 200
 *     Deployments applied and healthy against `kubectl apply` + `kubectl wait --for=condition=Available`.
 * Prints both times, the ratio (target: kd at least 3x faster) and the re-apply's share of the
 * first apply (target: at most 20 %). Needs `npm run build` first and `kubectl` on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { recordGoal } from './goals.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'apply');
const files = path.join(out, 'files');
const WAVES = 5;
const PER_WAVE = { configMaps: 100, services: 50, deployments: 50 };
const kdBin = path.join(root, 'bin', 'kubectl-kd.cjs');

if (!existsSync(path.join(root, 'dist', 'kubectl-kd.js'))) {
  console.error('run `npm run build` first');
  process.exit(2);
}
if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) {
  console.error('kubectl is not on PATH');
  process.exit(2);
}

// 1. The objects.
rmSync(out, { recursive: true, force: true });
mkdirSync(files, { recursive: true });
let count = 0;
for (let w = 0; w < WAVES; w++) {
  const meta = (name) => `metadata:\n  name: ${name}\n  namespace: bench\n  annotations:\n    kd.io/sync-wave: "${w}"\n`;
  const write = (name, text) => {
    writeFileSync(path.join(files, `${name}.yaml`), text);
    count++;
  };
  for (let i = 0; i < PER_WAVE.configMaps; i++) write(`cm-${w}-${i}`, `apiVersion: v1\nkind: ConfigMap\n${meta(`cm-${w}-${i}`)}data:\n  wave: "${w}"\n  index: "${i}"\n`);
  for (let i = 0; i < PER_WAVE.services; i++)
    write(`svc-${w}-${i}`, `apiVersion: v1\nkind: Service\n${meta(`svc-${w}-${i}`)}spec:\n  selector:\n    app: app-${w}-${i}\n  ports:\n    - port: 80\n      targetPort: 8080\n`);
  for (let i = 0; i < PER_WAVE.deployments; i++)
    write(
      `app-${w}-${i}`,
      `apiVersion: apps/v1\nkind: Deployment\n${meta(`app-${w}-${i}`)}spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app-${w}-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${w}-${i}\n    spec:\n      containers:\n        - name: app\n          image: example/app:${w}\n`,
    );
}

// 200 Deployments (issue 17): applied and healthy, against kubectl apply + kubectl wait.
const deployments = path.join(out, 'deployments');
mkdirSync(deployments, { recursive: true });
const DEPLOYMENTS = 200;
for (let i = 0; i < DEPLOYMENTS; i++)
  writeFileSync(
    path.join(deployments, `web-${i}.yaml`),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  namespace: bench\nspec:\n  replicas: ${1 + (i % 2)}\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: example/web:${i}\n          ports:\n            - containerPort: 8080\n`,
  );

// 2. A kd sim server process: bundled from the sources so that it is the same simulator the tests use.
const simScript = path.join(out, 'sim-server.mjs');
await build({
  stdin: {
    contents: `
      import { startSim } from './src/sim/server.ts';
      import { builtinControllers } from './src/sim/controllers/index.ts';
      import { builtInSource } from './src/io/schema-sources.ts';
      const sim = await startSim({ schemaSource: builtInSource(), controllers: builtinControllers({ podReadyDelayMs: 0 }) });
      process.stdout.write(JSON.stringify({ kubeconfig: sim.kubeconfig({ namespace: 'bench' }) }) + '\\n');
      process.on('SIGTERM', () => sim.stop().then(() => process.exit(0)));
    `,
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'bench-sim.ts',
  },
  outfile: simScript,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

async function startSimProcess(name) {
  const child = spawn(process.execPath, [simScript], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`sim ${name} exited with ${code}`)));
  });
  const kubeconfig = path.join(out, `${name}.kubeconfig`);
  writeFileSync(kubeconfig, JSON.parse(line).kubeconfig);
  const ns = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'create', 'namespace', 'bench'], { encoding: 'utf8' });
  if (ns.status !== 0) throw new Error(`kubectl create namespace failed: ${ns.stderr}`);
  return { kubeconfig, stop: () => child.kill('SIGTERM') };
}

function timed(label, command, args, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    process.exitCode = 1;
  }
  return { ms, stdout: r.stdout };
}

const kdSim = await startSimProcess('kd');
const kubectlSim = await startSimProcess('kubectl');
try {
  const kdArgs = ['apply', files, '--kubeconfig', kdSim.kubeconfig, '-n', 'bench', '--release', 'bench', '--timeout', '10m'];
  const first = timed('kubectl-kd apply', process.execPath, [kdBin, ...kdArgs]);
  const kubectl = timed('kubectl apply --server-side', 'kubectl', ['--kubeconfig', kubectlSim.kubeconfig, 'apply', '--server-side', '--field-manager', 'kubectl', '-f', files]);
  const again = timed('kubectl-kd apply (unchanged)', process.execPath, [kdBin, ...kdArgs]);
  // kubectl's fast mode: no client-side validation (users who care about speed run it so), on a
  // fresh sim, then again with nothing changed.
  const novalSim = await startSimProcess('kubectl-novalidate');
  let noval;
  let novalAgain;
  try {
    const args = ['--kubeconfig', novalSim.kubeconfig, 'apply', '--server-side', '--validate=false', '--field-manager', 'kubectl', '-f', files];
    noval = timed('kubectl apply --server-side --validate=false', 'kubectl', args);
    novalAgain = timed('kubectl apply --server-side --validate=false (unchanged)', 'kubectl', args);
  } finally {
    novalSim.stop();
  }
  // kd applies no client-side rate limit by default (kubectl effectively applies none either);
  // the same apply with an explicit, high limit shows the cost of the shared bucket.
  const fastSim = await startSimProcess('kd-qps');
  let fast;
  try {
    fast = timed('kubectl-kd apply --qps 500 --burst 1000', process.execPath, [kdBin, ...kdArgs.map((a) => (a === kdSim.kubeconfig ? fastSim.kubeconfig : a)), '--qps', '500', '--burst', '1000']);
  } finally {
    fastSim.stop();
  }
  // 200 Deployments applied and healthy: kd waits for health itself; kubectl needs `kubectl wait`.
  const kdDeploySim = await startSimProcess('kd-deployments');
  const kubectlDeploySim = await startSimProcess('kubectl-deployments');
  try {
    const kdDeploy = timed('kubectl-kd apply (200 Deployments, healthy)', process.execPath, [kdBin, 'apply', deployments, '--kubeconfig', kdDeploySim.kubeconfig, '-n', 'bench', '--release', 'web', '--timeout', '10m']);
    const started = process.hrtime.bigint();
    timed('kubectl apply (200 Deployments)', 'kubectl', ['--kubeconfig', kubectlDeploySim.kubeconfig, 'apply', '-f', deployments]);
    timed('kubectl wait --for=condition=Available', 'kubectl', ['--kubeconfig', kubectlDeploySim.kubeconfig, 'wait', '--for=condition=Available', 'deployment', '--all', '-n', 'bench', '--timeout=10m']);
    const kubectlDeployMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${DEPLOYMENTS} Deployments applied and healthy: kubectl-kd apply ${(kdDeploy.ms / 1000).toFixed(2)} s; kubectl apply + kubectl wait ${(kubectlDeployMs / 1000).toFixed(2)} s (${(kubectlDeployMs / kdDeploy.ms).toFixed(1)}x)`);
    recordGoal({ goal: `${DEPLOYMENTS} Deployments applied and healthy`, kd: kdDeploy.ms / 1000, peer: kubectlDeployMs / 1000, peerLabel: 'kubectl apply + kubectl wait', target: '>= 10x faster', ok: kubectlDeployMs >= 10 * kdDeploy.ms });
  } finally {
    kdDeploySim.stop();
    kubectlDeploySim.stop();
  }
  const unchanged = /(\d+) applied, (\d+) unchanged/.exec(again.stdout.split('\n').filter(Boolean).at(-1) ?? '');

  const ratio = kubectl.ms / first.ms;
  const share = again.ms / first.ms;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`objects: ${count} (${WAVES} waves: ConfigMaps, Services, Deployments; pods ready at once)`);
  console.log(`kubectl-kd apply (waves, health gating, release record):  ${s(first.ms)}`);
  console.log(`kubectl apply --server-side -f (no waiting):               ${s(kubectl.ms)}`);
  console.log(`ratio kubectl / kd: ${ratio.toFixed(2)}x (target >= 3x) ${ratio >= 3 ? 'ok' : 'MISSED'}`);
  console.log(`kubectl-kd apply --qps 500 --burst 1000 (fresh sim):           ${s(fast.ms)} = ${(kubectl.ms / fast.ms).toFixed(2)}x faster than kubectl`);
  console.log(`kubectl apply --server-side --validate=false -f:            ${s(noval.ms)}; unchanged again: ${s(novalAgain.ms)}`);
  recordGoal({ goal: `apply ${count} objects (waves, health, record)`, kd: first.ms / 1000, peer: kubectl.ms / 1000, peerLabel: 'kubectl apply --server-side', target: '>= 3x faster', ok: ratio >= 3 });
  recordGoal({ goal: `apply ${count} objects (waves, health, record)`, kd: first.ms / 1000, peer: noval.ms / 1000, peerLabel: 'kubectl apply --server-side --validate=false', target: 'at least as fast', ok: first.ms <= noval.ms });
  recordGoal({ goal: `re-apply ${count} objects unchanged`, kd: again.ms / 1000, peer: novalAgain.ms / 1000, peerLabel: 'kubectl apply --server-side --validate=false', target: 'at least as fast', ok: again.ms <= novalAgain.ms });
  console.log(`re-apply, nothing changed: ${s(again.ms)} = ${(share * 100).toFixed(0)} % of the first apply (target <= 20 %) ${share <= 0.2 ? 'ok' : 'MISSED'}${unchanged ? ` [${unchanged[1]} applied, ${unchanged[2]} unchanged]` : ''}`);
} finally {
  kdSim.stop();
  kubectlSim.stop();
}
