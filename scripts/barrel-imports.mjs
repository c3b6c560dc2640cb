/**
 * esbuild plugin for the build: rewrites the shells' imports from the core's barrel (src/index.ts)
 * into imports from the modules that define each name.
 *
 * Why: plugin/ and lsp/ import the core only through src/index.ts (the layering rule), and with
 * code splitting esbuild decides which chunks an entry loads by the files it reaches, not by the
 * names it uses. Through the barrel every command would reach every core module, so `validate`
 * would load the simulator's chunk. Importing each name from its own module keeps a command's
 * chunks to what it uses. Source files are not changed; names the barrel does not have fail the
 * build, as they would without this plugin.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const VALUE_IMPORT = /^import\s+(?!type\s)\{([^}]*)\}\s+from\s+'((?:\.\.\/)+src\/index\.js)';?/gm;

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
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (!shells.some((s) => args.path.startsWith(s))) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('src/index.js')) return undefined;
        mapPromise ??= exportMap(root);
        const map = await mapPromise;
        const errors = [];
        const contents = source.replace(VALUE_IMPORT, (whole, specs, from) => {
          const byFile = new Map();
          const types = [];
          for (const spec of specs.split(',').map((s) => s.trim()).filter(Boolean)) {
            if (spec.startsWith('type ')) {
              types.push(spec);
              continue;
            }
            const [name, local = name] = spec.split(/\s+as\s+/).map((s) => s.trim());
            const target = map.get(name);
            if (!target) {
              errors.push({ text: `"${name}" is not exported by src/index.ts` });
              continue;
            }
            let rel = path.relative(path.dirname(args.path), target.file).replace(/\.tsx?$/, '.js');
            if (!rel.startsWith('.')) rel = `./${rel}`;
            if (!byFile.has(rel)) byFile.set(rel, []);
            byFile.get(rel).push(target.imported === local ? local : `${target.imported} as ${local}`);
          }
          // Type-only names keep the barrel import, which type erasure removes.
          const lines = types.length > 0 ? [`import type { ${types.map((t) => t.slice(5).trim()).join(', ')} } from '${from}';`] : [];
          for (const [rel, names] of byFile) lines.push(`import { ${names.join(', ')} } from '${rel}';`);
          // On as many lines as before, so the source map's positions below stay right.
          return lines.join(' ') + '\n'.repeat(whole.split('\n').length - 1);
        });
        return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts', errors };
      });
    },
  };
}
