/**
 * Runs kd's benchmarks one after another (they must not share the two cores), or the ones named:
 * `npm run bench`, `npm run bench -- validate lsp`. Each prints its own figures, targets and
 * the peer it is compared with; this sequences them, reports which failed to run, and ends with
 * one table of every goal they measured (bench/goals.mjs) with the peer's figure and ok/short.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearGoals, goalsTable, readGoals } from './goals.mjs';

const dir = path.dirname(fileURLToPath(import.meta.url));
const all = ['startup', 'validate', 'schema', 'sim', 'apply', 'drift', 'watch', 'lsp', 'diff'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
clearGoals();
const failed = [];
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== ${name} (bench/${name}.mjs)`);
  const r = spawnSync(process.execPath, [path.join(dir, `${name}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${name} (exit ${r.status ?? r.signal})`);
}
const goals = readGoals();
if (goals.length) console.log(`\n=== goals (issue 17), kd and its peer from the same run\n${goalsTable(goals)}\n${goals.filter((g) => g.ok).length} of ${goals.length} met`);
if (failed.length) {
  console.error(`\nbenchmarks that did not complete: ${failed.join(', ')}`);
  process.exit(1);
}
