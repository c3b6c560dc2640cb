/**
 * Build: bundles with esbuild, then generates the built-in Kubernetes schema bundle from the
 * pinned @kubernetes/client-node package.
 *
 * Start-up time is part of the product, and so is the size of the package. A command loads its
 * code from one bundle file (issue 17: Node's ES module loader costs more per file than per byte,
 * so drift's 34 shared chunks of a code-splitting build cost ~18 ms more than the same code in one
 * file): dist/kubectl-kd.cjs (plugin/entry.ts) reads the command word and runs
 * dist/cli/<command>.cjs from a code cache (`cjsCommand` below), built without splitting from plugin/main.ts with that one command, so the
 * CLI's error handling, argument parsing and the command share one copy of every module. Code
 * that only a rare path runs is in files of its own, imported on that path: the CEL engine and
 * `ws` (LIBRARIES), the simulator for --sim and the terminal UI for --watch (PARTS). kd-lsp is one
 * file, dist/kd-lsp.js. The core's barrel does not make every command reach everything, because
 * its modules are marked free of side effects (below) and value imports of a barrel point at the
 * defining module (barrel-imports.mjs), so esbuild keeps only what a command uses. Source maps
 * are written beside the bundles for development and kept out of the published package (`files`
 * in package.json).
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { barrelImports } from './barrel-imports.mjs';
import { nonAsciiProblem } from './ascii-only.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

// Build into a fresh folder and swap it in at the end: files of an older layout do not pile up,
// and a kd process or test running meanwhile never sees a half-written dist/.
const out = `dist.tmp-${process.pid}`;
rmSync(out, { recursive: true, force: true });


/**
 * The core's modules have no import-time side effects, so a command bundle keeps only the core
 * modules it uses, even though it imports them through the src/index.ts barrel.
 */
