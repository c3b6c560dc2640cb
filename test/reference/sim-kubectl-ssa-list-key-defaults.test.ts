/** sim/kubectl-ssa-list-key-defaults.suite.ts with the sim on the published Kubernetes 1.35 documents. */
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { referenceSchemas } from '../support/schemas.js';
import { kubectlSsaListKeyDefaultsSuite } from '../sim/kubectl-ssa-list-key-defaults.suite.js';

kubectlSsaListKeyDefaultsSuite('the 1.35 OpenAPI documents', () => new SchemaDirSource(referenceSchemas()));
