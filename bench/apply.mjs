/**
 * Benchmark of `kubectl kd apply` (issue 4, section 12; issue 17, item 2).
 *  1. 1,000 ConfigMaps in one folder (`BENCH_APPLY_CONFIGMAPS`), the issue 17 goal: kd applies
 *     them (health gating and release record included) to a fresh kd sim; `kubectl apply
 *     --server-side --validate=false` and `kubectl apply --server-side` (default validation)
 *     apply the same files to fresh sims of their own; then each re-applies with nothing changed.
 *  2. 1,000 objects (500 ConfigMaps, 250 Services, 250 Deployments) over 5 sync waves, one file
 *     each (issue 4): kd (waves, health gating, record) against `kubectl apply --server-side`
 *     in both modes, kd again with nothing changed, and kd with `--qps 500 --burst 1000`.
 *  3. 200 Deployments applied and healthy (`BENCH_APPLY_DEPLOYMENTS`): kd against `kubectl apply`
 *     + `kubectl wait --for=condition=Available --all`.
 * Every sim is its own server process (built-in schemas and controllers, pods ready at once).
 * Each line gives wall time, the CPU time of the command (user + system, from /proc; wall time
 * is noisy on a loaded machine) and of the sim serving it, and the requests the sim answered.
 * `BENCH_APPLY_PARTS=configmaps,waves,deployments` picks the parts; `BENCH_APPLY_ROUNDS` (3) how many
 * rounds decide part 1's goals (their medians). Records the goals of issue 17
 * in bench/out/goals.jsonl. Needs `npm run build` first and `kubectl` on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { recordGoal } from './goals.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'apply');
const files = path.join(out, 'files');
const WAVES = 5;
const PER_WAVE = { configMaps: 100, services: 50, deployments: 50 };
const CONFIGMAPS = Number(process.env.BENCH_APPLY_CONFIGMAPS ?? 1000);
const DEPLOYMENTS = Number(process.env.BENCH_APPLY_DEPLOYMENTS ?? 200);
const ROUNDS = Math.max(1, Number(process.env.BENCH_APPLY_ROUNDS ?? 3));
const PARTS = new Set((process.env.BENCH_APPLY_PARTS ?? 'configmaps,waves,deployments').split(',').map((p) => p.trim()));
const kdBin = path.join(root, 'bin', 'kubectl-kd.cjs');

if (!existsSync(path.join(root, 'dist', 'kubectl-kd.cjs'))) {
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

// 1,000 ConfigMaps in one folder (issue 17): the shape of a config-heavy release, one file each.
const configMaps = path.join(out, 'configmaps');
mkdirSync(configMaps, { recursive: true });
for (let i = 0; i < CONFIGMAPS; i++)
  writeFileSync(
    path.join(configMaps, `settings-${i}.yaml`),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: bench\n  labels:\n    app.kubernetes.io/name: settings\n    app.kubernetes.io/part-of: shop\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "checkout,search,recommendations"\n  index: "${i}"\n`,
  );

// 200 Deployments (issue 17): applied and healthy, against kubectl apply + kubectl wait.
const deployments = path.join(out, 'deployments');
mkdirSync(deployments, { recursive: true });
for (let i = 0; i < DEPLOYMENTS; i++)
  writeFileSync(
    path.join(deployments, `web-${i}.yaml`),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  namespace: bench\nspec:\n  replicas: ${1 + (i % 2)}\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: example/web:${i}\n          ports:\n            - containerPort: 8080\n`,
  );

// 2. A kd sim server process: bundled from the sources so that it is the same simulator the tests
// use. It counts the requests it answers (method, and whether a watch) and prints the counts as a
// JSON line on SIGUSR2.
const simScript = path.join(out, 'sim-server.mjs');
await build({
  stdin: {
    contents: `
      import { startSim } from './src/sim/server.ts';
      import { builtinControllers } from './src/sim/controllers/index.ts';
      import { builtInSource } from './src/io/schema-sources.ts';
      const counts = {};
      const log = (line) => {
        const m = /^([A-Z]+) (\\/\\S*)/.exec(line);
        if (!m) return;
        const key = m[1] + (/[?&]watch=(true|1)(&|$)/.test(m[2]) ? ' watch' : '');
        counts[key] = (counts[key] ?? 0) + 1;
      };
      const sim = await startSim({ schemaSource: builtInSource(), controllers: builtinControllers({ podReadyDelayMs: 0 }), log });
      process.stdout.write(JSON.stringify({ kubeconfig: sim.kubeconfig({ namespace: 'bench' }) }) + '\\n');
      process.on('SIGUSR2', () => process.stdout.write(JSON.stringify({ counts }) + '\\n'));
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

const TICK_MS = 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100);

/** User + system CPU (ms) of a process (`self`: this one's waited-for children) from /proc; null where there is none. */
function cpuMs(pid, children = false) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields after the name: utime is the 14th field of the line (index 11 here), cutime the 16th.
    const at = children ? 13 : 11;
    return (Number(fields[at]) + Number(fields[at + 1])) * TICK_MS;
  } catch {
    return null;
  }
}

