/**
 * Regular expressions with Go's RE2 semantics, as kube-apiserver compiles OpenAPI `pattern`s
 * and CEL `matches()` arguments: inline flags such as `(?i)`, `\pL`, `\z`, no lookaround or
 * backreferences, linear-time matching (re2js, a pure-JavaScript port of RE2).
 *
 * Each source is compiled once per process and cached, valid or not: schemas repeat the same
 * few patterns across thousands of objects, and a compile is far dearer than a match.
 *
 * re2js is loaded on the first compile, synchronously, from the installed package rather than the
 * bundle: no built-in kind's schema has a pattern, so most runs (validating built-in kinds, most
 * drifts and applies) never meet one, and loading it cost every start-up several milliseconds
 * (issue 17). A synchronous load keeps every caller (schema compile, CRD checks, CEL `matches()`)
 * as it was: none of them has to remember to load an engine first.
 */
import { createRequire } from 'node:module';
import type { RE2JS as Re2Js } from 're2js';

export interface Re2Pattern {
  /** True when the pattern matches somewhere in `value` (unanchored, like Go's MatchString). */
  test(value: string): boolean;
}

type Compiled = { pattern: Re2Pattern } | { error: string };

let engine: typeof Re2Js | undefined;
function re2js(): typeof Re2Js {
  engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof Re2Js }).RE2JS;
  return engine;
}

const cache = new Map<string, Compiled>();
/** A long-running kd-lsp meets patterns built at run time (CEL `matches(self.x)`): bound the cache. */
const CACHE_LIMIT = 10_000;

function compile(source: string): Compiled {
  let hit = cache.get(source);
  if (hit === undefined) {
    try {
      const re = re2js().compile(source);
      hit = { pattern: { test: (value: string) => re.test(value) } };
    } catch (e) {
      // Go words it "error parsing regexp: missing closing ]: `[`"; re2js keeps Go's wording.
      hit = { error: (e as Error).message };
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, hit);
  }
  return hit;
}

/** The compiled pattern, or undefined when it does not compile (see `re2CompileError`). */
export function re2Pattern(source: string): Re2Pattern | undefined {
  const c = compile(source);
  return 'pattern' in c ? c.pattern : undefined;
}

/** Go's compile error for a pattern, or undefined when it compiles. */
export function re2CompileError(source: string): string | undefined {
  const c = compile(source);
  return 'error' in c ? c.error : undefined;
}

/**
 * The engine handed to CEL for `matches()`: an invalid pattern throws, which the evaluator turns
 * into an error value, as cel-go does.
 */
export const celRe2 = {
  compile(source: string): Re2Pattern {
    const c = compile(source);
    if ('error' in c) throw new Error(c.error);
    return c.pattern;
  },
};
