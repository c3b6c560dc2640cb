/**
 * The public surface of the core. plugin/ and lsp/ import from here and nowhere else in src/
 * (scripts/check-imports.mjs enforces it), so this file is the core's whole API.
 */
export * from './model/index.js';
export * from './schema/types.js';
export * from './errors.js';
export * from './validate/rules.js';