async function startSimProcess(name) {
  const child = spawn(process.execPath, [simScript], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  const waiting = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w) w.resolve(line);
      else lines.push(line);
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`sim ${name} exited with ${code}`));
  });
  const nextLine = () => (lines.length > 0 ? Promise.resolve(lines.shift()) : new Promise((resolve, reject) => waiting.push({ resolve, reject })));
  const kubeconfig = path.join(out, `${name}.kubeconfig`);
  writeFileSync(kubeconfig, JSON.parse(await nextLine()).kubeconfig);
  const ns = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'create', 'namespace', 'bench'], { encoding: 'utf8' });
  if (ns.status !== 0) throw new Error(`kubectl create namespace failed: ${ns.stderr}`);
  return {
    kubeconfig,
    /** The sim's CPU time so far and the requests it answered, by method. */
    async snapshot() {
      child.kill('SIGUSR2');
      const { counts } = JSON.parse(await nextLine());
      return { cpuMs: cpuMs(child.pid), counts };
    },
    stop: () => child.kill('SIGTERM'),
  };
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Runs a command against a sim: wall time, its CPU time, the sim's CPU time and the requests it answered meanwhile. */
async function timed(label, sim, command, args) {
  const before = await sim.snapshot();
  const cpuBefore = cpuMs('self', true);
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = cpuBefore === null ? null : cpuMs('self', true) - cpuBefore;
  const after = await sim.snapshot();
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    process.exitCode = 1;
  }
  const requests = Object.entries(after.counts)
    .map(([k, n]) => [k, n - (before.counts[k] ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = requests.reduce((sum, [, n]) => sum + n, 0);
  const simCpu = after.cpuMs === null || before.cpuMs === null ? null : after.cpuMs - before.cpuMs;
  console.log(
    `  ${label}: ${s(ms)} wall${cpu === null ? '' : `, ${s(cpu)} CPU`}; sim ${simCpu === null ? '' : `${s(simCpu)} CPU, `}${total} requests (${requests.map(([k, n]) => `${k} ${n}`).join(', ')})`,
  );
  return { ms, cpu, simCpu, total, stdout: r.stdout };
}

/** Runs `body` with fresh sims (one per name), stopped afterwards. */
async function withSims(names, body) {
  const sims = [];
  try {
    for (const n of names) sims.push(await startSimProcess(n));
    return await body(...sims);
  } finally {
    for (const sim of sims) sim.stop();
  }
}

const kdApply = (dir, sim, release, extra = []) => [kdBin, 'apply', dir, '--kubeconfig', sim.kubeconfig, '-n', 'bench', '--release', release, '--timeout', '10m', ...extra];
const kubectlSsa = (dir, sim, validate) => ['--kubeconfig', sim.kubeconfig, 'apply', '--server-side', ...(validate ? [] : ['--validate=false']), '--field-manager', 'kubectl', '-f', dir];
const unchangedOf = (stdout) => /(\d+) applied, (\d+) unchanged/.exec(stdout.split('\n').filter(Boolean).at(-1) ?? '');

// 3. 1,000 ConfigMaps (issue 17): kd against kubectl in both modes, first apply and unchanged re-apply.
// The goals compare kd with `--validate=false`, which take about as long as each other: one run
// each is at the mercy of the machine's state (a 1 % difference decided the goal), so they are
// the medians of BENCH_APPLY_ROUNDS rounds on fresh sims, kd and kubectl taking turns to go first.
// kubectl's default validation (tens of seconds, not a goal) runs once.
if (PARTS.has('configmaps')) {
  console.log(`${CONFIGMAPS} ConfigMaps, one file each (kd: health gating and release record included), ${ROUNDS} rounds:`);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    await withSims([`cm-kd-${r}`, `cm-kubectl-novalidate-${r}`], async (kdSim, novalSim) => {
      const kdFirst = () => timed(`kubectl-kd apply (round ${r + 1})`, kdSim, process.execPath, kdApply(configMaps, kdSim, 'settings'));
      const novalFirst = () => timed(`kubectl apply --server-side --validate=false (round ${r + 1})`, novalSim, 'kubectl', kubectlSsa(configMaps, novalSim, false));
      const kdSecond = () => timed(`kubectl-kd apply, unchanged (round ${r + 1})`, kdSim, process.execPath, kdApply(configMaps, kdSim, 'settings'));
      const novalSecond = () => timed(`kubectl apply --server-side --validate=false, unchanged (round ${r + 1})`, novalSim, 'kubectl', kubectlSsa(configMaps, novalSim, false));
      const round = {};
      if (r % 2 === 0) {
        round.kd = await kdFirst();
        round.noval = await novalFirst();
        round.kdAgain = await kdSecond();
        round.novalAgain = await novalSecond();
      } else {
        round.noval = await novalFirst();
        round.kd = await kdFirst();
        round.novalAgain = await novalSecond();
        round.kdAgain = await kdSecond();
      }
      rounds.push(round);
    });
  }
  const [kubectl, kubectlAgain] = await withSims(['cm-kubectl'], async (kubectlSim) => [
    await timed('kubectl apply --server-side', kubectlSim, 'kubectl', kubectlSsa(configMaps, kubectlSim, true)),
    await timed('kubectl apply --server-side, unchanged', kubectlSim, 'kubectl', kubectlSsa(configMaps, kubectlSim, true)),
  ]);
  const middle = (key) => {
    const sorted = rounds.map((round) => round[key]).sort((a, b) => a.ms - b.ms);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const [kd, noval, kdAgain, novalAgain] = ['kd', 'noval', 'kdAgain', 'novalAgain'].map(middle);
  const ratio = (peer, mine) => `${(peer.ms / mine.ms).toFixed(2)}x wall${peer.cpu !== null && mine.cpu !== null ? `, ${(peer.cpu / mine.cpu).toFixed(2)}x CPU` : ''}`;
  const unchanged = unchangedOf(kdAgain.stdout);
  console.log(`  medians of ${ROUNDS}: kd ${s(kd.ms)}, --validate=false ${s(noval.ms)}; unchanged: kd ${s(kdAgain.ms)}, --validate=false ${s(novalAgain.ms)}`);
  console.log(`  first apply, kubectl / kd: --validate=false ${ratio(noval, kd)} (medians); default validation ${ratio(kubectl, kd)}`);
  console.log(`  unchanged re-apply, kubectl / kd: --validate=false ${ratio(novalAgain, kdAgain)} (medians); default validation ${ratio(kubectlAgain, kdAgain)}${unchanged ? ` [kd: ${unchanged[1]} applied, ${unchanged[2]} unchanged]` : ''}`);
  recordGoal({ goal: `apply ${CONFIGMAPS} ConfigMaps (health gating, record)`, kd: kd.ms / 1000, peer: noval.ms / 1000, peerLabel: 'kubectl apply --server-side --validate=false', target: 'at least as fast', ok: kd.ms <= noval.ms });
  recordGoal({ goal: `re-apply ${CONFIGMAPS} ConfigMaps unchanged`, kd: kdAgain.ms / 1000, peer: novalAgain.ms / 1000, peerLabel: 'kubectl apply --server-side --validate=false', target: 'at least as fast', ok: kdAgain.ms <= novalAgain.ms });
}

// 4. 1,000 objects in 5 waves (issue 4).
if (PARTS.has('waves')) {
  console.log(`${count} objects (${WAVES} waves: ConfigMaps, Services, Deployments; pods ready at once):`);
  await withSims(['kd', 'kubectl', 'kubectl-novalidate', 'kd-qps'], async (kdSim, kubectlSim, novalSim, fastSim) => {
    const first = await timed('kubectl-kd apply (waves, health gating, release record)', kdSim, process.execPath, kdApply(files, kdSim, 'bench'));
    const kubectl = await timed('kubectl apply --server-side (no waiting)', kubectlSim, 'kubectl', kubectlSsa(files, kubectlSim, true));
    const noval = await timed('kubectl apply --server-side --validate=false (no waiting)', novalSim, 'kubectl', kubectlSsa(files, novalSim, false));
    const again = await timed('kubectl-kd apply, unchanged', kdSim, process.execPath, kdApply(files, kdSim, 'bench'));
    const novalAgain = await timed('kubectl apply --server-side --validate=false, unchanged', novalSim, 'kubectl', kubectlSsa(files, novalSim, false));
    // kd applies no client-side rate limit by default (kubectl effectively applies none either);
    // the same apply with an explicit, high limit shows the cost of the shared bucket.
    const fast = await timed('kubectl-kd apply --qps 500 --burst 1000', fastSim, process.execPath, kdApply(files, fastSim, 'bench', ['--qps', '500', '--burst', '1000']));
    const ratio = kubectl.ms / first.ms;
    const share = again.ms / first.ms;
    const unchanged = unchangedOf(again.stdout);
    console.log(`  ratio kubectl / kd: default validation ${ratio.toFixed(2)}x (issue 4 target >= 3x) ${ratio >= 3 ? 'ok' : 'MISSED'}; --validate=false ${(noval.ms / first.ms).toFixed(2)}x`);
    console.log(`  unchanged re-apply: ${(share * 100).toFixed(0)} % of the first apply (target <= 20 %) ${share <= 0.2 ? 'ok' : 'MISSED'}; kubectl --validate=false / kd ${(novalAgain.ms / again.ms).toFixed(2)}x${unchanged ? ` [${unchanged[1]} applied, ${unchanged[2]} unchanged]` : ''}`);
    console.log(`  --qps 500 --burst 1000: ${(kubectl.ms / fast.ms).toFixed(2)}x faster than kubectl (default validation)`);
  });
}

// 5. 200 Deployments applied and healthy: kd waits for health itself; kubectl needs `kubectl wait`.
if (PARTS.has('deployments')) {
  console.log(`${DEPLOYMENTS} Deployments applied and healthy:`);
  await withSims(['kd-deployments', 'kubectl-deployments'], async (kdSim, kubectlSim) => {
    const kd = await timed('kubectl-kd apply', kdSim, process.execPath, kdApply(deployments, kdSim, 'web'));
    const apply = await timed('kubectl apply', kubectlSim, 'kubectl', ['--kubeconfig', kubectlSim.kubeconfig, 'apply', '-f', deployments]);
    const wait = await timed('kubectl wait --for=condition=Available', kubectlSim, 'kubectl', ['--kubeconfig', kubectlSim.kubeconfig, 'wait', '--for=condition=Available', 'deployment', '--all', '-n', 'bench', '--timeout=10m']);
    const peer = apply.ms + wait.ms;
    console.log(`  kubectl apply + kubectl wait / kd: ${(peer / kd.ms).toFixed(1)}x`);
    recordGoal({ goal: `${DEPLOYMENTS} Deployments applied and healthy`, kd: kd.ms / 1000, peer: peer / 1000, peerLabel: 'kubectl apply + kubectl wait', target: '>= 10x faster', ok: peer >= 10 * kd.ms });
  });
}
