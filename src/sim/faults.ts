/**
 * Fault injection for reliability tests, reproducible from a seed.
 *
 * Grammar (`--faults`): comma-separated `key=value` items, all optional:
 *   seed=N              PRNG seed (default 1); the same seed and request order give the same faults
 *   latency=A-Bms       uniform extra latency per request (also `latency=Nms`, `latency=1s`)
 *   429=P  500=P  503=P probability (0..1) of answering with that status (429 and 503 with Retry-After)
 *   retry-after=N       seconds in Retry-After (default 1)
 *   reset=P             probability of destroying the connection before any response byte
 *   watch-close=D       end every watch stream after duration D (`30s`, `500ms`, `2m`)
 *   conflict=NS/NAME    writes (PUT/PATCH/DELETE) to that object get 409 Conflict; repeatable;
 *                       `NAME` alone for cluster-scoped objects; `@P` suffix for a probability
 * Example: `seed=1,latency=5-20ms,429=0.05,500=0.02,503=0.02,reset=0.01,watch-close=30s,conflict=default/web`.
 * Parsing never throws: it returns the spec and a list of problems.
 */

export interface FaultSpec {
  seed: number;
  latencyMs?: { min: number; max: number };
  rates: { '429'?: number; '500'?: number; '503'?: number; reset?: number };
  retryAfterSeconds: number;
  watchCloseMs?: number;
  conflicts: Array<{ namespace: string; name: string; probability: number }>;
}

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
}

function probability(text: string): number | undefined {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 1 && text.trim() !== '' ? n : undefined;
}

export function parseFaultSpec(text: string): { spec: FaultSpec; problems: string[] } {
  const spec: FaultSpec = { seed: 1, rates: {}, retryAfterSeconds: 1, conflicts: [] };
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) {
      problems.push(`fault "${item}" has no value (expected key=value)`);
      continue;
    }
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    switch (key) {
      case 'seed': {
        const n = Number(value);
        if (Number.isInteger(n)) spec.seed = n;
        else problems.push(`seed must be an integer, got "${value}"`);
        break;
      }
      case 'latency': {
        const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?(ms|s)$/.exec(value);
        if (!m) {
          problems.push(`latency must look like 5-20ms or 10ms, got "${value}"`);
          break;
        }
        const unit = m[3] === 's' ? 1000 : 1;
        const min = Number(m[1]) * unit;
        const max = m[2] === undefined ? min : Number(m[2]) * unit;
        spec.latencyMs = { min: Math.min(min, max), max: Math.max(min, max) };
        break;
      }
      case '429':
      case '500':
      case '503':
      case 'reset': {
        const p = probability(value);
        if (p === undefined) problems.push(`${key} must be a probability between 0 and 1, got "${value}"`);
        else spec.rates[key] = p;
        break;
      }
      case 'retry-after': {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 0) spec.retryAfterSeconds = n;
        else problems.push(`retry-after must be a whole number of seconds, got "${value}"`);
        break;
      }
      case 'watch-close': {
        const d = parseDuration(value);
        if (d === undefined || d <= 0) problems.push(`watch-close must be a duration like 30s, got "${value}"`);
        else spec.watchCloseMs = d;
        break;
      }
      case 'conflict': {
        const [target, p] = value.split('@');
        const prob = p === undefined ? 1 : probability(p);
        const parts = (target ?? '').split('/');
        if (prob === undefined || parts.length > 2 || parts.some((x) => x === '')) {
          problems.push(`conflict must be NAMESPACE/NAME or NAME, optionally with @probability, got "${value}"`);
          break;
        }
        spec.conflicts.push(parts.length === 2 ? { namespace: parts[0]!, name: parts[1]!, probability: prob } : { namespace: '', name: parts[0]!, probability: prob });
        break;
      }
      default:
        problems.push(`unknown fault "${key}" (known: seed, latency, 429, 500, 503, retry-after, reset, watch-close, conflict)`);
    }
  }
  return { spec, problems };
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: 'status'; delayMs: number; code: 429 | 500 | 503 }
  | { kind: 'reset'; delayMs: number };

/** Draws the faults of successive requests from one seeded sequence. */
export class FaultInjector {
  readonly spec: FaultSpec;
  readonly #random: () => number;

  constructor(spec: FaultSpec) {
    this.spec = spec;
    this.#random = seededRandom(spec.seed);
  }

  next(): FaultDecision {
    const l = this.spec.latencyMs;
    const delayMs = l ? l.min + (l.max - l.min) * this.#random() : 0;
    const r = this.#random();
    let acc = 0;
    for (const key of ['reset', '429', '500', '503'] as const) {
      acc += this.spec.rates[key] ?? 0;
      if (r < acc) return key === 'reset' ? { kind: 'reset', delayMs } : { kind: 'status', delayMs, code: Number(key) as 429 | 500 | 503 };
    }
    return { kind: 'none', delayMs };
  }

  conflictFor(namespace: string, name: string): boolean {
    const c = this.spec.conflicts.find((x) => x.name === name && x.namespace === namespace);
    if (!c) return false;
    return c.probability >= 1 || this.#random() < c.probability;
  }
}
