/**
 * Manifest loading: YAML/JSON text to `Manifest[]` plus diagnostics, with lazily computed source
 * positions; and namespace defaulting, which needs the schema registry's scopes.
 */
export {
  loadManifests,
  utf8Length,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ALIAS_EXPANSION,
} from './load-manifests.js';
export { applyNamespaceDefaults } from './namespace-defaults.js';
export { splitDocuments, type DocumentSlice } from './split-documents.js';
export { resolvePlainScalar } from './yaml-schema.js';
export { jsYamlLibrary, yamlLibrary, type JsYamlLibrary, type YamlLibrary } from './yaml-library.js';
export {
  HELM_CHART_FILE,
  KDIGNORE_FILE,
  SKIPPED_FOLDERS,
  helmChartHint,
  matchesIgnorePatterns,
  isManifestFileName,
  walkEntry,
  isSkippedFolder,
  isSkippedKind,
  keepKubernetesDocuments,
  looksLikeKubernetes,
  parseIgnorePatterns,
  parseSkipKinds,
  type IgnorePattern,
} from './input-rules.js';
