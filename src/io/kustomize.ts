/**
 * Renders a kustomization with `kubectl kustomize` and maps each rendered object back to the file
 * it came from, so that diagnostics point into the user's files rather than into rendered text.
 *
 * The mapping uses kustomize's own origin annotations: the user's kustomization is wrapped in a
 * temporary one (`resources: [<relative path to it>]`, `buildMetadata: [originAnnotations]`),
 * which renders the same objects plus a `config.kubernetes.io/origin` annotation naming each
 * object's source file; the annotation is then removed again. Within the source file the object's
 * document is found by kind and name (names may carry a prefix or suffix added by kustomize).
 * Objects made by generators (configMapGenerator, ...) or fetched from remote bases have no local
 * file: they are reported against the kustomization file. If the user's kustomization asks for
 * origin annotations itself, it is rendered directly and the annotations are kept.
 *
 * kd is offline unless told otherwise: `findRemoteReference` walks the kustomization and its
 * local bases for remote ones (URLs, `git@`, `github.com/...` shorthands) before kustomize would
 * fetch them; they are refused unless remote bases are allowed (`--allow-remote`). A kustomization
 * that cannot be rendered is a `KustomizationError`, which the reader turns into a diagnostic.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { RenderedOrigin, SourceText } from '../model/manifest.js';
import { loadManifests, yamlLibrary } from '../manifest/index.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A kustomization that cannot be rendered (refused remote base, kustomize's own failure), at a line of `file`. */
export class KustomizationError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number = 1,
  ) {
    super(message);
  }
}

/** The fields whose entries kustomize loads as files, folders or remote targets. */
const REFERENCE_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'];

/**
 * kustomize's remote forms: a URL scheme (https, http, ssh, git, file, ...), `git::`, scp-like
 * `user@host:path`, and a host name followed by a path (`github.com/org/repo//dir?ref=v1`) that is
 * not a local path. kustomize tries the local path first, so an existing file or folder is local.
 */
function isRemote(entry: string, dir: string): boolean {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(entry) || entry.startsWith('git::') || /^[\w.-]+@[\w.-]+:/.test(entry)) return true;
  if (existsSync(path.resolve(dir, entry))) return false;
  return /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+(:\d+)?\//.test(entry);
}

export interface RemoteReference {
  /** The entry as written. */
  entry: string;
  /** The kustomization file that names it, and the line. */
  file: string;
  line: number;
}

