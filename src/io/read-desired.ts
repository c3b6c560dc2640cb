/**
 * From the paths the user gave to the objects to apply: read the inputs (files, folders,
 * kustomizations, stdin), load the manifests, and validate them against the schemas, with
 * namespaces defaulted (`-n`, else the context's). Problems are diagnostics; the executor stops
 * on errors before it touches the cluster, so a typo never half-applies a release.
 */
import { readAndValidate } from './validate-files.js';
import { resolveSchemaSources } from './schema-sources.js';
import type { InputOptions, StdinReader } from './inputs.js';
import type { Diagnostic, Manifest, Pause } from '../model/index.js';
import { SchemaRegistry } from '../schema/index.js';
import type { SchemaSource } from '../schema/types.js';

export interface ReadDesiredRequest {
  paths: string[];
  readStdin?: StdinReader;
  /** The input size cap and remote kustomize bases (`--max-input-size`, `--allow-remote`). */
  input?: InputOptions;
  defaultNamespace: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Schemas to validate with; the built-in bundle (or `--schema-dir`) by default. */
  schemaSources?: SchemaSource[];
  schemaDir?: string;
  /** Awaited between files and documents (drift's cluster reads progress there; see Pause). */
  pause?: Pause;
}

export interface DesiredObjects {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
  files: number;
}

export async function readDesired(request: ReadDesiredRequest): Promise<DesiredObjects> {
  const sources =
    request.schemaSources ?? resolveSchemaSources({ env: request.env, cwd: request.cwd, ...(request.schemaDir === undefined ? {} : { schemaDir: request.schemaDir }) });
  return readAndValidate({
    paths: request.paths,
    ...(request.readStdin ? { readStdin: request.readStdin } : {}),
    ...(request.input ? { input: request.input } : {}),
    registry: new SchemaRegistry(sources),
    strict: true,
    defaultNamespace: request.defaultNamespace,
    ...(request.pause ? { pause: request.pause } : {}),
  });
}
