/**
 * The two list helpers of code that every object passes through (validation's per-object rules):
 * a shared empty answer, so that the usual "no problem" allocates nothing, and appending one list
 * to another without a spread (which builds an argument list per call, paid for cold).
 */

/** An empty list that no caller may change: the answer "nothing found" of any element type. */
export const NONE: readonly never[] = Object.freeze([]);

/** Appends `items` to `out`, in order. */
export function appendAll<T>(out: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}
