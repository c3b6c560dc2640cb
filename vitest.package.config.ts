import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

/**
 * `npm run test:package`: packs the package, installs it into a temporary global prefix and runs
 * it through kubectl (test/package/). Kept out of `npm test` because it takes tens of seconds.
 */
export default defineConfig({
  test: {
    ...shared,
    include: ['test/package/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
