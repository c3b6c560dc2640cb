/**
 * The public surface of the core. plugin/ and lsp/ import from here and nowhere else in src/
 * (scripts/check-imports.mjs enforces it), so this file is the core's whole API.
 */
export * from './model/index.js';
export * from './errors.js';
export * from './manifest/index.js';
export * from './schema/index.js';
// Named at its own module too, so that the CLI's entry (did-you-mean for flags) loads only it, not the validator (scripts/barrel-imports.mjs).
export { closest } from './schema/suggest.js';
export * from './annotations/index.js';
export * from './validate/index.js';
export { readInputs, readWalkedFile, STDIN_NAME, DEFAULT_MAX_INPUT_BYTES, type Inputs, type InputOptions, type ReadInputsOptions } from './io/inputs.js';
export { SchemaDirSource } from './io/schema-dir-source.js';
export { resolveSchemaSources, builtInSource, bundleDir, packageRoot } from './io/schema-sources.js';
export { contextNamespace, kubeconfigFiles } from './io/kubeconfig-namespace.js';
export { validateFiles, type ValidateFilesRequest, type ValidateFilesResult } from './io/validate-files.js';
export { readDesired, type DesiredObjects, type ReadDesiredRequest } from './io/read-desired.js';
export * from './health/index.js';
export * from './plan/index.js';
export * from './apply/index.js';
export * from './apply/release/index.js';
// The cluster layer pulls in the Kubernetes client and node's HTTP stack: offline commands must
// not load it, so only its types are re-exported here. The shells connect through the session
// layer's `openConnection` (below), which loads the client on first use.
export type * from './cluster/index.js';
export { startEmbeddedSim, type EmbeddedSim, type EmbeddedSimOptions } from './sim/embedded.js';
export { startSim, realClock, isLoopbackHost, type SimOptions, type SimHandle } from './sim/server.js';
export { writeFilePrivate } from './sim/state-file.js';
export { SIM_KUBERNETES_VERSION } from './sim/version.js';
export { parseFaultSpec, type FaultSpec } from './sim/faults.js';
export { builtinControllers, ManualClock, ScaledClock } from './sim/controllers/index.js';
export * from './drift/index.js';
// The composition layer, named module by module: apply must not load drift's run, nor drift the opener's callers.
export { openSession, sessionOver, executorDeps, SIM_COMMAND_SPEED, type ExecutorTarget, type Session, type SessionRequest } from './session/open.js';
export { openConnection, type Connection, type ConnectionRequest } from './session/connection.js';
export { runDrift, DEFAULT_DRIFT_CONCURRENCY, type DriftRunRequest, type DriftRunDeps, type DriftRunResult } from './session/drift-run.js';
