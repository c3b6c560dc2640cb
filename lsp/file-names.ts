/**
 * File names on Node for the workspace session: `file:` URIs to paths and back, and paths
 * relative to a workspace folder (what diagnostics name, as the CLI run in that folder would).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileNames } from './service/session.js';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const nodeFileNames: FileNames = {
  toPath: uriToPath,
  toUri: (file) => pathToFileURL(file).href,
  relative(folder, file) {
    const rel = path.relative(folder, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  },
  resolve: (base, file) => (path.isAbsolute(file) ? file : path.resolve(base ?? process.cwd(), file)),
};
