import { defineConfig } from 'vitest/config';

/**
 * `npm test`: everything under test/ except the suites that need data or set-up from outside the
 * repository: test/reference/ (the published Kubernetes OpenAPI documents; vitest.reference.config.ts)
 * and test/package/ (packs and installs the package; vitest.package.config.ts).
 */
export const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  setupFiles: ['./test/support/isolate-home.ts', './test/support/cel-engine.ts'],
  reporters: ['default', './test/support/summary-reporter.ts'],
};

export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/reference/**', 'test/package/**', '**/node_modules/**'],
    globalSetup: ['./test/support/global-setup.ts'],
  },
});
