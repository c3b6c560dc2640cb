/**
 * Terminal styling for human output: colour when --color asks for it, else only when writing to
 * a TTY and NO_COLOR is unset (https://no-color.org), or when FORCE_COLOR asks for it. Every human renderer takes a Style,
 * so tests render with colours off and compare plain text.
 */

export interface Style {
  readonly color: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export function makeStyle(color: boolean): Style {
  return {
    color,
    red: wrap(color, 31, 39),
    yellow: wrap(color, 33, 39),
    green: wrap(color, 32, 39),
    cyan: wrap(color, 36, 39),
    dim: wrap(color, 2, 22),
    bold: wrap(color, 1, 22),
  };
}

/**
 * Decides colour: an explicit --color/--no-color wins (the user asked for this run), then
 * NO_COLOR (https://no-color.org: "user-level configuration ... should be able to override
 * it"), then FORCE_COLOR, then whether the stream is a terminal.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Pads to a fixed width ignoring ANSI escapes, for aligned tables. */
export function padVisible(s: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const visible = s.replace(/\u001b\[[0-9;]*m/g, '').length;
  return visible >= width ? s : s + ' '.repeat(width - visible);
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