/** The first remote base of the kustomization in `dir` or of its local bases, if any. */
export function findRemoteReference(dir: string, seen: Set<string> = new Set()): RemoteReference | undefined {
  const abs = path.resolve(dir);
  if (seen.has(abs)) return undefined;
  seen.add(abs);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return undefined;
  }
  const name = KUSTOMIZATION_FILES.find((k) => names.includes(k));
  if (!name) return undefined;
  const file = path.join(dir, name);
  let text: string;
  let doc: unknown;
  try {
    text = readFileSync(file, 'utf8');
    doc = yamlLibrary().parse(text);
  } catch {
    return undefined; // kustomize reports a broken kustomization itself
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  for (const field of REFERENCE_FIELDS) {
    const list = (doc as Record<string, unknown>)[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'string') continue;
      if (isRemote(entry, abs)) {
        const index = text.split('\n').findIndex((l) => l.includes(entry));
        return { entry, file, line: index >= 0 ? index + 1 : 1 };
      }
      const local = path.join(dir, entry);
      let isDir = false;
      try {
        isDir = statSync(local).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        const found = findRemoteReference(local, seen);
        if (found) return found;
      }
    }
  }
  return undefined;
}
const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// node:child_process (with net and dgram behind it) is loaded only when a kustomization is
// rendered: every `validate` reaches this module, few render one.
async function run(command: string, args: string[]): Promise<RunResult> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(error);
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Renders the kustomization in `dir` (as the user named it); `file` is its kustomization file. */
export async function renderKustomization(dir: string, file: string, options: { kubectl?: string } = {}): Promise<SourceText> {
  // node:fs/promises (with readline and the fs watchers behind it) only when one is rendered.
  const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const kubectl = options.kubectl ?? 'kubectl';
  const absDir = path.resolve(dir);
  const kustomizationText = await readFile(path.join(absDir, path.basename(file)), 'utf8');
  const userAsksForOrigins = /originAnnotations/.test(kustomizationText);

  const kustomize = async (target: string): Promise<RunResult> => {
    try {
      return await run(kubectl, ['kustomize', target]);
    } catch (error) {
      throw environmentError(
        `kubectl was not found (as "${kubectl}"); it is needed to render the kustomization in ${dir}`,
        'install kubectl (it includes kustomize), or render the kustomization yourself and pass the output with -f -',
      );
    }
  };
  const failed = (result: RunResult) => new KustomizationError(`kustomize failed for ${dir}: ${result.stderr.trim() || `exit code ${result.code}`}`, file);

  let rendered: RunResult | undefined;
  let originsBase = absDir;
  let stripOrigins = false;
  if (!userAsksForOrigins) {
    const wrapper = await mkdtemp(path.join(os.tmpdir(), 'kd-kustomize-'));
    try {
      const relative = path.relative(wrapper, absDir);
      if (!path.isAbsolute(relative)) {
        await writeFile(
          path.join(wrapper, 'kustomization.yaml'),
          `resources:\n  - ${JSON.stringify(relative.split(path.sep).join('/'))}\nbuildMetadata: [originAnnotations]\n`,
        );
        const result = await kustomize(wrapper);
        if (result.code === 0) {
          rendered = result;
          originsBase = wrapper;
          stripOrigins = true;
        }
      }
    } finally {
      await rm(wrapper, { recursive: true, force: true });
    }
  }
  // Direct rendering: when the user wants the annotations, when wrapping was impossible, and to
  // report a failure with kustomize's own message about the user's paths.
  if (!rendered) {
    const result = await kustomize(dir);
    if (result.code !== 0) throw failed(result);
    rendered = result;
  }

  const { isMap, parseAllDocuments } = yamlLibrary();
  const documents = parseAllDocuments(rendered.stdout);
  const docs = Array.isArray(documents) ? documents : [];
  const originTexts = new Map<string, Promise<string | undefined>>();
  const origins: Array<RenderedOrigin | undefined> = [];
  const texts: string[] = [];
  for (const doc of docs) {
    if (doc.contents === null) continue;
    const annotation = doc.getIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
    let origin: RenderedOrigin | undefined;
    if (typeof annotation === 'string') {
      origin = await resolveOrigin(annotation, doc.toJS() as Record<string, unknown>, { dir, absDir, originsBase, originTexts });
      if (stripOrigins) {
        doc.deleteIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
        const annotations = doc.getIn(['metadata', 'annotations']);
        if (isMap(annotations) && annotations.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
      }
    }
    origins.push(origin);
    // Documents are joined below; their own `---` marker would add an empty document each.
    const docText = doc.toString({ lineWidth: 0 });
    texts.push(docText.startsWith('---\n') ? docText.slice(4) : docText);
  }
  return { path: file, text: texts.join('---\n'), rendered: { kustomization: file, origins } };
}

async function resolveOrigin(
  annotation: string,
  object: Record<string, unknown>,
  ctx: { dir: string; absDir: string; originsBase: string; originTexts: Map<string, Promise<string | undefined>> },
): Promise<RenderedOrigin | undefined> {
  let parsed: unknown;
  try {
    parsed = yamlLibrary().parse(annotation);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const info = parsed as { path?: unknown; repo?: unknown; configuredIn?: unknown };
  const local = (p: string) => {
    const abs = path.resolve(ctx.originsBase, p);
    return { abs, named: path.join(ctx.dir, path.relative(ctx.absDir, abs)) };
  };
  if (typeof info.repo === 'string') return { path: `${info.repo}${typeof info.path === 'string' ? `//${info.path}` : ''}` };
  if (typeof info.path !== 'string') {
    return typeof info.configuredIn === 'string' ? { path: local(info.configuredIn).named } : undefined;
  }
  const { abs, named } = local(info.path);
  let text = ctx.originTexts.get(abs);
  if (!text) {
    text = import('node:fs/promises').then(({ readFile }) => readFile(abs, 'utf8')).then(
      (t) => t,
      () => undefined,
    );
    ctx.originTexts.set(abs, text);
  }
  const sourceText = await text;
  if (sourceText === undefined) return { path: named };
  const documentIndex = findDocument(sourceText, named, object);
  return documentIndex === undefined ? { path: named } : { path: named, text: sourceText, documentIndex };
}

/** The document in a source file that a rendered object came from: same group and kind, and the
 *  original name is the rendered one or inside it (kustomize adds prefixes and suffixes). */
function findDocument(text: string, file: string, object: Record<string, unknown>): number | undefined {
  const { manifests } = loadManifests([{ path: file, text }]);
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const metadata = object.metadata as { name?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  let best: { index: number; score: number } | undefined;
  const sameKind = manifests.filter((m) => m.listIndex === undefined && m.ref.kind === object.kind && m.ref.group === group);
  // A patch may have renamed it; with one candidate of that kind there is no doubt.
  if (sameKind.length === 1) return sameKind[0]!.documentIndex;
  for (const m of sameKind) {
    const original = m.ref.name || m.ref.generateName || '';
    const score = original === name ? Infinity : original !== '' && name.includes(original) ? original.length : -1;
    if (score >= 0 && (!best || score > best.score)) best = { index: m.documentIndex, score };
  }
  return best?.index;
}
