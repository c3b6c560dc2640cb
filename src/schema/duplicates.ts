/**
 * Two inputs defining the same object (group, kind, namespace, name; the version is only a
 * representation) would silently overwrite each other when applied. Reported on the second
 * occurrence, naming where the first is. Objects with only generateName are never duplicates.
 * Namespaces must already be defaulted by the loader.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Manifest } from '../model/manifest.js';
import { describeRef, objectKey } from '../model/object-ref.js';

export function checkDuplicates(manifests: readonly Manifest[]): Diagnostic[] {
  const first = new Map<string, Manifest>();
  const out: Diagnostic[] = [];
  for (const m of manifests) {
    if (!m.ref.name) continue;
    const key = objectKey(m.ref);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, m);
      continue;
    }
    const at = earlier.locate(['metadata', 'name'], 'value').start;
    out.push({
      severity: 'error',
      rule: 'manifest/duplicate',
      message: `${describeRef(m.ref)} is defined twice; the first is at ${earlier.file}:${at.line}:${at.column}`,
      file: m.file,
      range: m.locate(['metadata', 'name'], 'value'),
      object: m.ref,
      path: ['metadata', 'name'],
      documentIndex: m.documentIndex,
    });
  }
  return out;
}
