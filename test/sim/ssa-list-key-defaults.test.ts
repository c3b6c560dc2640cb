/** ssa-list-key-defaults.suite.ts with the built-in bundle; test/reference/sim-ssa-list-key-defaults.test.ts runs it on the published 1.35 documents. */
import { builtInSource } from '../../src/io/schema-sources.js';
import { ssaListKeyDefaultsSuite } from './ssa-list-key-defaults.suite.js';

ssaListKeyDefaultsSuite('the built-in bundle', () => builtInSource());
