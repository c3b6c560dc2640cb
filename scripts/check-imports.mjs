/**
 * Enforces the layering that ARCHITECTURE.md promises, on every `npm test`:
 *  1. the core (src/) never imports plugin/, lsp/, or the shell's libraries (ink, react, yargs,
 *     vscode-languageserver);
 *  2. plugin/ and lsp/ reach the core only through src/index.ts;
 *  3. the pure core folders do no I/O: no file system, process, network or child processes,
 *     and no clock (Date.now, new Date(), performance.now); and they import only pure folders
 *     (a pure module that imports src/apply/ does I/O through it);
 *  4. apply/ and io/ do not import each other: what needs both (opening a session, drift's run)
 *     lives in the composition layer, src/session/.
 * It reads the sources as text: import specifiers are simple enough that a regex is exact here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PURE = ['src/model', 'src/manifest', 'src/schema', 'src/annotations', 'src/validate', 'src/drift', 'src/plan', 'src/health'];
/** Core folders that must not import each other, both ways. */
const APART = [['src/apply', 'src/io']];
const folderOf = (rel) => PURE.concat(APART.flat()).find((p) => rel === p || rel.startsWith(p + '/'));
const SHELL_LIBS = /^(ink|ink-.*|react|react\/.*|yargs|yargs\/.*|vscode-languageserver.*|chokidar)$/;
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|tls|dgram|dns|os|readline|worker_threads|cluster|process)$/;
const CLOCK = /\bDate\.now\(|new Date\(\s*\)|performance\.now\(|\bprocess\.(env|argv|cwd|exit|stdout|stderr|stdin)\b/;

function walk(dir, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
const problems = [];
for (const top of ['src', 'plugin', 'lsp']) {
  for (const file of walk(path.join(root, top))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const pure = PURE.some((p) => rel.startsWith(p + '/'));
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec) continue;
      if (spec.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
        if (top === 'src' && (target.startsWith('plugin/') || target.startsWith('lsp/')))
          problems.push(`${rel}: the core imports ${spec}; the core must not know the shells`);
        if (top !== 'src' && target.startsWith('src/') && target !== 'src/index.js' && target !== 'src/index.ts' && target !== 'src')
          problems.push(`${rel}: imports ${spec}; plugin/ and lsp/ reach the core only through src/index.ts`);
        if (pure && target.startsWith('src/') && !PURE.some((p) => target.startsWith(p + '/')))
          problems.push(`${rel}: pure core module imports ${spec}, outside the pure folders (${PURE.map((p) => p.slice(4)).join(', ')})`);
        for (const [a, b] of APART) {
          const from = folderOf(rel);
          const to = folderOf(target);
          if ((from === a && to === b) || (from === b && to === a)) problems.push(`${rel}: imports ${spec}; ${a.slice(4)}/ and ${b.slice(4)}/ do not import each other (compose them in src/session/)`);
        }
        continue;
      }
      if (top === 'src' && SHELL_LIBS.test(spec)) problems.push(`${rel}: the core imports '${spec}', a shell library`);
      if (pure && IO_MODULES.test(spec)) problems.push(`${rel}: pure core module imports '${spec}' (I/O comes in through interfaces)`);
    }
    if (pure) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (CLOCK.test(code) && !/^\s*\*/.test(line)) problems.push(`${rel}:${i + 1}: pure core module reads the clock or the process: ${line.trim()}`);
      });
    }
  }
}
if (problems.length) {
  console.error(`check-imports: ${problems.length} layering problem(s):\n  ` + problems.join('\n  '));
  process.exit(1);
}
console.log('check-imports: layering ok');
