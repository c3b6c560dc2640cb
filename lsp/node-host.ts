/**
 * The server's I/O on Node: schema sources chosen as `kubectl kd validate` chooses them (the
 * schemaDir setting or `KD_SCHEMA_DIR`, else the built-in bundle), the default namespace from the
 * kubeconfig (as the CLI defaults it), reading files, and listing the YAML/JSON files of a workspace
 * by the rule `kubectl kd validate` walks folders with (src/manifest/input-rules.ts: no hidden,
 * dependency or build folders, no Helm charts, `.kdignore`). It gives up on huge trees, so a
 * server opened on a home directory stays responsive.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  HELM_CHART_FILE,
  KDIGNORE_FILE,
  parseIgnorePatterns,
  walkEntry,
  computeHealth, contextNamespace, formatHealth, openConnection, resolveSchemaSources, type Connection, type ObjectRef, type SchemaSource } from '../src/index.js';
import type { ServerHost } from './server.js';
import type { KdLspSettings } from './service/settings.js';

const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface NodeHostOptions {
  version: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  log?: (message: string) => void;
}

export function nodeHost(options: NodeHostOptions): ServerHost {
  // One connection per context, made on the first hover that needs it, resolved as the CLI's
  // cluster commands resolve a context (src/session/connection.ts).
  const connections = new Map<string, Promise<Connection>>();
  const chartDirs = new Map<string, boolean>();
  const inChart = (dir: string): boolean => {
    const known = chartDirs.get(dir);
    if (known !== undefined) return known;
    const parent = path.dirname(dir);
    const answer = existsSync(path.join(dir, HELM_CHART_FILE)) || (parent !== dir && inChart(parent));
    chartDirs.set(dir, answer);
    return answer;
  };
  const host: ServerHost = {
    inHelmChart: (file: string) => inChart(path.dirname(path.resolve(file))),
    async liveHealth(settings: KdLspSettings, object: ObjectRef, signal: AbortSignal): Promise<string> {
      const context = settings.context!;
      let connection = connections.get(context);
      if (!connection) {
        connection = openConnection({ sim: false, env: options.env, context });
        connections.set(context, connection);
        connection.catch(() => connections.delete(context));
      }
      const { client } = await connection;
      const target = { group: object.group, version: object.version, kind: object.kind, name: object.name, ...(object.namespace ? { namespace: object.namespace } : {}) };
      const live = await client.get(target, { signal });
      return formatHealth(computeHealth(live));
    },
    version: options.version,
    schemaSources(settings: KdLspSettings): SchemaSource[] {
      // Throws (with a hint) when the folder or version is wrong; the server logs it.
      const request: Parameters<typeof resolveSchemaSources>[0] = { env: options.env, cwd: options.cwd };
      if (settings.schemaDir !== undefined) request.schemaDir = settings.schemaDir;
      if (settings.kubernetesVersion !== undefined) request.kubernetesVersion = settings.kubernetesVersion;
      return resolveSchemaSources(request);
    },
    defaultNamespace(settings: KdLspSettings): string {
      return contextNamespace(settings.context === undefined ? { env: options.env } : { env: options.env, context: settings.context }) ?? 'default';
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
      const root = fileOrDir;
      const patterns = parseIgnorePatterns(await readFile(path.join(root, KDIGNORE_FILE), 'utf8').catch(() => ''));
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          return;
        }
        // A Helm chart's templates are not YAML until rendered (the CLI skips them too).
        if (entries.some((e) => e.isFile() && e.name === HELM_CHART_FILE)) return;
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (out.length >= MAX_FILES) return;
          const child = path.join(dir, e.name);
          const relative = path.relative(root, child).split(path.sep).join('/');
          if (!e.isDirectory() && !e.isFile()) continue;
          const decision = walkEntry(e.name, relative, e.isDirectory(), patterns);
          if (decision === 'walk') await walk(child);
          else if (decision === 'read') out.push(child);
        }
      };
      await walk(fileOrDir);
      return out;
    },
  };
  if (options.log) host.log = options.log;
  return host;
}