const pureCore = {
  name: 'kd-pure-core',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'kd-pure-core') return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'kd-pure-core' });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(path.join(root, 'src') + path.sep)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * `import http from 'node:http'` in an ES module makes Node build the module's ESM facade, which
 * reads every export, including the lazy getters: node:http's (`WebSocket`, `MessageEvent`...)
 * load Node's bundled undici (0.1–0.2 s of every cluster command's start-up), node:crypto's
 * `webcrypto` a dozen internal crypto modules; a facade per built-in also costs the loader's
 * resolve and link. So every import of a built-in (`node:fs`, or a dependency's bare `fs`) is
 * served by a module that takes the CommonJS module from require(), which builds no facade and
 * runs no getter: it exports the module as default and each export name as a variable read from
 * it when the module is evaluated, marked pure so that esbuild keeps only the names the bundle
 * imports (a CommonJS wrapper instead would copy every property of the module per importing
 * module: ~6 ms for drift's 44 imports of built-ins). Export names are the built-in's own keys on
 * the Node that builds (a name it lacks fails the build). Evaluated where the first module that
 * imports it is, so a built-in that only a module evaluated on first import uses loads with it.
 */
const BUILTIN = new RegExp(`^(?:node:.+|${builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const isBindable = (name) => {
  try {
    new Function(`var ${name};`);
    return name !== 'default' && !name.startsWith('__kd') && IDENTIFIER.test(name);
  } catch {
    return false;
  }
};
const builtinsThroughRequire = {
  name: 'kd-builtins-through-require',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (args) =>
      // The require() of the module below, and dependencies' own, stay require() calls of the built-in.
      args.kind === 'require-call' || args.kind === 'require-resolve' ? undefined : { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'kd-require-builtin', sideEffects: false },
    );
    b.onLoad({ filter: /.*/, namespace: 'kd-require-builtin' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path)).filter(isBindable);
      const contents = [
        `const __kdBuiltin = require(${JSON.stringify(args.path)});`,
        'const __kdExport = (name) => __kdBuiltin[name];',
        'export default __kdBuiltin;',
        ...names.map((name) => `export var ${name} = /* @__PURE__ */ __kdExport(${JSON.stringify(name)});`),
      ].join('\n');
      return { contents, loader: 'js', resolveDir: root };
    });
  },
};

/**
 * string-width (Ink's, in the terminal UI) builds an Intl.Segmenter and Unicode-property regular
 * expressions when its module is evaluated: 40–150 ms of `apply --watch`'s start-up on a loaded
 * 2-core machine, though kd only measures them when it renders the terminal UI, and string-width
 * 8 skips them for printable ASCII anyway.
 * Build each on first use instead: the module-level constants become objects that create the real
 * segmenter or expression when first called, with the methods string-width calls on them.
 */
const LAZY_CONSTANT = /^const (\w+) = (new Intl\.Segmenter\(\)|\/.*\\p\{.*\/[a-z]*);$/gm;
const lazyStringWidth = {
  name: 'kd-lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/](?:.*[\\/])?string-width[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let lazy = 0;
      const contents = source.replace(LAZY_CONSTANT, (_, name, make) => {
        lazy++;
        return make.startsWith('new Intl')
          ? `let ${name}Made; const ${name} = { segment: (text) => (${name}Made ??= ${make}).segment(text) };`
          : `let ${name}Made; const ${name} = __kdLazyRegExp(() => (${name}Made ??= ${make}));`;
      });
      if (lazy === 0) return undefined;
      const helper = 'function __kdLazyRegExp(get) { return { test: (s) => get().test(s), exec: (s) => get().exec(s), [Symbol.search]: (s) => get()[Symbol.search](s), [Symbol.match]: (s) => get()[Symbol.match](s), [Symbol.matchAll]: (s) => get()[Symbol.matchAll](s), [Symbol.replace]: (s, r) => get()[Symbol.replace](s, r), [Symbol.split]: (s, l) => get()[Symbol.split](s, l) }; }\n';
      return { contents: contents + '\n' + helper, loader: 'js' };
    });
  },
};

/**
 * The YAML libraries are in no bundle file of kd's: src/manifest/yaml-library.ts loads each with
 * require() on first use (`yaml`: problem positions, diffs, kustomize output, kd sim; js-yaml:
 * documents that are not plain block YAML), so that a run that needs neither never loads them,
 * and callers stay synchronous. Each is bundled on its own into one CommonJS file at dist/'s top,
 * which loads in a few milliseconds where `yaml`'s own seventy files take tens.
 */
const YAML_BUNDLES = { yaml: 'yaml.cjs', 'js-yaml': 'js-yaml.cjs' };

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  banner: {
    // Bundled CommonJS dependencies call require(); give them one.
    js: "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);",
  },
  define: { 'process.env.DEV': '"false"', KD_YAML_BUNDLES: JSON.stringify(YAML_BUNDLES) },
};

/**
 * Which commands a bundle file of the CLI holds. plugin/commands/index.ts takes each command's
 * loader from ./loaders.js (dynamic imports of every command); a command's bundle gets this module
 * instead, importing its one command statically (its graph is evaluated up front, as it always
 * runs) and no other: `help` holds them all (the overall --help), `kd`
 * none (--version and errors without a command). The entry (plugin/entry.ts) picks the file by the
 * same command word, so a bundle is never asked for a command it does not hold.
 */
const COMMAND_WORDS = JSON.parse(/COMMAND_WORDS = (\[[^\]]*\])/.exec(readFileSync('plugin/command-word.ts', 'utf8'))[1].replaceAll("'", '"'));
function commandsOnly(words) {
  const index = path.join(root, 'plugin', 'commands', 'index.ts');
  const contents = [
    ...words.map((w) => `import { ${w}Command } from './${w}.js';`),
    'const notHere = (word: string) => async () => {',
    '  throw new Error(`this bundle file of kubectl-kd holds no "${word}" command (an error in the build: see plugin/entry.ts)`);',
    '};',
    `export const commandLoaders = { ${COMMAND_WORDS.map((w) => (words.includes(w) ? `${w}: async () => ${w}Command` : `${w}: notHere('${w}')`)).join(', ')} };`,
  ].join('\n');
  return {
    name: 'kd-commands-only',
    setup(b) {
      b.onResolve({ filter: /^\.\/loaders\.js$/ }, (args) => (args.importer === index ? { path: 'loaders', namespace: 'kd-commands-only' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'kd-commands-only' }, () => ({ contents, loader: 'ts', resolveDir: path.dirname(index) }));
    },
  };
}

/**
 * Ink loads React's devtools only when DEV=true (never: `define` in `common`) and the package is
 * installed; kd never ships it. Left external, a bundle without splitting would import it at its
 * top (esbuild hoists an external module's import out of the deferred module that uses it), so it
 * is a module that says so if it is ever evaluated.
 */
const noDevtools = {
  name: 'kd-no-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'kd-no-devtools' }));
    b.onLoad({ filter: /.*/, namespace: 'kd-no-devtools' }, () => ({ contents: "throw new Error('kubectl-kd does not ship react-devtools-core');\nexport default undefined;\n", loader: 'js' }));
  },
};

/** `target` (a path under dist/) as an import specifier from the bundle file at `outfile`. */
function specifierFrom(outfile, target) {
  const rel = path.posix.relative(path.posix.dirname(outfile), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * Libraries that only a rare path uses, each a bundle file of its own at dist/'s top, imported
 * where they are used: the CEL engine (@bufbuild/cel and what it uses, 0.6 MB, loaded by
 * src/schema/cel.ts through src/schema/cel-library.ts when a schema in use has rules: a drift or
 * validate of built-in kinds never does) and `ws` (pods/exec's websocket client, and the
 * simulator's exec server). In every command's file they cost start-up even unused; being
 * third-party code that holds no kd module, each has one copy in a run whichever file imports it.
 * Where a library is imported dynamically it stays so; a static import of one (the simulator's of
 * `ws`) loads it with the file.
 */
const LIBRARIES = [
  { file: 'cel.js', entry: 'src/schema/cel-library.ts', filter: /^\.\/cel-library\.js$/, importer: path.join(root, 'src', 'schema', 'cel.ts') },
  { file: 'ws.js', entry: fileURLToPath(import.meta.resolve('ws')), filter: /^ws$/ },
];
function librariesApart(outfile, inline = []) {
  return {
    name: 'kd-libraries-apart',
    setup(b) {
      for (const library of LIBRARIES.filter((l) => !inline.includes(l.file)))
        b.onResolve({ filter: library.filter }, (args) => {
          if (library.importer !== undefined && args.importer !== library.importer) return undefined;
          return { path: specifierFrom(outfile, library.file), external: true };
        });
    },
  };
}

/**
 * Parts: what only one mode of a command runs, too large to carry in every file that may need it
 * (measured: the simulator made drift's file 40 % larger and its start ~6 ms slower without
 * --sim; Ink, React and the watch screen made apply's three times larger and a plain apply ~15 ms
 * slower). Each is a bundle file of its own under dist/parts/, imported where its dynamic import
 * is (src/session/connection.ts for --sim, plugin/commands/apply.ts for --watch). A part holds its
 * own copy of the core modules it uses, so a run with the part has two copies of those: safe
 * because what crosses between them is plain data, the simulator's handle and clock, a schema
 * source (duck-typed, no `instanceof`) and errors (KdError is branded, so `instanceof KdError`
 * holds across copies: src/errors.ts); each copy loads its own CEL engine state from dist/cel.js
 * and the YAML libraries through require(), which Node caches once. A file that holds a part's
 * code itself (the simulator's, in cli/sim.cjs and cli/help.cjs) keeps the import in the file instead, so no module of the
 * part is ever twice in a run (test/cli/bundle-layout.test.ts checks both, from dist/meta.json).
 */
const PARTS = { sim: 'src/sim/embedded.ts', watch: 'plugin/watch/run-apply-watch.ts' };
function partsApart(outfile, names) {
  const targets = new Map(names.map((n) => [path.join(root, PARTS[n]), n]));
  return {
    name: 'kd-parts-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        const name = targets.get(path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
        if (name === undefined) return undefined;
        if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports ${args.path} statically: the ${name} part is loaded only by a dynamic import`);
        return { path: specifierFrom(outfile, `parts/${name}.js`), external: true };
      });
    },
  };
}

