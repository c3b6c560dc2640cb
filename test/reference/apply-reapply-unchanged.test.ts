/** apply/reapply-unchanged.suite.ts with the sim on the published Kubernetes 1.35 documents. */
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { referenceSchemas } from '../support/schemas.js';
import { reapplyUnchangedSuite } from '../apply/reapply-unchanged.suite.js';

reapplyUnchangedSuite('the 1.35 OpenAPI documents', () => new SchemaDirSource(referenceSchemas()));
