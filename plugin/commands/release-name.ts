/**
 * The default release name, shared by `apply` and `drift`. Its own module so that `drift` does
 * not import the apply command (and with it Ink, React and the terminal UI) to compute it.
 */
import path from 'node:path';

/** The release defaults to the base name of the first path: `deploy/shop/` → `shop`, `app.yaml` → `app`. */
export function defaultReleaseName(first: string): string {
  if (first === '-') return 'stdin';
  const base = path.basename(path.resolve(first)).replace(/\.(ya?ml|json)$/i, '');
  return base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53);
}
