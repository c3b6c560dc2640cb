/** Plain data types shared by every layer: positions, identities, diagnostics, manifests. */
export * from './source.js';
export * from './object-ref.js';
export * from './diagnostic.js';
export * from './manifest.js';
export * from './status.js';
export * from './json.js';
export * from './label-selector.js';
export * from './time.js';
