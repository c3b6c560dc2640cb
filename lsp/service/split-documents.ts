/**
 * A file's YAML documents with the line each starts on, so that an edit re-parses only the
 * documents whose text changed. The split itself is the core's (`splitDocuments`, the loader's
 * own line scan), so documents, their numbering and their text are exactly what
 * `kubectl kd validate` parses. A file without any document (empty, or only comments) still gets
 * one empty segment, so that completion can start a first object there.
 */
import { splitDocuments } from '../../src/index.js';

export interface YamlSegment {
  /** 0-based index of the YAML document in its file, as the loader numbers them. */
  index: number;
  /** 1-based line of the segment's first line in the file (its `---` marker, when it has one). */
  startLine: number;
  /** The segment's text: loading it alone yields exactly this document. */
  text: string;
}

export function splitYamlDocuments(text: string): YamlSegment[] {
  const slices = splitDocuments(text);
  if (slices.length === 0) return [{ index: 0, startLine: 1, text }];
  const out: YamlSegment[] = [];
  let line = 1;
  let pos = 0;
  for (const s of slices) {
    for (let i = text.indexOf('\n', pos); i >= 0 && i < s.start; i = text.indexOf('\n', i + 1)) line++;
    pos = s.start;
    out.push({ index: s.index, startLine: line, text: text.slice(s.start, s.end) });
  }
  return out;
}
