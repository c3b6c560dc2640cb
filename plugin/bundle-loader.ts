/**
 * Runs a command's file of the built kd (dist/cli/<command>.cjs, a CommonJS script: see
 * scripts/build.mjs) from a V8 code cache that holds what earlier runs compiled.
 *
 * Node's compile cache keeps only the functions V8 compiles when a file is first compiled; the
 * ~900 functions a drift run compiles later, on their first call, were parsed and compiled again
 * on every run (~25 ms of a drift of 100 objects, issue 17). A classic script's cache made after
 * a run (`script.createCachedData()`) holds every function compiled so far, so the file is
 * compiled here with vm.Script from such a cache and run with the CommonJS wrapper Node would
 * give it. Making a cache costs a few milliseconds, so a run writes one only when there was none
 * usable, or when it compiled clearly more than the cache holds (a heavier command line than the
 * one that made it: measured by the size of V8's bytecode at exit against the size recorded in
 * the cache); a steady run only reads. Measuring loads node:v8 (1-2 ms at exit), so the cache
 * also records the shapes of the runs that measured it (their flags and exit code, not their
 * values or arguments: `runShape`), and a run of one of those shapes, which compiles what that
 * one did, does not measure; a run of a new shape that did not compile more writes the same
 * cache under a header that adds its shape, once.
 *
 * A cache is bytecode V8 runs, and V8 itself checks only its version, its flags and the source's
 * length. So a cache file also records the crc32 of the file's content, the Node version and the
 * architecture, and the crc32 of its own payload; any mismatch, a torn or unreadable file, is no
 * cache (the run compiles from source and replaces it). Cache files live in a folder of the user's
 * (`KD_CODE_CACHE_DIR`, else `$XDG_CACHE_HOME/kd/code`, else `~/.cache/kd/code`), created 0700;
 * one that is not a folder of this user, or that group or others may write, is not used (as ssh
 * refuses such a folder). Files are written under a temporary name and renamed, so concurrent
 * runs never see half a file. Where no cache can be kept (the folder cannot be made or written: a
 * read-only or missing home; kd never makes a missing home), and for a small file (cli/kd.cjs),
 * Node's own loader runs the file, as without kd's cache, rather than compiling it from scratch
 * each time. Any failure only costs the speed-up: kd runs and exits the same.
 * `KD_NO_CODE_CACHE` (or Node's NODE_DISABLE_COMPILE_CACHE) turns the cache off; under
 * NODE_V8_COVERAGE it is off too, so that a coverage run compiles and counts every function from
 * its source, as without the cache.
 * `KD_CODE_CACHE_DEBUG` prints, at exit, what the run did with the cache (for tests and
 * troubleshooting); `--verbose` says once why a cache folder is not used or not writable.
 *
 * Imports no module of kd's core (it runs before the command's file, in the entry's).
 */
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { flagWords } from './command-word.js';

const MAGIC = Buffer.from('KDV8CC1\n');
/** A rewrite pays off when the run compiled this much more bytecode than the cache's run (bytes, and a share of it). */
const GROWTH_BYTES = 64 * 1024;
const GROWTH_SHARE = 0.1;

/** What a run did with its cache: read at start, and whether it wrote one at exit. */
type CacheState = 'disabled' | 'small' | 'unsupported' | 'unsafe' | 'unwritable' | 'none' | 'corrupt' | 'stale' | 'rejected' | 'used';

/**
 * A command file smaller than this runs without kd's cache: for dist/cli/kd.cjs (22 KB: --version,
 * usage errors) the cache's checks (zlib and v8 loaded, checksums) cost more than the compiling
 * they save, and Node's compile cache covers most of such a file anyway.
 */
const MIN_CACHED_BYTES = 64 * 1024;

