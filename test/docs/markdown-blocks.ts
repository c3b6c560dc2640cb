/**
 * The fenced code blocks of the project's Markdown (README.md, docs/*.md), with the language of
 * their fence and the `<!-- not-run: reason -->` comment that may precede a shell block (for
 * commands that install, run for ever or need a person: npm start, --watch, editors).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  notRun?: string;
}

export const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console']);

export function markdownFiles(root: string): string[] {
  const docs = path.join(root, 'docs');
  return [path.join(root, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(docs, f))];
}

export function codeBlocks(file: string, text = readFileSync(file, 'utf8')): CodeBlock[] {
  const lines = text.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!.slice(open[1]!.length));
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 ? /^<!--\s*not-run:\s*(.+?)\s*-->$/.exec(lines[k]!.trim()) : null;
    out.push({ file, line: i + 1, lang: open[3]!.toLowerCase(), code: body.join('\n') + '\n', ...(marker ? { notRun: marker[1]! } : {}) });
    i = j;
  }
  return out;
}
