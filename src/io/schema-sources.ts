/**
 * Picks the schema sources for a run: `--schema-dir` (or `KD_SCHEMA_DIR`), narrowed to
 * `v<version>/` when `--kubernetes-version` is given and the folder holds one folder per version;
 * otherwise the built-in bundle generated at build time. A version the bundle does not have is
 * an environment error that says where to get schemas, never a silent fallback.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentError, usageError } from '../errors.js';
import type { SchemaSource } from '../schema/types.js';
import { SchemaDirSource } from './schema-dir-source.js';

export interface SchemaSourceRequest {
  schemaDir?: string;
  kubernetesVersion?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface BundleInfo {
  kubernetesVersion: string;
  source?: { package?: string; version?: string };
  /** The folder (inside the bundle) of the validation-only documents, when the build wrote them. */
  lean?: string;
  /** Inside `lean`: the per-kind documents' folder, when the build wrote them. */
  kinds?: string;
  groupVersions?: string[];
}

/** The package root: the nearest folder above this module with kubectl-kd's package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubectl-kd') return dir;
      } catch {
        // keep looking upwards
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw environmentError('cannot find the kubectl-kd installation folder (package.json)', 'reinstall kubectl-kd');
    dir = up;
  }
}

export function bundleDir(): string {
  return path.join(packageRoot(), 'schemas', 'kubernetes');
}

function normaliseVersion(v: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  if (!m) throw usageError(`--kubernetes-version "${v}" is not a version`, 'use a version such as 1.35 or v1.35');
  return `${m[1]}.${m[2]}`;
}

/**
 * The built-in bundle. `forValidation`: its validation-only documents (REST paths reduced to what
 * the registry reads, `scripts/gen-bundle.mjs`), a fraction of the bytes to parse, and its
 * per-kind documents (a kind's schema closure, no descriptions); kd sim needs the whole
 * documents, which kubectl reads from it.
 */
export function builtInSource(options: { forValidation?: boolean } = {}): SchemaSource {
  const dir = bundleDir();
  let info: BundleInfo;
  try {
    info = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8')) as BundleInfo;
  } catch {
    throw environmentError('the built-in Kubernetes schemas are missing (schemas/kubernetes)', 'run `npm run build` in the kubectl-kd folder, or pass --schema-dir');
  }
  const lean = options.forValidation && typeof info.lean === 'string';
  const docs = lean ? path.join(dir, info.lean!) : dir;
  const listing = Array.isArray(info.groupVersions) && info.groupVersions.every((g) => typeof g === 'string') ? { groupVersions: info.groupVersions } : {};
  const kinds = lean && typeof info.kinds === 'string' ? { kindsDir: path.join(docs, info.kinds) } : {};
  return new SchemaDirSource(docs, { description: `built-in schemas (Kubernetes ${info.kubernetesVersion})`, kubernetesVersion: info.kubernetesVersion, ...listing, ...kinds });
}

export function resolveSchemaSources(request: SchemaSourceRequest): SchemaSource[] {
  const version = request.kubernetesVersion === undefined ? undefined : normaliseVersion(request.kubernetesVersion);
  const dirOption = request.schemaDir ?? (request.env.KD_SCHEMA_DIR || undefined);
  if (dirOption !== undefined) {
    const dir = path.resolve(request.cwd, dirOption);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw usageError(`schema directory ${dirOption} does not exist`, 'point --schema-dir (or KD_SCHEMA_DIR) at a folder holding api/v1.json and apis/<group>/<version>.json');
    if (version !== undefined) {
      for (const candidate of [`v${version}`, version]) {
        const sub = path.join(dir, candidate);
        if (existsSync(sub) && statSync(sub).isDirectory()) return [new SchemaDirSource(sub, { kubernetesVersion: version })];
      }
      if (!existsSync(path.join(dir, 'api'))) throw usageError(`schema directory ${dirOption} has no folder for Kubernetes ${version} (looked for v${version}/)`);
    }
    return [new SchemaDirSource(dir, version === undefined ? {} : { kubernetesVersion: version })];
  }
  const builtIn = builtInSource({ forValidation: true });
  if (version !== undefined && builtIn.kubernetesVersion !== version)
    throw usageError(
      `the built-in schemas are for Kubernetes ${builtIn.kubernetesVersion}, not ${version}`,
      `pass --schema-dir with the OpenAPI v3 documents of Kubernetes ${version} (as a cluster serves them at /openapi/v3), or drop --kubernetes-version`,
    );
  return [builtIn];
}
