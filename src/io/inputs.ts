/**
 * The shell's side of manifest loading: turns the paths a user named into `SourceText`s for the
 * pure loader. Files are read as named; directories recursively, in code-point order of their
 * names, by the shared rule of which files are manifests (src/manifest/input-rules.ts: `.yaml`,
 * `.yml`, `.json`; no hidden, dependency or build folders; Helm charts and documents that are not
 * Kubernetes objects skipped with a note; `.kdignore` and `--exclude` patterns); `-` is standard
 * input. A directory holding a kustomization is rendered with `kubectl kustomize` instead
 * (kustomize.ts), also when met during a recursive walk.
 *
 * Every input is read under one size cap (`maxInputBytes`, `--max-input-size`, default 64 MiB):
 * a regular file whose size is known is checked before a synchronous read (the fast path of
 * thousands of small files); anything else (standard input, FIFOs, `<(cmd)`, devices such as
 * /dev/zero, files whose stat says 0 bytes) is streamed asynchronously and abandoned as soon as it
 * passes the cap, so memory stays bounded and signals are still handled during the read.
 *
 * Usage problems throw (a path that does not exist, an input over the cap: `KdError('input')`;
 * kubectl missing: `KdError('environment')`). A kustomization that fails to render, or names a
 * remote base without `allowRemote`, is a diagnostic on its kustomization file and the other
 * inputs are still read. Problems with a file's content are diagnostics and the file is skipped:
 * binary data (a NUL byte), invalid UTF-8 (positioned at the first bad byte). A UTF-8 byte order
 * mark is dropped.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, createReadStream, existsSync, fstatSync, openSync, readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inputError, KdError } from '../errors.js';
import {
  HELM_CHART_FILE,
  KDIGNORE_FILE,
  helmChartHint,
  keepKubernetesDocuments,
  parseIgnorePatterns,
  walkEntry,
  type IgnorePattern,
} from '../manifest/input-rules.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Pause, SourceText } from '../model/manifest.js';
import type { Position } from '../model/source.js';
import { findRemoteReference, KustomizationError, KUSTOMIZATION_FILES, renderKustomization } from './kustomize.js';

export const STDIN_NAME = '<stdin>';
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** How inputs are read, as the commands' flags set it. */
export interface InputOptions {
  /** The most bytes any one input may have (`--max-input-size`). Default 64 MiB. */
  maxInputBytes?: number;
  /** Let kustomize fetch remote bases (`--allow-remote`); refused by default, kd being offline. */
  allowRemote?: boolean;
  /** `--exclude`: patterns (gitignore syntax) of paths left out of folder walks, added to each folder's `.kdignore`. */
  exclude?: readonly IgnorePattern[];
}

/** Standard input as a stream (read under the cap), or its bytes already read; called once. */
export type StdinReader = () => AsyncIterable<Uint8Array | string> | Promise<Buffer>;

export interface ReadInputsOptions extends InputOptions {
  /** Standard input; required when a path is `-`. */
  readStdin?: StdinReader;
  /** The kubectl binary used to render kustomizations. Default `kubectl` (from PATH). */
  kubectl?: string;
  /** Awaited after each file read: the caller's turn to let other work progress (drift's cluster reads). */
  pause?: Pause;
}

/** Where a folder walk started and what it ignores. */
interface Walk {
  root: string;
  patterns: IgnorePattern[];
}

export interface Inputs {
  sources: SourceText[];
  diagnostics: Diagnostic[];
}

export async function readInputs(paths: readonly string[], options: ReadInputsOptions = {}): Promise<Inputs> {
  const out: Inputs = { sources: [], diagnostics: [] };
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      if (!options.readStdin) throw inputError('standard input (-) cannot be read here');
      if (seen.has(STDIN_NAME)) continue;
      seen.add(STDIN_NAME);
      const stdin = options.readStdin();
      addBytes(STDIN_NAME, stdin instanceof Promise ? capped(STDIN_NAME, await stdin, limitOf(options)) : await readCapped(stdin, STDIN_NAME, limitOf(options)), options, out);
      continue;
    }
    let info;
    try {
      info = statSync(p);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw inputError(`${p}: no such file or directory`, 'check the path; give files, folders, or - for standard input');
      throw inputError(`${p}: cannot be read (${code ?? String(error)})`);
    }
    if (info.isDirectory()) await readDirectory(p, options, out, seen, undefined);
    else if (KUSTOMIZATION_FILES.includes(path.basename(p))) await readDirectory(path.dirname(p), options, out, seen, undefined);
    else {
      const reading = readOneFile(p, info, options, out, seen);
      if (reading !== undefined) await reading;
      // A pause that answers nothing is not awaited: no microtask turn per file.
      const turn = options.pause?.();
      if (turn !== undefined) await turn;
    }
  }
  return out;
}

