/** The schema area's public surface: registry, CRDs, validation, duplicates and their helpers. */
export * from './types.js';
export { SchemaRegistry, type SchemaRegistryOptions } from './registry.js';
export { crdFromObject, readCrd, isCrdObject, CRD_GROUP, type CustomResourceDefinitionInfo, type CustomResourceVersion } from './crd.js';
export { validateManifest, parseFieldPath, type ValidateOptions, type KindSchema, type KindSchemaLookup, type UnknownKind } from './validate.js';
export { checkDuplicates } from './duplicates.js';
export { compileRule, evaluateRule, toCel, ruleSyntaxError, loadCelEngine, celEngineLoaded, schemaUsesCel, type CompiledRule, type RuleOutcome } from './cel.js';
export { isQuantityString, isQuantityValue } from './quantity.js';
export { checkStringFormat, checkIntegerFormat } from './formats.js';
export { closest, editDistance } from './suggest.js';
export { resourcesFromDocument, schemaNamesByKind } from './resources.js';
export type { SchemaNode, Semantics } from './compiled.js';
