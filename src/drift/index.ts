/** Drift: the pure three-way comparison of desired, last-applied and live objects, and its report. */
export * from './types.js';
export { compareObject, agreesAsWritten, appliedDiffersFromDesired, secretData, type CompareOptions, type ObjectDriftInput } from './compare-object.js';
export { appliedStateOf, LAST_APPLIED_ANNOTATION, type AppliedState } from './applied-state.js';
export { parseIgnoreRule, parseIgnoreFile, ignoredPointers, isIgnored, type IgnoreRule } from './ignore.js';
export { leavesOf, sameValue, quantityValue, type Leaf, type LeafMap } from './leaves.js';
export { managedEntries, ownerOf, type ManagedEntry } from './field-owners.js';
export { maskValue, carriesSecret, MASK } from './mask.js';
export { buildReport, countObjects, objectFails, parseFailOn, sortObjects } from './report.js';
