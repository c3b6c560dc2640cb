/**
 * Offsets to 1-based line/column positions for one file's text. The line index is built on
 * first use only, so files without diagnostics never pay for it. Columns count UTF-16 code
 * units, like the `yaml` library; a `\r` before `\n` belongs to the line it ends.
 */
import type { Position, SourceRange } from '../model/source.js';

export class TextPositions {
  readonly text: string;
  #lineStarts?: number[];

  constructor(text: string) {
    this.text = text;
  }

  #starts(): number[] {
    if (this.#lineStarts) return this.#lineStarts;
    const starts = [0];
    let i = this.text.indexOf('\n');
    while (i >= 0) {
      starts.push(i + 1);
      i = this.text.indexOf('\n', i + 1);
    }
    this.#lineStarts = starts;
    return starts;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.#starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The range of the token at `offset`: up to the next white space or flow indicator. */
  tokenRange(offset: number): SourceRange {
    let end = offset;
    // A lone indicator (`[`, `}`, `,`) is still one character wide.
    if (/[,\[\]{}]/.test(this.text[end] ?? '')) end++;
    while (end < this.text.length && !/[\s,\[\]{}]/.test(this.text[end]!)) end++;
    return this.range(offset, end);
  }
}
