/**
 * The validate command's pipeline from paths to diagnostics: read inputs (files, folders,
 * stdin, kustomizations), load manifests, pick schema sources, and run the pure validation
 * pipeline; cross-object rules (duplicates) run over the whole set.
 */
import path from 'node:path';
import { isSkippedKind, loadManifests, parseIgnorePatterns, type IgnorePattern } from '../manifest/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { LoadResult, Manifest, Pause, SourceText } from '../model/manifest.js';
import { SchemaRegistry, type SchemaSource } from '../schema/index.js';
import { validateManifests } from '../validate/index.js';
import { readInputs, type InputOptions, type StdinReader } from './inputs.js';
import { contextNamespace } from './kubeconfig-namespace.js';
import { resolveSchemaSources } from './schema-sources.js';

export interface ValidateFilesRequest {
  paths: string[];
  readStdin?: StdinReader;
  /** The input size cap and remote kustomize bases (`--max-input-size`, `--allow-remote`). */
  input?: InputOptions;
  strict: boolean;
  crdPaths: string[];
  schemaDir?: string;
  kubernetesVersion?: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
  /** `--cluster`: schemas and CRDs from the kubeconfig's cluster instead of offline ones. */
  cluster?: boolean;
  /** With `cluster`: the cluster is an in-process kd sim (`--sim`). Offline validation already uses the schemas kd sim serves. */
  sim?: boolean;
  /** `--skip`: kinds (or group/version/Kind) left out. */
  skipKinds?: readonly string[];
  /** `--exclude`: gitignore-style patterns left out of folder walks. */
  exclude?: readonly string[];
}

export interface ValidateFilesResult {
  diagnostics: Diagnostic[];
  files: number;
  objects: number;
  schemas: string;
}

