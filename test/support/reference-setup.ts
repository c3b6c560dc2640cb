/**
 * Once per `npm run test:reference`: stop at once, with what is needed, when the published
 * Kubernetes OpenAPI documents are not there (a reference run that compared nothing must not pass).
 */
import { generateBundle } from '../../scripts/gen-bundle.mjs';
import { referenceSchemas } from './schemas.js';

export default function setup(): void {
  let dir: string;
  try {
    dir = referenceSchemas();
  } catch (e) {
    process.stderr.write(`\nerror: ${(e as Error).message}\n\n`);
    process.exit(2);
  }
  process.stdout.write(`reference documents: ${dir}\n`);
  generateBundle();
}
