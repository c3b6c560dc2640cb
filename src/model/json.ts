/**
 * The two questions every layer asks of parsed JSON/YAML values, answered once: is this a
 * plain object (a mapping, not an array or null), and are two values equal as JSON. JSON has
 * no `undefined`, so a key whose value is `undefined` counts as absent (as JSON.stringify and
 * the API server see it); key order never matters. `definedOnly` drops such keys before a
 * spread, so that an unset option never overrides a default.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const array = Array.isArray(a);
  if (array !== Array.isArray(b)) return false;
  // Loops rather than filter/every: drift compares every object this way, and in a short run this
  // code runs cold, where each closure and key array is paid for.
  if (array) {
    const aa = a as unknown[];
    const bb = b as unknown[];
    if (aa.length !== bb.length) return false;
    for (let i = 0; i < aa.length; i++) if (!deepEqual(aa[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  // Indexed: cold, a for-of over the keys allocates an iterator and a result per key.
  const aKeys = Object.keys(ao);
  for (let i = 0; i < aKeys.length; i++) {
    const k = aKeys[i]!;
    const v = ao[k];
    if (v === undefined) continue;
    defined++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual(v, bo[k])) return false;
  }
  const bKeys = Object.keys(bo);
  for (let i = 0; i < bKeys.length; i++) if (bo[bKeys[i]!] !== undefined) defined--;
  return defined === 0;
}

/** The properties of `o` whose value is not undefined (a spread of the result leaves the others unset). */
export function definedOnly<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
