/** reapply-unchanged.suite.ts with the built-in bundle; test/reference/apply-reapply-unchanged.test.ts runs it on the published 1.35 documents. */
import { builtInSource } from '../../src/io/schema-sources.js';
import { reapplyUnchangedSuite } from './reapply-unchanged.suite.js';

reapplyUnchangedSuite('the built-in bundle', () => builtInSource());
