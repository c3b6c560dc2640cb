/**
 * The default release name, shared by `apply` and `drift`. Its own module so that `drift` does
 * not import the apply command (and with it Ink, React and the terminal UI) to compute it.
 */
import path from 'node:path';
import { defaultReleaseName as releaseNameFromPath } from '../../src/index.js';

/** The release defaults to the base name of the first path: `deploy/shop/` → `shop`, `app.yaml` → `app`. */
export function defaultReleaseName(first: string): string {
  // The rule is the core's; only "-" and a relative path (`.` is the folder's own name) are the CLI's.
  return first === '-' ? 'stdin' : releaseNameFromPath(path.resolve(first));
}
