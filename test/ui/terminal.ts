/**
 * A fake terminal for mounting the real Ink screen in a test: a TTY-looking stdout whose writes
 * are played onto a small screen model (the control sequences Ink and log-update write: cursor
 * moves, erase line/display, CR/LF with scrolling; colours and modes are ignored), and a TTY-looking
 * stdin Ink can put in raw mode. What the test reads is what a terminal of that size would show,
 * so a frame that was written and then erased, or never written, is seen as such.
 *
 * Limits: every character is one cell wide; a line feed also returns the carriage (as a tty with
 * onlcr does); sequences other than the ones listed are dropped.
 */
import { EventEmitter } from 'node:events';

export class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns: number;
  readonly rows: number;
  /** Lines scrolled off the top, oldest first. */
  readonly history: string[] = [];
  cursorVisible = true;
  #screen: string[][];
  #row = 0;
  #col = 0;
  #pending = '';

  constructor(columns = 80, rows = 24) {
    super();
    this.columns = columns;
    this.rows = rows;
    this.#screen = Array.from({ length: rows }, () => this.#blank());
  }

  write = (data: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    this.#pending += typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.#play();
    const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    return true;
  };

  /** The visible screen, one string per row, trailing spaces removed. */
  screen(): string[] {
    return this.#screen.map((cells) => cells.join('').trimEnd());
  }

  text(): string {
    return this.screen().join('\n');
  }

  #blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  #play(): void {
    const chars = [...this.#pending];
    let i = 0;
    while (i < chars.length) {
      const c = chars[i]!;
      if (c === '\u001b') {
        const rest = chars.slice(i).join('');
        const csi = /^\u001b\[([?>=<]?)([0-9;]*)([ -/]*)([@-~])/.exec(rest);
        if (csi) {
          this.#control(csi[1]!, csi[2]!, csi[4]!);
          i += [...csi[0]].length;
          continue;
        }
        if (rest.length < 3) break; // an incomplete sequence: wait for the rest
        i += 2; // ESC and one character (ESC 7, ESC 8, ...): not used by Ink
        continue;
      }
      i++;
      if (c === '\r') this.#col = 0;
      else if (c === '\n') this.#lineFeed();
      else if (c === '\b') this.#col = Math.max(0, this.#col - 1);
      else if (c >= ' ') this.#print(c);
    }
    this.#pending = chars.slice(i).join('');
  }

  #print(c: string): void {
    if (this.#col >= this.columns) this.#lineFeed();
    this.#screen[this.#row]![this.#col] = c;
    this.#col++;
  }

  #lineFeed(): void {
    this.#col = 0;
    if (this.#row < this.rows - 1) {
      this.#row++;
      return;
    }
    this.history.push(this.#screen.shift()!.join('').trimEnd());
    this.#screen.push(this.#blank());
  }

  #control(prefix: string, params: string, final: string): void {
    const n = params.split(';').map((p) => (p === '' ? undefined : Number(p)));
    const first = n[0];
    if (prefix === '?') {
      if (params === '25') this.cursorVisible = final === 'h';
      return;
    }
    if (prefix !== '') return;
    const clampRow = (r: number) => Math.max(0, Math.min(this.rows - 1, r));
    switch (final) {
      case 'A':
        this.#row = clampRow(this.#row - (first ?? 1));
        return;
      case 'B':
        this.#row = clampRow(this.#row + (first ?? 1));
        return;
      case 'C':
        this.#col = Math.min(this.columns - 1, this.#col + (first ?? 1));
        return;
      case 'D':
        this.#col = Math.max(0, this.#col - (first ?? 1));
        return;
      case 'E':
        this.#row = clampRow(this.#row + (first ?? 1));
        this.#col = 0;
        return;
      case 'F':
        this.#row = clampRow(this.#row - (first ?? 1));
        this.#col = 0;
        return;
      case 'G':
        this.#col = Math.min(this.columns - 1, (first ?? 1) - 1);
        return;
      case 'H':
      case 'f':
        this.#row = clampRow((first ?? 1) - 1);
        this.#col = Math.min(this.columns - 1, (n[1] ?? 1) - 1);
        return;
      case 'J': {
        const mode = first ?? 0;
        if (mode === 0) {
          this.#eraseLine(this.#row, this.#col, this.columns);
          for (let r = this.#row + 1; r < this.rows; r++) this.#screen[r] = this.#blank();
        } else if (mode === 1) {
          for (let r = 0; r < this.#row; r++) this.#screen[r] = this.#blank();
          this.#eraseLine(this.#row, 0, this.#col + 1);
        } else {
          this.#screen = Array.from({ length: this.rows }, () => this.#blank());
        }
        return;
      }
      case 'K': {
        const mode = first ?? 0;
        if (mode === 0) this.#eraseLine(this.#row, this.#col, this.columns);
        else if (mode === 1) this.#eraseLine(this.#row, 0, this.#col + 1);
        else this.#eraseLine(this.#row, 0, this.columns);
        return;
      }
      default:
        return; // colours (m) and anything else: not part of the screen's text
    }
  }

  #eraseLine(row: number, from: number, to: number): void {
    const cells = this.#screen[row]!;
    for (let c = from; c < Math.min(to, this.columns); c++) cells[c] = ' ';
  }
}

/** A TTY-looking stdin that Ink can put in raw mode; `press` types keys. */
export class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  #data: string | null = null;

  press(keys: string): void {
    this.#data = keys;
    this.emit('readable');
  }

  read = (): string | null => {
    const data = this.#data;
    this.#data = null;
    return data;
  };

  setRawMode(): this {
    return this;
  }

  setEncoding(): this {
    return this;
  }

  resume(): this {
    return this;
  }

  pause(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}
