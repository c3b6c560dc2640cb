/**
 * The server's I/O on Node: schema directories (the setting, `KD_SCHEMA_DIR`, else the built-in
 * bundle shipped in the package), reading files, and listing the YAML/JSON files of a workspace.
 * The workspace scan skips VCS, dependency and build folders and gives up on huge trees, so a
 * server opened on a home directory stays responsive.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaDirSource, type SchemaSource } from '../src/index.js';
import type { ServerHost } from './server.js';
import type { KdLspSettings } from './settings.js';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', 'dist', 'build', 'target', '.terraform']);
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The package root: dist/kd-lsp.js and lsp/node-host.ts are both one level below it. */
function packageRoot(): string {
  return path.dirname(path.dirname(fileURLToPath(import.meta.url)));
}

export interface NodeHostOptions {
  version: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  log?: (message: string) => void;
  /** The built-in bundle's folder; default `<package>/schemas/kubernetes`. */
  bundleDir?: string;
}

export function nodeHost(options: NodeHostOptions): ServerHost {
  const host: ServerHost = {
    version: options.version,
    schemaSources(settings: KdLspSettings): SchemaSource[] {
      const dir = settings.schemaDir ?? options.env.KD_SCHEMA_DIR;
      if (dir !== undefined && dir !== '') {
        const abs = path.resolve(options.cwd, dir);
        return [new SchemaDirSource(abs, settings.kubernetesVersion === undefined ? {} : { kubernetesVersion: settings.kubernetesVersion })];
      }
      const bundle = options.bundleDir ?? path.join(packageRoot(), 'schemas', 'kubernetes');
      if (!existsSync(bundle)) {
        options.log?.(`kd-lsp: no built-in schema bundle at ${bundle}; set schemaDir (run \`npm run build\` in a checkout)`);
        return [];
      }
      return [new SchemaDirSource(bundle, { description: 'built-in bundle' })];
    },
    async readFile(file: string): Promise<string | undefined> {
      try {
        const s = await stat(file);
        if (!s.isFile() || s.size > MAX_FILE_BYTES) return undefined;
        const text = await readFile(file, 'utf8');
        return text.includes('\u0000') ? undefined : text;
      } catch {
        return undefined;
      }
    },
    async listManifestFiles(fileOrDir: string): Promise<string[]> {
      const s = await stat(fileOrDir);
      if (s.isFile()) return [fileOrDir];
      const out: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (out.length >= MAX_FILES) return;
          if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(path.join(dir, e.name));
          } else if (e.isFile() && MANIFEST_FILE.test(e.name)) out.push(path.join(dir, e.name));
        }
      };
      await walk(fileOrDir);
      return out;
    },
  };
  if (options.log) host.log = options.log;
  return host;
}