/**
 * The command files are CommonJS scripts (format `cjs`), not ES modules: the entry runs them
 * through plugin/bundle-loader.ts, which compiles each with V8's code cache of the functions
 * earlier runs compiled (Node's own compile cache keeps only the eagerly compiled ones), and only
 * a classic script has such a cache. What an ES module would give them is replaced: the bundle's
 * file URL (`import.meta.url`, read by the core to find dist/ and schemas/) is computed from
 * `__filename`, `require` is the CommonJS wrapper's, and every import() of another file of dist/
 * (the LIBRARIES and PARTS, ES modules) is given an absolute URL made from that file URL and
 * made by the loader's import() (`absoluteImports`), so it resolves alike whichever script or
 * loader runs the file, and no import() is left for vm to serve. A command
 * file must import no other file statically (a require() of an ES module), so a library that a
 * command's own modules import statically (`ws`, by the simulator in cli/sim and cli/help) is
 * bundled into that file, for all its importers there.
 */
const BUNDLE_URL = '__kdBundleUrl';
const IMPORT = '__kdImportFile';
const cjsCommand = {
  format: 'cjs',
  // The ES modules it is built from are strict code; the directive must come first to apply.
  // `__kdImport` is the loader's import() (a parameter of the wrapper it runs the file in), so the
  // file needs none of vm's experimental dynamic import; run by Node's own require(), it is import().
  banner: { js: `"use strict"; var ${BUNDLE_URL} = require("node:url").pathToFileURL(__filename).href; var ${IMPORT} = typeof __kdImport === "function" ? __kdImport : (url) => import(url);` },
  define: { ...common.define, 'import.meta.url': BUNDLE_URL },
};

