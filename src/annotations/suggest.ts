/**
 * "Did you mean" for annotation keys and values. Beyond the schema's edit distance, annotation
 * names are hyphenated phrases that people misremember as wholes, so two more guesses count: the
 * same words in another order (`ignore-drift`) and a fragment of a longer name (`wave`,
 * `delete-policy`). A far-fetched guess is worse than none, so anything else gets no suggestion.
 */
import { closest } from '../schema/suggest.js';

/** The allowed value closest to `word` (case-insensitive match first), if any is close. */
export function suggestValue(word: string, candidates: readonly string[]): string | undefined {
  if (word === '') return undefined;
  return closest(word, candidates)[0] ?? byWords(word, candidates) ?? byFragment(word, candidates);
}

function words(text: string): string {
  return text
    .toLowerCase()
    .split(/[-_.]+/)
    .filter((w) => w !== '')
    .sort()
    .join(' ');
}

function byWords(word: string, candidates: readonly string[]): string | undefined {
  const target = words(word);
  return candidates.find((c) => words(c) === target);
}

function byFragment(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  if (lower.length < 4) return undefined;
  const hits = candidates.filter((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()));
  return hits.length === 1 ? hits[0] : undefined;
}
