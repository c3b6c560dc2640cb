import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

/**
 * `npm run test:reference`: the tests that compare kd with the OpenAPI documents a real
 * Kubernetes 1.35 API server publishes, read from KD_REFERENCE_SCHEMAS (default
 * ../shared/kubernetes-openapi/v1.35). Fails at once, saying what it needs, when they are missing.
 */
export default defineConfig({
  test: {
    ...shared,
    include: ['test/reference/**/*.test.ts'],
    globalSetup: ['./test/support/reference-setup.ts'],
  },
});
