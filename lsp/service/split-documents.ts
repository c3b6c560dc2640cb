/**
 * Splits a file's text into its YAML documents at `---` markers, with each document's first line,
 * so that an edit re-parses only the documents whose text changed. The split is a line scan, not
 * a parse: a line starting with `---` (followed by a space, a comment or nothing) always starts a
 * document in YAML, even inside a block scalar, so the scan agrees with the `yaml` library.
 * Numbering follows the library too: text before the first marker is a document only when it has
 * content (not just comments, blank lines or directives).
 */

export interface YamlSegment {
  /** 0-based index of the YAML document in its file, as the `yaml` library counts them. */
  index: number;
  /** 1-based line of the segment's first line in the file (its `---` marker, when it has one). */
  startLine: number;
  /** Number of lines the segment spans (the last one may lack its newline). */
  lineCount: number;
  /** The segment's text, marker included: parsing it alone yields exactly this document. */
  text: string;
}

function isMarkerAt(text: string, pos: number): boolean {
  if (!text.startsWith('---', pos)) return false;
  const next = text[pos + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

function hasContent(text: string): boolean {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#') && !t.startsWith('%')) return true;
  }
  return false;
}

export function splitYamlDocuments(text: string): YamlSegment[] {
  const starts: number[] = [0];
  const startLines: number[] = [1];
  let line = 1;
  let pos = 0;
  while (pos < text.length) {
    if (pos > 0 && isMarkerAt(text, pos)) {
      starts.push(pos);
      startLines.push(line);
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  // A marker on the very first line belongs to the first segment rather than opening a second one.
  const segments: YamlSegment[] = [];
  let index = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const body = text.slice(from, to);
    const startLine = startLines[i]!;
    const nextLine = i + 1 < startLines.length ? startLines[i + 1]! : line + (text.endsWith('\n') ? 0 : 1);
    const isFirstWithoutMarker = i === 0 && !isMarkerAt(text, 0);
    if (isFirstWithoutMarker && !hasContent(body)) {
      // Leading comments belong to the next document; keep their lines out of every segment.
      continue;
    }
    segments.push({ index: index++, startLine, lineCount: Math.max(1, nextLine - startLine), text: body });
  }
  return segments;
}
