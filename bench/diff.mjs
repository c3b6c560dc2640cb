/**
 * Benchmark of `--diff`'s line diff (issue 11, item 9): `objectDiff` of a ConfigMap of 10,000 and
 * of 40,000 lines against a copy with one line changed, and of two unrelated 10,000-line objects
 * (the worst case, which must end in a coarse hunk rather than blow up). Each case runs in its own
 * Node process so its peak RSS is its own. Targets: 40k lines, one change, well under a second
 * and under 100 MB. Peer: GNU `diff -u` on the same two texts, in the same run.
 * The diff module is bundled from the current sources into bench/out/diff (esbuild).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordGoal } from './goals.mjs';
import { bundleChild, runChild } from './in-process.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'diff');

const child = `
import { objectDiff } from './diff.js';
import { unifiedDiff } from './line-diff.js';
import { toYaml } from './yaml.js';
import { writeFileSync } from 'node:fs';
const [lines, mode, dir] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'bench', name: 'big' };
const make = (tag) => {
  const data = {};
  for (let i = 0; i < lines; i++) data['key-' + i] = mode === 'unrelated' ? tag + '-' + i : 'value-' + i;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'bench' }, data };
};
const before = make('old');
const after = make('new');
if (mode === 'one') after.data['key-' + Math.floor(lines / 2)] = 'changed';
const beforeText = toYaml(before, { sortKeys: true });
const afterText = toYaml(after, { sortKeys: true });
writeFileSync(dir + '/before.yaml', beforeText);
writeFileSync(dir + '/after.yaml', afterText);
const lineStart = process.hrtime.bigint();
unifiedDiff(beforeText, afterText, { from: 'a', to: 'b' });
const lineMs = Number(process.hrtime.bigint() - lineStart) / 1e6;
const base = process.memoryUsage().rss;
const start = process.hrtime.bigint();
const diff = objectDiff(ref, before, after);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const { maxRSS } = process.resourceUsage();
console.log(JSON.stringify({ ms, lineMs, peakMb: (maxRSS * 1024) / 2 ** 20, baseMb: base / 2 ** 20, diffLines: diff.split('\\n').length - 1 }));
`;

async function main() {
  await bundleChild(out, { diff: path.join(root, 'src', 'apply', 'unified-diff.ts'), 'line-diff': path.join(root, 'src', 'drift', 'line-diff.ts'), yaml: path.join(root, 'src', 'apply', 'diff-yaml.ts') }, child);
  console.log('case                          objectDiff ms  (line diff ms)  peak RSS MB (before)  diff lines  GNU diff -u ms');
  for (const [lines, mode] of [
    [10_000, 'one'],
    [40_000, 'one'],
    [10_000, 'unrelated'],
  ]) {
    const m = runChild(root, out, [String(lines), mode, out]);
    const start = process.hrtime.bigint();
    spawnSync('diff', ['-u', path.join(out, 'before.yaml'), path.join(out, 'after.yaml')], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    const peer = Number(process.hrtime.bigint() - start) / 1e6;
    const label = `${lines} lines, ${mode === 'one' ? 'one changed' : 'all changed'}`.padEnd(28);
    if (lines === 40_000 && mode === 'one')
      recordGoal({ goal: '--diff: 40,000-line object, one change', kd: m.ms / 1000, peer: peer / 1000, peerLabel: 'diff -u', target: '< 1 s, < 100 MB over the inputs', ok: m.ms < 1000 && m.peakMb - m.baseMb < 100 });
    console.log(`${label}  ${m.ms.toFixed(0).padStart(13)}  ${`(${m.lineMs.toFixed(0)})`.padStart(14)}  ${m.peakMb.toFixed(0).padStart(11)} (${m.baseMb.toFixed(0)})  ${String(m.diffLines).padStart(10)}  ${peer.toFixed(0).padStart(14)}`);
  }
  console.log('objectDiff (first call, cold) includes normalising and rendering both sides as YAML; the line diff alone (on warm code) is in brackets. RSS before = after building the inputs.\ntarget: 40,000 lines with one change in well under 1 s and under 100 MB');
}

await main();
