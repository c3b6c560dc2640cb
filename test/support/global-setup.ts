/**
 * Once per vitest run: make sure the built-in schema bundle exists (schemas/kubernetes, generated
 * from the pinned @kubernetes/client-node; a no-op when it is up to date), since the default suite
 * takes every Kubernetes schema from it. `npm test` builds first anyway; this covers
 * `npx vitest run <file>` on a fresh clone.
 */
import { generateBundle } from '../../scripts/gen-bundle.mjs';

export default function setup(): void {
  generateBundle();
}