interface Header {
  node: string;
  arch: string;
  v8: string;
  sourceBytes: number;
  sourceCrc: number;
  payloadBytes: number;
  payloadCrc: number;
  /** `bytecodeSize()` when the run that made the cache ended. */
  bytecode: number;
  /** The shapes (`runShape`) of the runs whose code the cache holds; absent in a cache of an older kd. */
  shapes?: string[];
}

/** How many run shapes a cache remembers (its header stays far below parseCache's 4 KB). */
const MAX_SHAPES = 16;

/**
 * What decides which of a command file's functions a run compiles, as far as the command line
 * says: its flags (names only, sorted, before any `--`) and its exit code (an error path compiles
 * other code). Not the flags' values nor the arguments: a drift of 1 file or of 100 runs the same code.
 */
function runShape(args: readonly string[], exitCode: number): string {
  const names = new Set<string>();
  for (const word of flagWords(args)) if (word.startsWith('-') && word !== '-') names.add(word.split('=', 1)[0]!.slice(0, 40));
  return `${[...names].sort().join(' ')}|${exitCode}`.slice(0, 200);
}

type Crc32 = (data: Uint8Array | string) => number;

/**
 * Runs the CommonJS script `file` as Node's loader would, from its code cache when one is usable;
 * with the cache off, or its folder unusable, through Node's loader itself.
 */
export function runBundle(file: string): void {
  const env = process.env;
  const debug = !!env.KD_CODE_CACHE_DEBUG;
  const verbose = flagWords(process.argv.slice(2)).includes('--verbose');
  const cache = openCache(file, env);
  if ((cache.state === 'unsafe' || cache.state === 'unwritable') && verbose) note(`note: kd's code cache is not used: ${cache.reason}`);
  if (cache.source === undefined) {
    // No cache to read or write: Node's own loader runs the file, with Node's compile cache.
    if (debug) process.once('exit', () => note(`kd code cache: ${path.basename(file)}: ${cache.state}, kept`));
    createRequire(import.meta.url)(file);
    return;
  }
  const source = cache.source;
  // The build makes every command file pure ASCII (scripts/build.mjs), which latin1 decodes as
  // UTF-8 would, in a third of the time; a file that is not (an edited install) is decoded as UTF-8.
  const text = isAscii(source) ? source.toString('latin1') : source.toString('utf8');
  // Node's CommonJS wrapper, and the import() of this module for the file's imports of ES modules
  // (vm's own dynamic import is experimental).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __kdImport) { ${text}\n});`;
  const script = new vm.Script(wrapped, { filename: file, ...(cache.payload ? { cachedData: cache.payload } : {}) });
  const state = cache.state === 'used' && script.cachedDataRejected === true ? 'rejected' : cache.state;
  process.once('exit', (code) => {
    let wrote: string;
    try {
      wrote = saveIfWorth(script, state, cache, source, runShape(process.argv.slice(2), code)) ?? 'kept';
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      wrote = `not written (${why})`;
      if (verbose) note(`note: kd's code cache was not written: ${why}`);
    }
    if (debug) note(`kd code cache: ${path.basename(file)}: ${state}, ${wrote}`);
  });

  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string, load: (url: string) => Promise<unknown>) => void;
  const module = { exports: {}, filename: file, id: file, loaded: false };
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), (url) => import(url));
  module.loaded = true;
}

interface OpenCache {
  state: CacheState;
  /** The file's content, when this run may read and write the cache. */
  source?: Buffer;
  dir?: string;
  /** The folder the cache folder is made in (HOME, XDG_CACHE_HOME's parent, KD_CODE_CACHE_DIR's): never made by kd. */
  base?: string;
  cacheFile?: string;
  payload?: Buffer;
  header?: Header;
  crc32?: Crc32;
  reason?: string;
}