/** Schemas, CRDs and default namespace from a live cluster, for `validate --cluster`. */
async function clusterSchemas(request: ValidateFilesRequest): Promise<{ registry: SchemaRegistry; sources: SchemaSource[]; namespace: string; close(): Promise<void> }> {
  // Loaded only here: offline validation never pays for the Kubernetes client. The target is
  // resolved as every cluster command resolves it (src/session/connection.ts), `--sim` included.
  const [{ openConnection }, { listCustomResourceDefinitions }] = await Promise.all([import('../session/connection.js'), import('../cluster/schema-source.js')]);
  const connection = await openConnection({
    sim: request.sim === true,
    env: request.env,
    ...(request.kubeconfig === undefined ? {} : { kubeconfig: request.kubeconfig }),
    ...(request.context === undefined ? {} : { context: request.context }),
    ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
  });
  try {
    const customResources = await listCustomResourceDefinitions(connection.client, request.signal ? { signal: request.signal } : {});
    const sources: SchemaSource[] = [connection.schemaSource];
    return { registry: new SchemaRegistry(sources, { customResources }), sources, namespace: connection.namespace, close: () => connection.close() };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

export async function validateFiles(request: ValidateFilesRequest): Promise<ValidateFilesResult> {
  const cluster = request.cluster ? await clusterSchemas(request) : undefined;
  try {
    return await validateWith(request, cluster);
  } finally {
    await cluster?.close();
  }
}

async function validateWith(request: ValidateFilesRequest, cluster: Awaited<ReturnType<typeof clusterSchemas>> | undefined): Promise<ValidateFilesResult> {
  const sources = cluster ? cluster.sources : resolveSchemaSources(request);
  const defaultNamespace =
    request.namespace ??
    cluster?.namespace ??
    contextNamespace({
      env: request.env,
      ...(request.kubeconfig === undefined ? {} : { kubeconfig: request.kubeconfig }),
      ...(request.context === undefined ? {} : { context: request.context }),
    }) ??
    'default';

  const read = await readAndValidate({
    paths: request.paths,
    ...(request.readStdin ? { readStdin: request.readStdin } : {}),
    ...(request.input ? { input: request.input } : {}),
    crdPaths: request.crdPaths,
    registry: cluster ? cluster.registry : new SchemaRegistry(sources),
    strict: request.strict,
    defaultNamespace,
    ...(request.skipKinds ? { skipKinds: request.skipKinds } : {}),
    ...(request.exclude ? { exclude: parseIgnorePatterns(request.exclude.join('\n')) } : {}),
  });
  return {
    diagnostics: read.diagnostics,
    files: read.files,
    objects: read.manifests.length,
    schemas: sources.map((s) => s.description).join(', '),
  };
}

export interface ReadAndValidateRequest {
  paths: readonly string[];
  readStdin?: StdinReader;
  input?: InputOptions;
  /** Files or folders whose CRDs lend their schemas (`--crd`); their other objects are ignored. */
  crdPaths?: readonly string[];
  registry: SchemaRegistry;
  strict: boolean;
  defaultNamespace: string;
  skipKinds?: readonly string[];
  exclude?: readonly IgnorePattern[];
  /** Awaited after each file read and loaded, and between documents validated (see Pause). */
  pause?: Pause;
}

export interface ReadAndValidateResult {
  /** The inputs' objects, namespaces defaulted. */
  manifests: Manifest[];
  /** Reading, loading and validation problems, in that order. */
  diagnostics: Diagnostic[];
  files: number;
}

/** Paths to validated manifests: the one pipeline behind validate, apply, drift and watch. */
export async function readAndValidate(request: ReadAndValidateRequest): Promise<ReadAndValidateResult> {
  const pause = request.pause;
  const inputs = await readInputs(request.paths, {
    ...request.input,
    ...(request.readStdin ? { readStdin: request.readStdin } : {}),
    ...(request.exclude ? { exclude: request.exclude } : {}),
    ...(pause ? { pause } : {}),
  });
  const crdPaths = request.crdPaths ?? [];
  const crdRead = crdPaths.length ? await readInputs(crdPaths, { ...request.input }) : { sources: [] as SourceText[], diagnostics: [] as Diagnostic[] };
  // A file both among the inputs and under --crd is read once: its CRDs (and their errors) are the inputs'.
  // (Resolved only when there is a --crd: path.resolve of every input costs a few ms of a drift.)
  const inputFiles = crdPaths.length ? new Set(inputs.sources.map((s) => path.resolve(s.path))) : new Set<string>();
  const crdInputs = { sources: crdRead.sources.filter((s) => !inputFiles.has(path.resolve(s.path))), diagnostics: crdRead.diagnostics.filter((d) => !inputFiles.has(path.resolve(d.file))) };
  const loaded = pause ? await loadPausing(inputs.sources, pause) : loadManifests(inputs.sources);
  const crdLoaded = loadManifests(crdInputs.sources);
  const crdManifests = crdLoaded.manifests.filter((m) => m.ref.group === 'apiextensions.k8s.io' && m.ref.kind === 'CustomResourceDefinition');
  const skip = request.skipKinds ?? [];
  const manifests = skip.length > 0 ? loaded.manifests.filter((m) => !isSkippedKind(m.ref, skip)) : loaded.manifests;
  const result = await validateManifests(manifests, request.registry, { strict: request.strict, defaultNamespace: request.defaultNamespace, crdManifests, ...(pause ? { pause } : {}) });
  return {
    manifests: result.manifests,
    diagnostics: [...inputs.diagnostics, ...crdInputs.diagnostics, ...loaded.diagnostics, ...crdLoaded.diagnostics, ...result.diagnostics],
    files: inputs.sources.length,
  };
}

/** loadManifests a file at a time, pausing after each: the same manifests and diagnostics, in the same order (files load independently). */
async function loadPausing(sources: readonly SourceText[], pause: Pause): Promise<LoadResult> {
  const all: LoadResult = { manifests: [], diagnostics: [] };
  for (let i = 0; i < sources.length; i++) {
    loadManifests([sources[i]!], {}, all);
    // A pause that answers nothing is not awaited: no microtask turn per file.
    const turn = pause();
    if (turn !== undefined) await turn;
  }
  return all;
}
