/**
 * ARCHITECTURE.md's code map and glossary name real files (issue 19, item 8): every path written
 * in backticks in the "Code map" and "Glossary" sections must exist. A path starting at a
 * top-level folder (`src/apply/runner.ts`) is taken from the repository root; a shorter one
 * (`runner.ts`, `release/store.ts`, `strategies/`) is looked up under the folder of the code-map
 * entry it appears in (`src/apply/`), as the prose reads it. The glossary also names its types:
 * each `Name` written as "`Name` (path)" must be exported by that module. Two invariants that
 * no other check covers are checked here too: only plugin/main.ts touches `process` in the CLI,
 * no shell returns a literal exit code (they come from `ExitCode` / plugin/exit-codes.ts), and
 * kd sim is started for kd's commands only through src/sim/embedded.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOP = ['src/', 'plugin/', 'lsp/', 'test/', 'bench/', 'scripts/', 'schemas/', 'bin/', 'examples/', 'docs/'];
const PATH_LIKE = /^[\w.-]+(\/[\w.-]+)*\/?$/;
const FILE_LIKE = /\.(ts|tsx|mjs|cjs|json|md)$/;
/** Kubernetes names that look like paths: annotation keys and API groups (`kd.io/...`), subresources (`pods/exec`). */
const API_NAME = /^([\w-]+\.[\w.-]+\/(?!.*\.(ts|tsx|mjs|cjs|json|md)$)|(pods|services|nodes)\/)/;

const doc = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');

/** The text of every `## ` section whose title matches. */
function section(title: RegExp): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.startsWith('## ')) inside = title.test(line);
    else if (inside) out.push(line);
  }
  return out.join('\n');
}

/** Backticked tokens that read as paths: they contain a slash or end in a source extension. */
function pathsIn(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!)
    .filter((t) => PATH_LIKE.test(t) && (t.includes('/') || FILE_LIKE.test(t)) && !API_NAME.test(t));
}

/** Every file and folder under `dir`, as paths relative to it (folders with a trailing slash). */
function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(rel + '/', ...walk(path.join(dir, entry.name), rel + '/'));
    else out.push(rel);
  }
  return out;
}

/** Written by the build, never committed: named in the map, but not there before `npm run build`. */
const GENERATED = /^(schemas\/kubernetes|dist)\//;

function exists(token: string, base: string | undefined): boolean {
  if (GENERATED.test(token)) return true;
  if (TOP.some((t) => token.startsWith(t)) || base === undefined) return existsSync(path.join(ROOT, token));
  // Relative to the entry's folder or one above it (`sim/embedded.ts` from src/session/).
  for (let dir = base; dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) if (existsSync(path.join(ROOT, dir, token))) return true;
  // Named by its place inside the entry's folder (`commands/index.ts` under plugin/, `clock.ts` under src/sim/controllers/).
  const baseDir = path.join(ROOT, base);
  if (!existsSync(baseDir) || !statSync(baseDir).isDirectory()) return false;
  return walk(baseDir).some((rel) => rel === token || rel.endsWith('/' + token));
}

/** The code map's entries: each top-level bullet with the folder or file it opens with, and its whole text. */
function codeMapEntries(): Array<{ base: string; text: string }> {
  const entries: Array<{ base: string; text: string }> = [];
  for (const chunk of section(/Code map/).split(/\n(?=- `)/)) {
    const head = /^- `([^`]+)`/.exec(chunk.trim());
    if (head) entries.push({ base: head[1]!.endsWith('/') ? head[1]! : path.posix.dirname(head[1]!), text: chunk });
  }
  return entries;
}

describe('ARCHITECTURE.md', () => {
  const entries = codeMapEntries();

  it('has a code map whose entries open with paths that exist', () => {
    expect(entries.length).toBeGreaterThan(10);
    const missing = entries.map((e) => e.base).filter((b) => !existsSync(path.join(ROOT, b)));
    expect(missing).toEqual([]);
  });

  it('names only files and folders that exist in the code map', () => {
    const missing: string[] = [];
    for (const e of entries) for (const p of pathsIn(e.text)) if (!exists(p, e.base)) missing.push(`${p} (under ${e.base})`);
    expect(missing).toEqual([]);
  });

  it('names only files and folders that exist in the invariants, cross-cutting concerns and glossary', () => {
    const text = [section(/Invariants/), section(/Cross-cutting/), section(/Glossary/)].join('\n');
    // A bare folder there (`apply/`) is a core folder.
    const missing = pathsIn(text).filter((p) => !exists(p, 'src/'));
    expect(missing).toEqual([]);
  });

  it("glossary types are exported by the module named beside them", () => {
    const glossary = section(/Glossary/);
    const claims = [...glossary.matchAll(/`([A-Z]\w+)`[^`(\n]*\(((?:src|plugin|lsp)\/[\w/.-]+\.tsx?)\)/g)].map((m) => ({ name: m[1]!, file: m[2]! }));
    expect(claims.length).toBeGreaterThan(5);
    const wrong = claims.filter(({ name, file }) => {
      const source = existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), 'utf8') : '';
      return !new RegExp(`export (?:declare )?(?:type|interface|class|const|function|enum|abstract class) ${name}\\b|export (?:type )?\\{[^}]*\\b${name}\\b`).test(source);
    });
    expect(wrong).toEqual([]);
  });

  const sources = (folder: string): string[] =>
    walk(path.join(ROOT, folder))
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => `${folder}/${f}`);
  const codeLines = (file: string): Array<{ at: string; line: string }> =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .map((line, i) => ({ at: `${file}:${i + 1}`, line }))
      .filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line));

  it('keeps its invariant that only plugin/main.ts touches process in the CLI', () => {
    // The loader of command files (plugin/bundle-loader.ts) runs before the CLI too: the code cache's settings and exit hook.
    // The built entry (plugin/entry.ts) only reads the command line, to pick the command's bundle.
    const entryReadsOnlyArgv = ({ at, line }: { at: string; line: string }) => at.startsWith('plugin/entry.ts:') && !/\bprocess\.(?!argv\b)\w/.test(line);
    const touching = sources('plugin')
      .filter((f) => f !== 'plugin/main.ts' && f !== 'plugin/bundle-loader.ts')
      .flatMap(codeLines)
      .filter(({ line }) => /\bprocess\.\w/.test(line))
      .filter((l) => !entryReadsOnlyArgv(l))
      .map(({ at }) => at);
    expect(touching).toEqual([]);
  });

  it('keeps its claim that exit codes are named, never literal numbers, in the shells', () => {
    // Where exit codes are produced: the commands, the watch loop, the CLI's top level and kd-lsp's main.
    const producers = [...sources('plugin')].filter((f) => /^plugin\/(commands\/|watch\/|[\w-]+\.ts$)/.test(f)).concat('lsp/main.ts');
    const literal = producers
      .flatMap(codeLines)
      .filter(({ line }) => /\b(exitCode\s*=|exit\(|return)\s*(0|1|2|130)\s*;|exitCode:\s*(1|2|130)\b/.test(line) && !/ExitCode\./.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(literal).toEqual([]);
  });

  it('keeps its claim that every kd command starts kd sim through src/sim/embedded.ts (the core validator behind writes)', () => {
    const direct = [...sources('src'), ...sources('plugin'), ...sources('lsp')]
      .filter((f) => f !== 'src/sim/server.ts' && f !== 'src/sim/embedded.ts')
      .flatMap(codeLines)
      .filter(({ line }) => /\bstartSim\s*\(/.test(line))
      .map(({ at }) => at);
    expect(direct).toEqual([]);
  });
});