function limitOf(options: InputOptions): number {
  return options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
}

/** `12 MiB` for whole MiB, else bytes. */
export function formatLimit(limit: number): string {
  const mib = limit / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${limit} bytes`;
}

/**
 * A stream over a file that is not a plain sized file. A FIFO (`mkfifo`, `<(cmd)`) is opened
 * non-blocking and read through the event loop: a blocking open or read of a pipe whose writer
 * is silent would hold a thread-pool thread that process exit waits for, so the process could
 * not stop on a signal. Other files (devices such as /dev/zero, /proc files) are read normally.
 */
function openStream(file: string, info: Stats): AsyncIterable<Uint8Array | string> {
  if (!info.isFIFO()) return createReadStream(file);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  // node:net only for a FIFO: most runs read plain files (issue 17).
  const { Socket } = createRequire(import.meta.url)('node:net') as typeof import('node:net');
  return new Socket({ fd, readable: true, writable: false });
}

function tooLargeError(name: string, limit: number) {
  return inputError(`${name}: larger than the input limit of ${formatLimit(limit)}; it was not read`, 'pass a smaller input, or raise the limit with --max-input-size');
}

function capped(name: string, bytes: Buffer, limit: number): Buffer {
  if (bytes.length > limit) throw tooLargeError(name, limit);
  return bytes;
}

/**
 * Reads a stream up to `limit` bytes, then gives up on it (the source is destroyed when it can
 * be): the memory a read can take is the cap, whatever the source, and the read never blocks the
 * event loop.
 */
export async function readCapped(stream: AsyncIterable<Uint8Array | string>, name: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += b.length;
    if (size > limit) {
      (stream as { destroy?: () => void }).destroy?.();
      throw tooLargeError(name, limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

async function kustomizationIn(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  return KUSTOMIZATION_FILES.find((k) => names.includes(k));
}

/** A folder's `.kdignore` patterns, and `--exclude`'s. */
function walkOf(dir: string, options: ReadInputsOptions): Walk {
  let text = '';
  try {
    text = readFileSync(path.join(dir, KDIGNORE_FILE), 'utf8');
  } catch {
    // no .kdignore
  }
  return { root: dir, patterns: [...parseIgnorePatterns(text), ...(options.exclude ?? [])] };
}

/** `walk` is undefined for a folder the user named (it starts a walk), set for one met inside a walk. */
async function readDirectory(dir: string, options: ReadInputsOptions, out: Inputs, seen: Set<string>, walk: Walk | undefined): Promise<void> {
  const named = walk === undefined;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (error) {
    if (named) throw inputError(`${dir}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return;
  }
  if (seen.has(real)) return; // named twice, or a symlink loop
  seen.add(real);
  const kustomization = await kustomizationIn(dir);
  if (kustomization) {
    const file = path.join(dir, kustomization);
    try {
      const remote = options.allowRemote ? undefined : findRemoteReference(dir);
      if (remote)
        throw new KustomizationError(`the kustomization names the remote base ${remote.entry}; kd does not fetch remote bases unless --allow-remote is given`, remote.file, remote.line);
      out.sources.push(await renderKustomization(dir, file, options.kubectl === undefined ? {} : { kubectl: options.kubectl }));
    } catch (error) {
      if (!(error instanceof KustomizationError)) throw error;
      out.diagnostics.push({ severity: 'error', rule: 'input/kustomization', message: error.message, file: error.file, range: { start: { line: error.line, column: 1 }, end: { line: error.line, column: 1 } } });
    }
    return;
  }
  if (existsSync(path.join(dir, HELM_CHART_FILE))) {
    // Templates are not YAML until rendered: reading them gives only syntax errors.
    if (named) throw inputError(`${dir} is a Helm chart (${HELM_CHART_FILE}); kd reads Kubernetes manifests`, helmChartHint(dir));
    out.diagnostics.push(note(path.join(dir, HELM_CHART_FILE), 'input/helm-chart', `a Helm chart: its folder is skipped; ${helmChartHint(dir)}`));
    return;
  }
  const current = walk ?? walkOf(dir, options);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw inputError(`${dir}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // path.join and path.relative per entry were a visible share of a walk of many small files:
  // both are computed once per folder and each entry's paths are concatenated (same strings).
  // A plain name never changes how the folder part normalises: join(dir, 'x') less 'x' is the prefix join(dir, name) has.
  const childPrefix = path.join(dir, 'x').slice(0, -1);
  const folder = path.relative(current.root, dir).split(path.sep).join('/');
  const relativePrefix = folder === '' ? '' : `${folder}/`;
  const realPrefix = path.join(real, 'x').slice(0, -1);
  for (const entry of entries) {
    const name = entry.name;
    if (name.startsWith('.')) continue; // before the stat a link needs
    const child = childPrefix + name;
    // Only links need a stat to know what they point at; plain entries say it themselves.
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const info = statSync(child);
        isDir = info.isDirectory();
        isFile = info.isFile();
      } catch {
        continue; // a dangling symlink: nothing to read
      }
    }
    const relative = relativePrefix + name;
    if (!isDir && !isFile) continue;
    const decision = walkEntry(name, relative, isDir, current.patterns);
    if (decision === 'walk') await readDirectory(child, options, out, seen, current);
    else if (decision === 'read') {
      const before = out.sources.length;
      const reading = readOneFile(child, undefined, options, out, seen, entry.isSymbolicLink() ? undefined : realPrefix + name);
      if (reading !== undefined) await reading;
      const source = out.sources[before];
      if (source) keepOnlyKubernetes(source, out);
      const turn = options.pause?.();
      if (turn !== undefined) await turn;
    }
  }
}

/**
 * Reads one file into `out`. Synchronous for a regular file (undefined returned: nothing to await,
 * the usual case of many small files); a promise only when the file is streamed.
 */
function readOneFile(file: string, known: Stats | undefined, options: ReadInputsOptions, out: Inputs, seen: Set<string>, knownRealPath?: string): Promise<void> | undefined {
  // Files found in a walked folder are not links (checked by the caller), so their real path is
  // their folder's real path plus their name: no syscall needed. Many small files made the
  // per-file realpath, stat and async read the bulk of a validate run; these are synchronous.
  let real = knownRealPath ?? file;
  if (knownRealPath === undefined) {
    try {
      real = realpathSync(file);
    } catch {
      // keep the name as given
    }
  }
  if (seen.has(real)) return undefined;
  seen.add(real);
  const limit = limitOf(options);
  let bytes: Buffer;
  try {
    // A file met in a walk is opened first and its size taken from the open descriptor (one
    // syscall fewer than stat then read). A named path is stat'ed first: a FIFO must not be
    // opened blocking.
    const text = known === undefined && knownRealPath !== undefined ? readSmallText(file, limit) : undefined;
    if (text !== undefined) {
      addText(file, text, out);
      return undefined;
    }
    const info = known ?? statSync(file);
    if (info.isFile() && info.size > limit) throw tooLargeError(file, limit);
    // A regular file with a size is read at once; pipes, devices and files whose size stat does
    // not know (0 bytes: /proc, some FUSE files) are streamed under the cap.
    if (info.isFile() && info.size > 0) bytes = capped(file, readFileSync(file), limit);
    else return readStreamed(file, info, limit, options, out);
  } catch (error) {
    throw readError(file, error);
  }
  addBytes(file, bytes, options, out);
  return undefined;
}

async function readStreamed(file: string, info: Stats, limit: number, options: ReadInputsOptions, out: Inputs): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readCapped(openStream(file, info), file, limit);
  } catch (error) {
    throw readError(file, error);
  }
  addBytes(file, bytes, options, out);
}

function readError(file: string, error: unknown): unknown {
  if (error instanceof KdError) return error;
  return inputError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
}

/**
 * A walked entry that the directory listing called a regular file, as text: open, size from the
 * descriptor (checked against the cap before anything is read), then read and decoded by Node's
 * native UTF-8 reader (one call instead of the reads, buffers and checks of the byte path).
 * Undefined (the caller's byte path reads it) when it is not a regular file any more, is empty by
 * its size (a /proc-like file: streamed), changed size since the size was taken, or may not be
 * clean UTF-8 text: the decoder turns a bad byte into U+FFFD and keeps a NUL, and only the byte
 * path can tell a bad byte from a written U+FFFD and position the diagnostic.
 */
function readSmallText(file: string, limit: number): string | undefined {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  let size: number;
  let text: string;
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size === 0) return undefined;
    if (info.size > limit) throw tooLargeError(file, limit);
    size = info.size;
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  if (text.indexOf('\0') >= 0 || text.indexOf('\ufffd') >= 0 || Buffer.byteLength(text, 'utf8') !== size) return undefined;
  return text;
}

/**
 * One file as a walk of the folder `root` meets it, for `apply --watch`, which reads a saved
 * file again alone and must judge it as the first walk did: undefined when the walk would not
 * read it (a hidden, dependency, build or ignored folder on the way, `.kdignore`/`--exclude`, a
 * Helm chart, not a manifest file name); else its source, with the documents that are not
 * Kubernetes objects left out (a note says so). Kustomization folders are the caller's: their
 * files are rendered as a whole.
 */
export async function readWalkedFile(file: string, root: string, options: ReadInputsOptions = {}): Promise<Inputs | undefined> {
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) return undefined;
  const walk = walkOf(root, options);
  const parts = relative.split('/');
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    if (existsSync(path.join(dir, HELM_CHART_FILE))) return undefined;
    const isDir = i < parts.length - 1;
    if (walkEntry(parts[i]!, parts.slice(0, i + 1).join('/'), isDir, walk.patterns) !== (isDir ? 'walk' : 'read')) return undefined;
    dir = path.join(dir, parts[i]!);
  }
  const out: Inputs = { sources: [], diagnostics: [] };
  const reading = readOneFile(file, undefined, options, out, new Set());
  if (reading !== undefined) await reading;
  const source = out.sources[0];
  if (source) keepOnlyKubernetes(source, out);
  return out;
}

/** A file found in a walk: its documents that are not Kubernetes objects (compose, CI, package.json) are left out, with a note. */
function keepOnlyKubernetes(source: SourceText, out: Inputs): void {
  const kept = keepKubernetesDocuments(source.text);
  if (kept.skipped === 0) return;
  source.text = kept.text;
  const what = kept.skipped === 1 ? 'a document that is not a Kubernetes object' : `${kept.skipped} documents that are not Kubernetes objects`;
  out.diagnostics.push(note(source.path, 'input/not-kubernetes', `${what} (no apiVersion or kind): skipped; name the file to have it checked`));
}

function note(file: string, rule: string, message: string): Diagnostic {
  return { severity: 'info', rule, message, file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } };
}

/** Checks and decodes one file's bytes; adds a source, or a diagnostic when it is not UTF-8 text. */
export function addBytes(file: string, bytes: Uint8Array, options: InputOptions, out: Inputs): void {
  if (bytes.length > limitOf(options)) throw tooLargeError(file, limitOf(options));
  const nul = bytes.indexOf(0);
  // isUtf8 is native and agrees with firstInvalidUtf8 (test/manifest/inputs.test.ts): the JS
  // scan runs only to position the diagnostic of a file that is not UTF-8.
  const valid = nul < 0 && isUtf8(bytes);
  const bad = nul >= 0 ? nul : valid ? -1 : firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const at = positionOfByte(bytes, bad);
    out.diagnostics.push({
      severity: 'error',
      rule: nul >= 0 ? 'input/binary' : 'input/encoding',
      message: nul >= 0 ? 'the file is binary (it contains a NUL byte), not YAML or JSON; it was skipped' : `the file is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad}); it was skipped`,
      file,
      range: { start: at, end: { line: at.line, column: at.column + 1 } },
    });
    return;
  }
  // Valid UTF-8 decodes the same either way; Buffer's decoder is the faster for mostly ASCII text.
  addText(file, valid ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : new TextDecoder('utf-8').decode(bytes), out);
}

/** Adds a file's decoded text (valid UTF-8, no NUL), its byte order mark dropped. */
function addText(file: string, decoded: string, out: Inputs): void {
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  out.sources.push({ path: file, text });
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) (need = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (UTF-16 units, as everywhere) of a byte offset in valid-so-far UTF-8. */
function positionOfByte(bytes: Uint8Array, offset: number): Position {
  let lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  if (offset === 0) lineStart = 0;
  const line = bytes.subarray(0, lineStart).reduce((count, b) => (b === 0x0a ? count + 1 : count), 1);
  let prefix = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  if (lineStart === 0 && prefix.charCodeAt(0) === 0xfeff) prefix = prefix.slice(1);
  return { line, column: prefix.length + 1 };
}
