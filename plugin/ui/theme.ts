/**
 * Colours of the watch screen, switched off as a whole when colour is off (NO_COLOR, --no-color,
 * not a TTY): components ask here instead of naming colours, so a colourless frame is plain text.
 */
export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'accent';

const TONES: Record<Tone, string> = { ok: 'green', warn: 'yellow', error: 'red', info: 'cyan', accent: 'magenta' };

export interface Theme {
  color: boolean;
}

/** Props for an Ink `<Text>`: a colour, or nothing when colour is off. */
export function tone(theme: Theme, t: Tone | undefined): { color?: string } {
  return theme.color && t ? { color: TONES[t] } : {};
}

export function dim(theme: Theme): { dimColor?: boolean } {
  return theme.color ? { dimColor: true } : {};
}

export function bold(theme: Theme): { bold?: boolean } {
  return theme.color ? { bold: true } : {};
}

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Cuts text to a width (in code points; the screen's text is ASCII but for a few symbols). */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

export function fitLeft(text: string, width: number): string {
  const chars = [...text];
  if (chars.length >= width) return chars.slice(0, width).join('');
  return ' '.repeat(width - chars.length) + text;
}
