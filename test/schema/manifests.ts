/**
 * A small stand-in for the manifest loader, for schema tests: YAML documents to Manifests
 * with `locate` over the `yaml` library's nodes and LineCounter (1-based positions).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { JsonPath, Manifest, SourceRange } from '../../src/model/index.js';
import { parseApiVersion } from '../../src/model/index.js';

export function loadManifests(file: string, text: string): Manifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const out: Manifest[] = [];
  const toRange = (r: [number, number, number] | null | undefined): SourceRange => {
    const [a, b] = r ?? [0, 0, 0];
    const s = lineCounter.linePos(a);
    const e = lineCounter.linePos(b);
    return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  };
  docs.forEach((doc, documentIndex) => {
    const object = doc.toJS() as Record<string, unknown> | null;
    if (!object || typeof object !== 'object') return;
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const meta = (object.metadata ?? {}) as Record<string, unknown>;
    const { group, version } = parseApiVersion(apiVersion);
    const ref = {
      group,
      version,
      kind: typeof object.kind === 'string' ? object.kind : '',
      name: typeof meta.name === 'string' ? meta.name : '',
      namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default',
    };
    const locate = (path: JsonPath, target: 'key' | 'value' = 'value'): SourceRange => {
      let node: Node | null | undefined = doc.contents as Node;
      let keyNode: Node | undefined;
      for (const part of path) {
        let next: Node | undefined;
        let nextKey: Node | undefined;
        if (isMap(node)) {
          const items: Pair[] = node.items;
          const pair: Pair | undefined = items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
          if (pair) {
            nextKey = pair.key as Node;
            next = (pair.value as Node | null) ?? (pair.key as Node);
          }
        } else if (isSeq(node) && typeof part === 'number') {
          next = node.items[part] as Node | undefined;
          nextKey = next;
        }
        if (!next) return toRange((keyNode ?? node)?.range);
        keyNode = nextKey;
        node = next;
      }
      return toRange((target === 'key' ? keyNode ?? node : node)?.range);
    };
    out.push({ object, ref, file, documentIndex, locate });
  });
  return out;
}
