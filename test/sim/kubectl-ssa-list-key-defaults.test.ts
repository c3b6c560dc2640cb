/** kubectl-ssa-list-key-defaults.suite.ts with the built-in bundle; test/reference/sim-kubectl-ssa-list-key-defaults.test.ts runs it on the published 1.35 documents. */
import { builtInSource } from '../../src/io/schema-sources.js';
import { kubectlSsaListKeyDefaultsSuite } from './kubectl-ssa-list-key-defaults.suite.js';

kubectlSsaListKeyDefaultsSuite('the built-in bundle', () => builtInSource());
