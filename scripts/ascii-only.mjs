/**
 * The build's check that a command file (dist/cli/<command>.cjs) is pure ASCII: the entry's
 * loader (plugin/bundle-loader.ts) then decodes it as latin1, and V8 keeps it as a one-byte
 * string. A file with one non-ASCII character is decoded as UTF-8 into a two-byte string, which
 * cost drift ~1.3 ms more to decode and ~1 ms more to compile from its code cache (issue 17).
 * esbuild escapes non-ASCII characters of strings, templates and identifiers (its default
 * charset), but leaves those of regular expressions and of the comments it keeps: the source
 * writes them as escapes (`\u00b5`), or in ASCII.
 */

/** Where `code` first has a non-ASCII character and how to fix it (`<line>: ...`), or undefined when it is pure ASCII. */
export function nonAsciiProblem(code) {
  const at = code.search(/[^\x00-\x7f]/);
  if (at < 0) return undefined;
  const line = code.slice(0, at).split('\n').length;
  const text = code.split('\n')[line - 1].trim();
  const escape = `\\u${code.charCodeAt(at).toString(16).padStart(4, '0')}`;
  return `${line}: a non-ASCII character (${JSON.stringify(code[at])}) in: ${text.slice(0, 120)}\n` +
    `A command file must be pure ASCII (plugin/bundle-loader.ts decodes it as latin1): in a regular expression write it as ${escape}, in a comment in ASCII.`;
}
