/** Types of scripts/gen-bundle.mjs, for the tests that drive it. */
export interface GenerateBundleOptions {
  /** Default: `schemas/kubernetes` in the repository. */
  outDir?: string;
  /** Default: `node_modules/@kubernetes/client-node` in the repository. */
  clientDir?: string;
  /** Regenerate even when the stamp says the output is current. */
  force?: boolean;
}

export interface GenerateBundleResult {
  outDir: string;
  /** True when the stamp was current and nothing was written. */
  skipped: boolean;
  /** Documents written (bundle.json not counted). */
  files: number;
  bytes: number;
  durationMs: number;
}

export function generateBundle(options?: GenerateBundleOptions): GenerateBundleResult;
