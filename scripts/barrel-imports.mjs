/**
 * esbuild plugin for the build: rewrites imports from the core's barrels (src/index.ts, and each
 * folder's index.ts) into imports from the modules that define each name.
 *
 * Why: plugin/ and lsp/ import the core only through src/index.ts (the layering rule), and core
 * modules import other folders through their index.ts. With code splitting esbuild decides which
 * chunks an entry loads by the files it reaches through import statements, not by the names it
 * uses: through a barrel every command would reach every module behind it, so `validate` would
 * load the simulator's chunk and `drift` the apply executor's (issue 17). Importing each name from
 * its own module keeps a command's chunks to what it uses. Source files are not changed; names
 * the barrel does not have fail the build, as they would without this plugin. The core's modules
 * have no import-time side effects (scripts/build.mjs marks them so), which is what makes
 * skipping a barrel the same program.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const VALUE_IMPORT = /^import\s+(?!type\s)\{([^}]*)\}\s+from\s+'((?:\.\.\/)+src\/index\.js)';?/gm;
/** In a core module: a value import from a folder's barrel (`../model/index.js`, `./index.js`). */
const CORE_BARREL_IMPORT = /^import\s+(?!type\s)\{([^}]*)\}\s+from\s+'((?:\.\.?\/)+(?:[\w-]+\/)*index\.js)';?/gm;

const texts = new Map();
function textOf(file) {
  if (!texts.has(file)) texts.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  return texts.get(file);
}
const resolveFrom = (file, spec) => path.join(path.dirname(file), spec.replace(/\.js$/, '.ts'));
const escape = (name) => name.replace(/\$/g, '\\$');

/**
 * The module that defines `name` as exported by `file`, following `export { a as b } from` and
 * `export * from` through barrels; `file` itself when it defines or re-lists the name, or when
 * the chain cannot be followed (then the import stays as written, which is always correct).
 */
export function definingModule(file, name, depth = 0) {
  const text = textOf(file);
  if (text === undefined || depth > 20) return undefined;
  for (const m of text.matchAll(/^export\s+\{([^}]*)\}\s+from\s+'([^']+)';?/gm)) {
    for (const spec of m[1].split(',').map((x) => x.trim()).filter(Boolean)) {
      if (spec.startsWith('type ')) continue;
      const [imported, exported = imported] = spec.split(/\s+as\s+/).map((x) => x.trim());
      if (exported !== name) continue;
      if (!m[2].startsWith('.')) return { file, imported: name };
      return definingModule(resolveFrom(file, m[2]), imported, depth + 1) ?? { file, imported: name };
    }
  }
  const local = new RegExp(`^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|const|let|var|class|abstract\\s+class|enum|const\\s+enum)\\s+${escape(name)}\\b`, 'm');
  if (local.test(text)) return { file, imported: name };
  for (const m of text.matchAll(/^export\s+\{([^}]*)\}\s*;?\s*$/gm)) {
    if (m[1].split(',').some((spec) => (spec.trim().split(/\s+as\s+/).pop() ?? '').trim() === name)) return { file, imported: name };
  }
  for (const m of text.matchAll(/^export\s+\*\s+from\s+'(\.[^']+)';?/gm)) {
    const found = definingModule(resolveFrom(file, m[1]), name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `import { a, b as c, type T } from 'barrel'` as imports from the defining modules, on as many lines. */
function rewriteImport(importer, whole, specs, from, targetOf, errors) {
  const byFile = new Map();
  const types = [];
  for (const spec of specs.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (spec.startsWith('type ')) {
      types.push(spec);
      continue;
    }
    const [name, local = name] = spec.split(/\s+as\s+/).map((s) => s.trim());
    const target = targetOf(name);
    if (!target) {
      errors.push({ text: `"${name}" is not exported by ${from}` });
      continue;
    }
    let rel = path.relative(path.dirname(importer), target.file).replace(/\.tsx?$/, '.js');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    if (!byFile.has(rel)) byFile.set(rel, []);
    byFile.get(rel).push(target.imported === local ? local : `${target.imported} as ${local}`);
  }
  // Type-only names keep the barrel import, which type erasure removes.
  const lines = types.length > 0 ? [`import type { ${types.map((t) => t.slice(5).trim()).join(', ')} } from '${from}';`] : [];
  for (const [rel, names] of byFile) lines.push(`import { ${names.join(', ')} } from '${rel}';`);
  // On as many lines as before, so the source map's positions below stay right.
  return lines.join(' ') + '\n'.repeat(whole.split('\n').length - 1);
}

/** name exported by the barrel → { file, imported } of the module that defines it. */
async function exportMap(root) {
  const barrel = path.join(root, 'src', 'index.ts');
  const text = readFileSync(barrel, 'utf8');
  const map = new Map();
  const resolve = (spec) => path.join(root, 'src', spec.replace(/\.js$/, '.ts'));
  const stars = [];
  for (const m of text.matchAll(/^export\s+\*\s+from\s+'([^']+)';?/gm)) stars.push(resolve(m[1]));
  for (const m of text.matchAll(/^export\s+\{([^}]*)\}\s+from\s+'([^']+)';?/gm)) {
    for (const spec of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      if (spec.startsWith('type ')) continue;
      const [imported, exported = imported] = spec.split(/\s+as\s+/).map((s) => s.trim());
      map.set(exported, { file: resolve(m[2]), imported });
    }
  }
  // Names a `export * from` brings: esbuild knows them after resolving the module's own stars.
  const r = await build({ entryPoints: stars, bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', packages: 'external', outdir: path.join(root, 'dist.barrel-scan'), logLevel: 'silent' });
  for (const out of Object.values(r.metafile.outputs)) {
    if (!out.entryPoint) continue;
    const file = path.join(root, out.entryPoint);
    for (const name of out.exports) if (!map.has(name)) map.set(name, { file, imported: name });
  }
  // What the barrel defines itself (a function, a constant) stays in the barrel.
  for (const m of text.matchAll(/^export\s+(?:async\s+)?(?:function|const|let|class)\s+(\w+)/gm)) map.set(m[1], { file: barrel, imported: m[1] });
  return map;
}

export function barrelImports(root) {
  return {
    name: 'kd-barrel-imports',
    setup(b) {
      let mapPromise;
      const shells = [path.join(root, 'plugin') + path.sep, path.join(root, 'lsp') + path.sep];
      const core = path.join(root, 'src') + path.sep;
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
        const errors = [];
        if (args.path.startsWith(core)) {
          const source = readFileSync(args.path, 'utf8');
          if (!source.includes('index.js')) return undefined;
          const contents = source.replace(CORE_BARREL_IMPORT, (whole, specs, from) => {
            const barrel = resolveFrom(args.path, from);
            return rewriteImport(args.path, whole, specs, from, (name) => definingModule(barrel, name), errors);
          });
          return { contents, loader, errors };
        }
        if (!shells.some((s) => args.path.startsWith(s))) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('src/index.js')) return undefined;
        mapPromise ??= exportMap(root);
        const map = await mapPromise;
        const contents = source.replace(VALUE_IMPORT, (whole, specs, from) =>
          rewriteImport(args.path, whole, specs, from, (name) => {
            const target = map.get(name);
            // Past the folder's own barrel too, to the module that defines the name.
            return target && (definingModule(target.file, target.imported) ?? target);
          }, errors),
        );
        return { contents, loader, errors };
      });
    },
  };
}
