/**
 * Unified diffs of two objects as YAML, for `--diff`: server-owned bookkeeping (managedFields,
 * resourceVersion, generation, status) is dropped from both sides first, and Secret values are
 * masked, so the diff shows what the apply changes and nothing it must not show.
 * Line diff by longest common subsequence (objects are small), three lines of context per hunk.
 */
import { stringify } from 'yaml';
import { describeRef, type KubeObject, type ObjectRef } from '../model/index.js';
import { maskSecretPair } from './mask-secrets.js';

const CONTEXT = 3;
const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'];

/** The diff of one object; empty when there is no difference. */
export function objectDiff(ref: ObjectRef, before: KubeObject | undefined, after: KubeObject | undefined): string {
  const [b, a] = maskSecretPair(before && clean(before), after && clean(after));
  const label = describeRef(ref);
  return unifiedDiff(b === undefined ? '' : stringify(b), a === undefined ? '' : stringify(a), { from: before ? `live ${label}` : '/dev/null', to: after ? `applied ${label}` : '/dev/null' });
}

function clean(object: KubeObject): KubeObject {
  const { status: _status, ...rest } = object;
  const metadata = rest.metadata;
  if (typeof metadata !== 'object' || metadata === null) return rest;
  const m: Record<string, unknown> = { ...(metadata as Record<string, unknown>) };
  for (const key of VOLATILE_METADATA) delete m[key];
  return { ...rest, metadata: m };
}

export function unifiedDiff(before: string, after: string, names: { from: string; to: string }): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out: string[] = [`--- ${names.from}`, `+++ ${names.to}`];
  // Group ops into hunks with CONTEXT lines around each change.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.op === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend the hunk while changes are closer than 2*CONTEXT apart.
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) {
        end = next;
        continue;
      }
      end = Math.min(ops.length, end + CONTEXT);
      break;
    }
    const hunk = ops.slice(start, end);
    const first = ops[start]!;
    const aCount = hunk.filter((o) => o.op !== '+').length;
    const bCount = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aCount === 0 ? first.aLine - 1 : first.aLine},${aCount} +${bCount === 0 ? first.bLine - 1 : first.bLine},${bCount} @@`);
    for (const o of hunk) out.push(`${o.op}${o.text}`);
    i = end;
    start = end;
  }
  return out.join('\n') + '\n';
}

interface Op {
  op: ' ' | '-' | '+';
  text: string;
  /** 1-based line numbers of this op's position in each side. */
  aLine: number;
  bLine: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i]!, aLine: i + 1, bLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ op: '-', text: a[i]!, aLine: i + 1, bLine: j + 1 });
      i++;
    } else {
      ops.push({ op: '+', text: b[j]!, aLine: i + 1, bLine: j + 1 });
      j++;
    }
  }
  return ops;
}