/** In a command file, `import("../parts/sim.js")` becomes `__kdImportFile(new URL("../parts/sim.js", <the file's URL>).href)`. */
function absoluteImports(file, meta) {
  const out = Object.entries(meta.outputs).find(([k]) => k === file)?.[1];
  const specifiers = new Set(out.imports.filter((i) => i.external && i.kind === 'dynamic-import' && i.path.startsWith('.')).map((i) => i.path));
  let code = readFileSync(file, 'utf8');
  for (const spec of specifiers) {
    const from = `import(${JSON.stringify(spec)})`;
    if (!code.includes(from)) throw new Error(`${file}: no ${from} to make absolute`);
    code = code.replaceAll(from, `${IMPORT}(new URL(${JSON.stringify(spec)}, ${BUNDLE_URL}).href)`);
  }
  const left = /\bimport\((?!url\))/.exec(code);
  if (left) throw new Error(`${file}: an import() is left (${code.slice(left.index, left.index + 60)})`);
  if (out.imports.some((i) => i.external && i.kind !== 'dynamic-import' && i.path.startsWith('.'))) throw new Error(`${file} imports another file of dist/ statically`);
  const notAscii = nonAsciiProblem(code);
  if (notAscii) throw new Error(`${file}:${notAscii}`);
  writeFileSync(file, code);
}

const plugins = [barrelImports(root), pureCore, builtinsThroughRequire, lazyStringWidth, noDevtools];
/**
 * One bundle file, with no splitting: the dynamic imports it keeps become modules evaluated on
 * first import, in the same file (one instance each, as with any module), except the LIBRARIES
 * and the `parts` named, which are imported from their own files.
 */
const bundle = (entry, outfile, { commands, cjs = commands !== undefined, parts = [], inline = [] } = {}) =>
  build({
    ...common,
    ...(cjs ? cjsCommand : {}),
    metafile: true,
    entryPoints: [entry],
    outfile: path.join(out, outfile),
    plugins: [...(commands ? [commandsOnly(commands)] : []), partsApart(outfile, parts), librariesApart(outfile, inline), ...plugins],
  }).then((result) => {
    if (commands) absoluteImports(path.join(out, outfile), result.metafile);
    return result;
  });

/** A command's file, dist/cli/<name>.cjs (see `cjsCommand`). */
const command = (name, commands, options = {}) => bundle('plugin/main.ts', `cli/${name}.cjs`, { commands, ...options });
const results = await Promise.all([
  // A CommonJS script too: run by the bin's require(), a command never starts Node's ES module
  // loader (3-5 ms of every command: drift, validate, --version).
  bundle('plugin/entry.ts', 'kubectl-kd.cjs', { cjs: true }),
  ...COMMAND_WORDS.map((w) => (w === 'sim' ? command(w, [w], { inline: ['ws.js'] }) : command(w, [w], { parts: ['sim', 'watch'] }))),
  command('kd', []),
  command('help', COMMAND_WORDS, { parts: ['watch'], inline: ['ws.js'] }),
  bundle(PARTS.sim, 'parts/sim.js'),
  bundle(PARTS.watch, 'parts/watch.js', { parts: ['sim'] }),
  bundle('lsp/main.ts', 'kd-lsp.js', { parts: ['sim'] }),
  ...LIBRARIES.map((library) => bundle(library.entry, library.file)),
]);
const metafile = { inputs: {}, outputs: {} };
for (const { metafile: m } of results) {
  Object.assign(metafile.inputs, m.inputs);
  Object.assign(metafile.outputs, m.outputs);
}

await Promise.all(
  Object.entries(YAML_BUNDLES).map(([name, file]) =>
    build({
      entryPoints: [createRequire(import.meta.url).resolve(name)],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      sourcemap: 'linked',
      logLevel: 'warning',
      outfile: path.join(out, file),
    }),
  ),
);

// What each bundle file holds and imports, for tools that explain start-up (bench/startup.mjs);
// not part of the package (`files` in package.json ships only the bundles).
writeFileSync(path.join(out, 'meta.json'), JSON.stringify(metafile));

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });


const gen = path.join(root, 'scripts', 'gen-bundle.mjs');
if (existsSync(gen)) await import(gen);
