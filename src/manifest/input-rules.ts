/**
 * Which files and documents are Kubernetes manifests: the one rule that `validate`, `apply`,
 * `drift`, `apply --watch` (through src/io/inputs.ts) and kd-lsp's workspace scan share, so the
 * editor and the command line always judge the same tree the same way.
 *
 * - Folders: walked recursively, except hidden ones and dependency or build output
 *   (`node_modules`, `vendor`, `dist`, `build`, `target`), and Helm charts (a folder holding
 *   `Chart.yaml`: its templates are not YAML until `helm template` renders them). A folder named
 *   on the command line is always read.
 * - Files: `.yaml`, `.yml`, `.json`.
 * - Documents met in a folder walk: only those that look like Kubernetes objects (a top-level
 *   `apiVersion` or `kind`); a compose file, a CI workflow or package.json are skipped with a note.
 *   A file named on the command line is read whole: its mistakes are reported.
 * - `.kdignore` (in a walked folder's root) and `--exclude`: gitignore-style patterns.
 * - `--skip KIND,...`: kinds (or group/version/kind) left out after loading, as kubeconform's -skip.
 * Pure: callers do the reading.
 */
import { splitDocuments, type DocumentSlice } from './split-documents.js';

export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'vendor', 'dist', 'build', 'target']);
export const HELM_CHART_FILE = 'Chart.yaml';
export const KDIGNORE_FILE = '.kdignore';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** A folder met while walking that is not read (a named folder is always read). */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

export function isManifestFileName(name: string): boolean {
  return MANIFEST_FILE.test(name);
}

/**
 * What a folder walk does with one entry below its root: `walk` into a folder, `read` a file,
 * or `skip` it. `relative` is the entry's path from the walked root, `/`-separated; `patterns`
 * are the root's `.kdignore` and `--exclude`. The CLI's walk (src/io/inputs.ts), the re-read of
 * one saved file under `apply --watch` and kd-lsp's workspace scan all decide here. (Helm charts
 * and kustomizations are folders the caller looks into: their files say what they are.)
 */
export function walkEntry(name: string, relative: string, isDir: boolean, patterns: readonly IgnorePattern[]): 'walk' | 'read' | 'skip' {
  if (name.startsWith('.')) return 'skip';
  if (isDir) return SKIPPED_FOLDERS.has(name) || matchesIgnorePatterns(relative, true, patterns) ? 'skip' : 'walk';
  return isManifestFileName(name) && !matchesIgnorePatterns(relative, false, patterns) ? 'read' : 'skip';
}

/** The hint for a Helm chart: kd reads rendered manifests. */
export function helmChartHint(dir: string): string {
  return `render it first: helm template ${dir} | kubectl kd validate -`;
}

const TOP_API_VERSION_OR_KIND = /^(?:apiVersion|kind|"apiVersion"|"kind"|'apiVersion'|'kind')[ \t]*:/m;

/** Kubernetes objects have a top-level apiVersion or kind; compose files and CI workflows have neither. */
export function looksLikeKubernetes(text: string): boolean {
  if (TOP_API_VERSION_OR_KIND.test(text)) return true;
  const t = text.replace(/^---[^\n]*\n/, '').trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && /"(?:apiVersion|kind)"\s*:/.test(t);
}

const DOCUMENT_MARKER_LINE = /^(?:---|\.\.\.)/m;

/**
 * The text with the documents that do not look like Kubernetes objects blanked (their lines kept
 * empty, so positions in the rest are unchanged), and how many were.
 */
export function keepKubernetesDocuments(text: string): { text: string; skipped: number } {
  // Without a document marker the file is one document (the loader splits it again anyway).
  if (!DOCUMENT_MARKER_LINE.test(text) && looksLikeKubernetes(text)) return { text, skipped: 0 };
  const slices = splitDocuments(text).filter((s: DocumentSlice) => !s.empty && !looksLikeKubernetes(text.slice(s.start, s.end)));
  if (slices.length === 0) return { text, skipped: 0 };
  let out = '';
  let at = 0;
  for (const s of slices) {
    out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, '');
    at = s.end;
  }
  return { text: out + text.slice(at), skipped: slices.length };
}

/** One gitignore-style pattern: `*`, `**`, `?`, `[...]`, a leading `/` anchors, a trailing `/` matches folders only, `!` re-includes. */
export interface IgnorePattern {
  source: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

export function parseIgnorePatterns(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    // A pattern with a slash (other than at its end) is relative to the root; else it matches at any depth.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegex(line);
    out.push({ source: raw, negate, dirOnly, regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}(?:/.*)?$`) });
  }
  return out;
}

function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` any folders (or none), `/**` everything below, `**` alone anything.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += glob[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

/**
 * Whether a path (relative to the walked root, `/`-separated) is ignored: the last matching
 * pattern decides, as in git. Patterns ending in `/` match folders (and so what is below them).
 */
export function matchesIgnorePatterns(relative: string, isDir: boolean, patterns: readonly IgnorePattern[]): boolean {
  if (patterns.length === 0) return false; // most walks: no .kdignore, no --exclude
  const p = relative.replace(/\\/g, '/').replace(/^\.\//, '');
  let ignored = false;
  for (const pattern of patterns) {
    if (pattern.negate === !ignored) continue;
    const m = pattern.regex.exec(p);
    if (!m) continue;
    // A folder-only pattern matches a file only through a folder above it.
    if (pattern.dirOnly && !isDir && !pattern.regex.test(p.slice(0, Math.max(0, p.lastIndexOf('/'))))) continue;
    ignored = !pattern.negate;
  }
  return ignored;
}

/** `--skip Secret,networking.k8s.io/v1/NetworkPolicy`: kinds, or group/version/kind (core: v1/Kind). */
export function parseSkipKinds(values: readonly string[]): { skip: string[] } | { problem: string } {
  const skip: string[] = [];
  for (const v of values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    if (!/^(?:[a-z0-9.-]+\/)?(?:v[0-9][a-z0-9]*\/)?[A-Za-z][A-Za-z0-9]*$/.test(v)) return { problem: `--skip "${v}" is not a kind: give Kind or group/version/Kind, e.g. Secret or networking.k8s.io/v1/NetworkPolicy` };
    skip.push(v);
  }
  return { skip };
}

export function isSkippedKind(ref: { group: string; version: string; kind: string }, skip: readonly string[]): boolean {
  const gvk = `${ref.group === '' ? '' : `${ref.group}/`}${ref.version}/${ref.kind}`;
  return skip.some((s) => s === ref.kind || s === gvk);
}
