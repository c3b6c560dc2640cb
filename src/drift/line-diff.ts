/**
 * Unified diffs of two texts, line by line, with three lines of context per hunk: what apply's
 * `--diff`, `history --diff` and drift's reports print. Myers' O(ND) algorithm in linear space,
 * after trimming the common prefix and suffix: a 40k-line object with one changed line costs two
 * passes over its lines. A diff whose edit distance would take too long (unrelated objects of
 * many thousand lines) shows the rest as one coarse hunk (all old lines out, all new lines in)
 * instead. Pure: texts in, text out.
 */

const CONTEXT = 3;

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

/**
 * Work (diagonal steps) one diff may spend before a range is shown as a coarse replacement:
 * keeps a pathological input (two unrelated 40k-line objects) to well under a second.
 */
export const DIFF_WORK_LIMIT = 2_000_000;

/** The edit script of two line arrays, in order: equal lines, deletions and insertions. */
export function diffLines(a: readonly string[], b: readonly string[], workLimit = DIFF_WORK_LIMIT): Op[] {
  const ops: Op[] = [];
  const size = a.length + b.length + 2;
  const state: DiffState = { a, b, ops, forward: new Int32Array(2 * size + 1), backward: new Int32Array(2 * size + 1), work: 0, workLimit };
  diffRange(state, 0, a.length, 0, b.length);
  return ops;
}

interface DiffState {
  a: readonly string[];
  b: readonly string[];
  ops: Op[];
  /** The furthest x per diagonal, shared by every middle-snake search (they run one at a time). */
  forward: Int32Array;
  backward: Int32Array;
  work: number;
  workLimit: number;
}

function equal(s: DiffState, x: number, y: number): void {
  s.ops.push({ op: ' ', text: s.a[x]!, aLine: x + 1, bLine: y + 1 });
}

/** Myers' linear-space divide and conquer over a[aLo..aHi) and b[bLo..bHi). */
function diffRange(s: DiffState, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const { a, b } = s;
  // Common prefix and suffix cost nothing and are the usual case (one changed line).
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) equal(s, aLo++, bLo++);
  let suffix = 0;
  while (aLo < aHi - suffix && bLo < bHi - suffix && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++;
  aHi -= suffix;
  bHi -= suffix;
  if (aLo === aHi || bLo === bHi || s.work > s.workLimit) {
    coarse(s, aLo, aHi, bLo, bHi);
  } else {
    const snake = middleSnake(s, aLo, aHi, bLo, bHi);
    if (snake === undefined) coarse(s, aLo, aHi, bLo, bHi);
    else {
      diffRange(s, aLo, snake.x, bLo, snake.y);
      for (let x = snake.x, y = snake.y; x < snake.u; x++, y++) equal(s, x, y);
      diffRange(s, snake.u, aHi, snake.v, bHi);
    }
  }
  for (let i = 0; i < suffix; i++) equal(s, aHi + i, bHi + i);
}

/** Every line of a's range deleted, then every line of b's range inserted. */
function coarse(s: DiffState, aLo: number, aHi: number, bLo: number, bHi: number): void {
  for (let x = aLo; x < aHi; x++) s.ops.push({ op: '-', text: s.a[x]!, aLine: x + 1, bLine: bLo + 1 });
  for (let y = bLo; y < bHi; y++) s.ops.push({ op: '+', text: s.b[y]!, aLine: aHi + 1, bLine: y + 1 });
}

/**
 * The middle snake of an optimal path (Myers 1986, section 4b): forward and backward searches
 * from both corners meet on it, in O(N+M) space. Returns [x,u) × [y,v) in absolute lines, or
 * undefined when the work budget ran out (the caller shows the range coarsely).
 */
function middleSnake(s: DiffState, aLo: number, aHi: number, bLo: number, bHi: number): { x: number; y: number; u: number; v: number } | undefined {
  const { a, b, forward: vf, backward: vb } = s;
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const max = Math.ceil((n + m) / 2);
  const off = max + 1;
  vf[off + 1] = 0;
  vb[off + 1] = 0;
  for (let d = 0; d <= max; d++) {
    s.work += 2 * d + 1;
    if (s.work > s.workLimit) return undefined;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vf[off + k - 1]! < vf[off + k + 1]!) ? vf[off + k + 1]! : vf[off + k - 1]! + 1;
      let y = x - k;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      vf[off + k] = x;
      const c = delta - k;
      if (odd && c >= -(d - 1) && c <= d - 1 && x + vb[off + c]! >= n) return { x: aLo + x0, y: bLo + y0, u: aLo + x, v: bLo + y };
    }
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vb[off + k - 1]! < vb[off + k + 1]!) ? vb[off + k + 1]! : vb[off + k - 1]! + 1;
      let y = x - k;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x++;
        y++;
      }
      vb[off + k] = x;
      const c = delta - k;
      if (!odd && c >= -d && c <= d && x + vf[off + c]! >= n) return { x: aHi - x, y: bHi - y, u: aHi - x0, v: bHi - y0 };
    }
  }
  return undefined;
}
