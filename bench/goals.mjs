/**
 * The benchmarks' goals (issue 17) as records: each bench that measures a goal appends one line
 * `{ goal, kd, peer, peerLabel, target, ok }` to bench/out/goals.jsonl, with kd's and the peer's
 * figure from the same run, and bench/run.mjs prints them as one table at the end.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out', 'goals.jsonl');

/** Seconds kd took, seconds the peer took (or null: no peer here), and whether the goal is met. */
export function recordGoal({ goal, kd, peer = null, peerLabel = '', target, ok }) {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify({ goal, kd, peer, peerLabel, target, ok }) + '\n');
  console.log(`goal: ${goal}: kd ${kd.toFixed(3)} s${peer === null ? '' : `, ${peerLabel} ${peer.toFixed(3)} s`} (${target}) ${ok ? 'ok' : 'SHORT'}`);
}

export function clearGoals() {
  rmSync(file, { force: true });
}

export function readGoals() {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

export function goalsTable(goals) {
  const rows = goals.map((g) => [g.goal, `${g.kd.toFixed(3)} s`, g.peer === null ? '—' : `${g.peer.toFixed(3)} s (${g.peerLabel})`, g.peer === null || g.kd === 0 ? '' : `${(g.peer / g.kd).toFixed(2)}x`, g.target, g.ok ? 'ok' : 'SHORT']);
  const head = ['goal', 'kd', 'peer (same run)', 'peer/kd', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
