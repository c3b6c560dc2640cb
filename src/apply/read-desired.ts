/**
 * From the paths the user gave to the objects to apply: read the inputs (files, folders,
 * kustomizations, stdin), load the manifests, and validate them against the schemas, with
 * namespaces defaulted (`-n`, else the context's). Problems are diagnostics; the executor stops
 * on errors before it touches the cluster, so a typo never half-applies a release.
 */
import { readInputs } from '../io/inputs.js';
import { resolveSchemaSources } from '../io/schema-sources.js';
import { loadManifests } from '../manifest/index.js';
import type { Diagnostic, Manifest } from '../model/index.js';
import { SchemaRegistry } from '../schema/index.js';
import { validateManifests } from '../validate/index.js';
import type { SchemaSource } from '../schema/types.js';

export interface ReadDesiredRequest {
  paths: string[];
  readStdin?: () => Promise<Buffer>;
  defaultNamespace: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Schemas to validate with; the built-in bundle (or `--schema-dir`) by default. */
  schemaSources?: SchemaSource[];
  schemaDir?: string;
}

export interface DesiredObjects {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
  files: number;
}

export async function readDesired(request: ReadDesiredRequest): Promise<DesiredObjects> {
  const inputs = await readInputs(request.paths, request.readStdin ? { readStdin: request.readStdin } : {});
  const loaded = loadManifests(inputs.sources);
  const sources =
    request.schemaSources ?? resolveSchemaSources({ env: request.env, cwd: request.cwd, ...(request.schemaDir === undefined ? {} : { schemaDir: request.schemaDir }) });
  const registry = new SchemaRegistry(sources);
  const validated = await validateManifests(loaded.manifests, registry, { strict: true, defaultNamespace: request.defaultNamespace });
  return {
    manifests: validated.manifests,
    diagnostics: [...inputs.diagnostics, ...loaded.diagnostics, ...validated.diagnostics],
    files: inputs.sources.length,
  };
}
