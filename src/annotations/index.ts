/** kd's annotations: the catalogue with docs, the typed reader, the checks and the JSON Schema. */
export * from './catalog.js';
export * from './read.js';
export { checkAnnotations } from './check.js';
export { annotationsJsonSchema } from './json-schema.js';
export { suggestValue } from './suggest.js';
