/**
 * Names and hashes the controllers generate: the pod-template-hash, controller revision names and
 * the 5-character suffixes of generated names, in the alphabet the API machinery uses. Suffixes
 * are derived from a seed rather than drawn at random, so a simulation replays identically.
 */
import { canonicalJson } from './objects.js';

/** apimachinery's `rand.SafeEncodeString` alphabet: no vowels, no confusable characters. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a, the hash the controllers use for template hashes. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Like `rand.SafeEncodeString(fmt.Sprint(hash))`: every digit mapped into the safe alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += ALPHANUMS[text.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** The pod-template-hash of a pod template (with the collision count, as ComputeHash does). */
export function templateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(String(fnv32a(canonicalJson(template) + (collisionCount ? `/${collisionCount}` : ''))));
}

/** A deterministic 5-character suffix for a generated name. */
export function nameSuffix(seed: string): string {
  let h = fnv32a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHANUMS[h % ALPHANUMS.length];
    // `>>> 0` over the whole XOR: a negative h would index outside the alphabet.
    h = (Math.floor(h / ALPHANUMS.length) ^ fnv32a(`${seed}#${i}`)) >>> 0;
  }
  return out;
}

/** Picks `prefix + suffix` that `exists` says is free, trying successive seeds. */
export function generateName(prefix: string, seed: string, exists: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const name = prefix + nameSuffix(`${seed}/${i}`);
    if (!exists(name)) return name;
  }
}
