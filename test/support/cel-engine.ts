/**
 * Loads the CEL engine before every test file. kd loads it on demand in its pipelines (only when
 * the schemas in use have rules); unit tests call the validator directly, below those pipelines.
 * The CLI tests run the real binary, so the on-demand loading itself is tested there.
 */
import { beforeAll } from 'vitest';
import { loadCelEngine } from '../../src/schema/cel.js';

beforeAll(async () => {
  await loadCelEngine();
});
