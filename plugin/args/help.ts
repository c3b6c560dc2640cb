/**
 * `--help` text, rendered from the same declarations the parser reads (declare.ts): the usage
 * line, the description, the commands (kd's own help), positionals, flags with their type and
 * default, examples and the epilogue, in aligned columns wrapped to the terminal's width. Loaded
 * only when help is asked for.
 */
import type { Declaration, FlagDecl } from './declare.js';

const INDENT = '  ';
/** Joins the words of a note such as `[default: false]`, so that a line never breaks inside it. */
const NBSP = '\u00a0';
const GAP = '  ';

/** Wraps `text` at word boundaries to lines of at most `width` characters (a longer word stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/[ \t\n]+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l) => l.replaceAll(NBSP, ' '));
}

/** Rows of (left, right) as two aligned columns, the right one wrapped. */
function columns(rows: ReadonlyArray<readonly [string, string]>, width: number): string[] {
  const left = Math.max(...rows.map(([l]) => l.length));
  // A very long left cell (an example command) would leave no room: cap it, and let its text start on the next line.
  const leftWidth = Math.min(left, Math.floor(width / 2));
  const rightWidth = Math.max(20, width - INDENT.length - leftWidth - GAP.length);
  const out: string[] = [];
  for (const [l, r] of rows) {
    const wrapped = r === '' ? [''] : wrap(r, rightWidth);
    const pad = ' '.repeat(INDENT.length + leftWidth + GAP.length);
    if (l.length > leftWidth) {
      out.push(`${INDENT}${l}`);
      for (const w of wrapped) out.push(`${pad}${w}`.trimEnd());
      continue;
    }
    out.push(`${INDENT}${l.padEnd(leftWidth)}${GAP}${wrapped[0]}`.trimEnd());
    for (const w of wrapped.slice(1)) out.push(`${pad}${w}`);
  }
  return out;
}

function flagAnnotations(flag: FlagDecl): string {
  const notes = [`[${flag.array ? 'array' : flag.type}]`];
  if (flag.repeatable) notes.push('[repeatable]');
  if (flag.choices) notes.push(`[choices: ${flag.choices.map((c) => JSON.stringify(c)).join(', ')}]`);
  if (flag.default !== undefined) notes.push(`[default: ${JSON.stringify(flag.default)}]`);
  return notes.map((n) => n.replaceAll(' ', NBSP)).join(' ');
}

function flagRows(flags: readonly FlagDecl[]): Array<[string, string]> {
  return flags.map((f) => [`${f.alias ? `-${f.alias}, ` : '    '}--${f.name}`, `${f.describe} ${flagAnnotations(f)}`]);
}

const expand = (text: string): string => text.replaceAll('$0', 'kubectl kd');

/**
 * Help for one command (`command` set) or for kd itself (`commands` lists every command's
 * declaration, in --help order). `global` holds kd's own flags, shown on every page.
 */
export function renderHelp(global: Declaration, options: { command?: Declaration; commands?: readonly Declaration[]; width: number }): string {
  const { command, width } = options;
  const page = command ?? global;
  const out: string[] = [`kubectl kd ${page.usage}`, ''];
  for (const line of wrap(page.describe, width)) out.push(line);
  if (!command && options.commands) {
    out.push('', 'Commands:', ...columns(options.commands.map((c) => [`kubectl kd ${c.usage}`, c.describe]), width));
  }
  if (command && command.positionals.length > 0) {
    out.push(
      '',
      'Positionals:',
      ...columns(
        command.positionals.map((p) => [p.name, `${p.describe} ${p.variadic ? '[array]' : '[string]'}${p.required ? ' [required]' : ''}`]),
        width,
      ),
    );
  }
  out.push('', 'Options:', ...columns(flagRows([...global.flags, ...(command?.flags ?? [])]), width));
  if (page.examples.length > 0) out.push('', 'Examples:', ...columns(page.examples.map(([c, d]) => [expand(c), d]), width));
  if (page.epilogue) out.push('', ...wrap(expand(page.epilogue), width));
  return `${out.join('\n')}\n`;
}