function openCache(file: string, env: NodeJS.ProcessEnv): OpenCache {
  if (env.KD_NO_CODE_CACHE || env.NODE_DISABLE_COMPILE_CACHE || env.NODE_V8_COVERAGE) return { state: 'disabled' };
  try {
    if (statSync(file).size < MIN_CACHED_BYTES) return { state: 'small' };
  } catch {
    // Node's loader says what is wrong with the file.
    return { state: 'unsupported' };
  }
  let crc32: Crc32 | undefined;
  try {
    // zlib.crc32 is native from Node 22.2; on an older 22 kd runs without the cache.
    crc32 = (createRequire(file)('node:zlib') as { crc32?: Crc32 }).crc32;
  } catch {
    crc32 = undefined;
  }
  if (typeof crc32 !== 'function') return { state: 'unsupported' };
  const where = cacheDir(env);
  if (where === undefined) return { state: 'unsupported' };
  const { dir, base } = where;
  // One cache file per command file of each installation (a folder's path, hashed) and Node.
  const cacheFile = path.join(dir, `${path.basename(file, '.cjs')}-${hex(crc32(path.dirname(file)))}-${process.version}-${process.arch}.v8cache`);
  let raw: Buffer;
  try {
    const unsafe = unsafeFolder(dir);
    if (unsafe !== undefined) return { state: 'unsafe', reason: unsafe };
    raw = readFileSync(cacheFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No folder yet, or no file: the first run makes them, where it can. Where it cannot (a
    // read-only home), every run would compile without any cache: Node's loader runs the file.
    if (code === 'ENOENT') {
      if (!canWrite(dir, base)) return { state: 'unwritable', reason: `${dir} cannot be written` };
      return { state: 'none', source: readFileSync(file), dir, base, cacheFile, crc32 };
    }
    return { state: 'unsafe', reason: `${dir}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const source = readFileSync(file);
  const parsed = parseCache(raw, crc32);
  const { header, payload } = parsed ?? {};
  if (header === undefined || header.node !== process.version || header.arch !== process.arch || header.v8 !== process.versions.v8 || header.sourceBytes !== source.length || header.sourceCrc !== crc32(source)) {
    // To be replaced: only where it can be (a cache left in a read-only home by an older kd).
    if (!canWrite(dir, base)) return { state: 'unwritable', reason: `${dir} cannot be written` };
    return { state: header === undefined ? 'corrupt' : 'stale', source, dir, base, cacheFile, crc32 };
  }
  return { state: 'used', source, dir, base, cacheFile, crc32, payload, header };
}

/** The cache file's header and payload, when its framing and its payload's checksum hold. */
function parseCache(raw: Buffer, crc32: Crc32): { header: Header; payload: Buffer } | undefined {
  if (raw.length < MAGIC.length + 4 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerBytes = raw.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (headerBytes > 4096 || start + headerBytes > raw.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(raw.subarray(start, start + headerBytes).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null) return undefined;
  const payload = raw.subarray(start + headerBytes);
  if (payload.length === 0 || payload.length !== header.payloadBytes || crc32(payload) !== header.payloadCrc) return undefined;
  return { header, payload };
}

/**
 * At exit: writes a new cache when this run had none usable or compiled clearly more, and notes
 * the shape of a run it measured in the cache's header. Returns what it did, or undefined when it
 * kept the cache as it was.
 */
function saveIfWorth(script: vm.Script, state: CacheState, cache: OpenCache, source: Buffer, shape: string): string | undefined {
  // A run shaped like one that made the cache compiled what that one did: nothing to measure.
  const shapes = state === 'used' && Array.isArray(cache.header!.shapes) ? cache.header!.shapes.filter((s) => typeof s === 'string') : [];
  if (shapes.includes(shape)) return undefined;
  const bytecode = bytecodeSize();
  // Not grown: the same payload under a header that knows this shape too, so that the next run
  // of it does not measure again (writing costs less than measuring on every such run).
  const grown = state !== 'used' || bytecode > cache.header!.bytecode + Math.max(GROWTH_BYTES, cache.header!.bytecode * GROWTH_SHARE);
  // The folder and the file first: where they cannot be made, the cache is not paid for.
  const dir = cache.dir!;
  // A home removed meanwhile (a CI job's, a test's) is not made again, with a cache in it.
  if (!statSync(cache.base!).isDirectory()) throw new Error(`${cache.base!} is not a folder`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unsafe = unsafeFolder(dir);
  if (unsafe !== undefined) throw new Error(unsafe);
  const temp = `${cache.cacheFile!}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  let payload: Buffer;
  try {
    try {
      payload = grown ? script.createCachedData() : cache.payload!;
      const crc32 = cache.crc32!;
      const header: Header = {
        node: process.version,
        arch: process.arch,
        v8: process.versions.v8,
        sourceBytes: source.length,
        sourceCrc: grown ? crc32(source) : cache.header!.sourceCrc,
        payloadBytes: payload.length,
        payloadCrc: grown ? crc32(payload) : cache.header!.payloadCrc,
        // Never below the cache this one replaces, so that runs alternating between a lighter and
        // a heavier command line settle instead of rewriting each other's cache.
        bytecode: grown ? Math.max(bytecode, state === 'used' ? cache.header!.bytecode : 0) : cache.header!.bytecode,
        // The new cache holds what the earlier runs compiled too (they ran in this process's V8
        // only through the cache it started from), so their shapes stay, the newest last.
        shapes: [...shapes, shape].slice(-MAX_SHAPES),
      };
      const headerBytes = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length);
      for (const part of [MAGIC, length, headerBytes, payload]) writeAll(fd, part);
    } finally {
      closeSync(fd);
    }
    // Readers see the old file or the new one, whole.
    renameSync(temp, cache.cacheFile!);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
    throw error;
  }
  return grown ? `wrote ${payload.length} bytes` : 'kept, noted the run\'s shape';
}

function writeAll(fd: number, data: Uint8Array): void {
  let at = 0;
  while (at < data.length) at += writeSync(fd, data, at, data.length - at);
}

/**
 * How much V8 has compiled: grows with the functions a run compiled. V8's trusted space holds the
 * bytecode arrays, and reading its size is a counter (~0.1 ms); getHeapCodeStatistics() says the
 * same more exactly but walks the heap (1–2 ms at the end of a drift run), the fallback for a V8
 * without that space.
 */
function bytecodeSize(): number {
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  const trusted = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'trusted_space');
  return trusted !== undefined ? trusted.space_used_size : v8.getHeapCodeStatistics().bytecode_and_metadata_size;
}

/** The folder for kd's code cache files, as `src/cluster/disk-cache.ts` places kd's other caches. */
function cacheDir(env: NodeJS.ProcessEnv): { dir: string; base: string } | undefined {
  if (env.KD_CODE_CACHE_DIR) {
    const dir = path.resolve(env.KD_CODE_CACHE_DIR);
    return { dir, base: path.dirname(dir) };
  }
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return { dir: path.join(env.XDG_CACHE_HOME, 'kd', 'code'), base: path.dirname(env.XDG_CACHE_HOME) };
  const home = env.HOME || os.homedir();
  return home ? { dir: path.join(home, '.cache', 'kd', 'code'), base: home } : undefined;
}

/** Why `dir` must not be used for code kd runs (not a folder, another user's, writable by group or others), or undefined. Throws ENOENT when it does not exist. */
function unsafeFolder(dir: string): string | undefined {
  const st = statSync(dir);
  if (!st.isDirectory()) return `${dir} is not a folder`;
  // Windows has neither owners as numbers nor these mode bits.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  if (st.uid !== process.getuid()) return `${dir} belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) return `${dir} is writable by group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 700 ${dir}`;
  return undefined;
}

/** Whether this user may create files in `dir`, or create `dir` in its nearest existing parent, which `base` must be or hold. */
function canWrite(dir: string, base: string): boolean {
  if (!existsSync(base)) return false;
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      accessSync(at, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) return false;
    }
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function note(message: string): void {
  try {
    writeSync(2, `${message}\n`);
  } catch {
    // stderr closed: nothing to tell.
  }
}
