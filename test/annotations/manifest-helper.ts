/**
 * Builds Manifest values from YAML text for these tests, with `locate` implemented over the
 * `yaml` library's nodes and LineCounter (1-based), as the manifest loader's contract describes:
 * a missing path resolves to its deepest existing ancestor (for a missing key: the parent's key).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { KubeObject, Manifest, ObjectRef, SourceRange } from '../../src/index.js';
import { parseApiVersion } from '../../src/index.js';

export function manifestsFromYaml(text: string, file = 'test.yaml'): Manifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const toRange = (start: number, end: number): SourceRange => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  };
  const out: Manifest[] = [];
  docs.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) throw new Error(`bad test YAML: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as KubeObject;
    if (object === null || typeof object !== 'object') return;
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const { group, version } = parseApiVersion(String(object.apiVersion ?? ''));
    const ref: ObjectRef = { group, version, kind: String(object.kind ?? ''), name: typeof metadata['name'] === 'string' ? metadata['name'] : '' };
    if (typeof metadata['namespace'] === 'string') ref.namespace = metadata['namespace'];
    const root = doc.contents as Node | null;
    const nodeRange = (n: Node | Pair | null | undefined): SourceRange | undefined => {
      const r = (n as Node | null | undefined)?.range;
      return r ? toRange(r[0], r[1]) : undefined;
    };
    out.push({
      object,
      ref,
      file,
      documentIndex,
      locate(path, target = 'value') {
        let node: Node | null | undefined = root;
        let fallback = nodeRange(root) ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
        for (let i = 0; i < path.length; i++) {
          const seg = path[i]!;
          const last = i === path.length - 1;
          if (isMap(node)) {
            const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
            if (!pair) return fallback;
            const keyRange = nodeRange(pair.key as Node);
            if (last && target === 'key') return keyRange ?? fallback;
            fallback = keyRange ?? fallback;
            node = pair.value as Node | null;
            if (last) return nodeRange(node) ?? fallback;
          } else if (isSeq(node) && typeof seg === 'number') {
            const item = node.items[seg] as Node | undefined;
            if (!item) return fallback;
            node = item;
            fallback = nodeRange(item) ?? fallback;
            if (last) return fallback;
          } else {
            return fallback;
          }
        }
        return nodeRange(node) ?? fallback;
      },
    });
  });
  return out;
}
