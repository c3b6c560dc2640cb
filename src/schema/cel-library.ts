/**
 * The CEL engine as one module: @bufbuild/cel and its strings extension, which src/schema/cel.ts
 * loads on first use (most inputs have no rules). The build makes this module a bundle file of
 * its own (dist/cel.js) that every program and command imports, so the engine's hundreds of
 * kilobytes are in no command's file and there is one copy of it in a run (scripts/build.mjs).
 */
export * as cel from '@bufbuild/cel';
export { strings } from '@bufbuild/cel/ext';
