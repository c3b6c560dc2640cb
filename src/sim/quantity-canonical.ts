/**
 * `resource.Quantity` as kube-apiserver decodes and re-encodes it, so a written `cpu: 1000m` is
 * stored and returned as `1`. A port of apimachinery's `ParseQuantity` and `CanonicalizeBytes`
 * (pkg/api/resource/quantity.go, amount.go, suffix.go) as released in Kubernetes 1.35:
 *
 * - Three formats, remembered from the suffix: DecimalSI (`n u m "" k M G T P E`), BinarySI
 *   (`Ki Mi Gi Ti Pi Ei`) and DecimalExponent (`e<n>`/`E<n>`).
 * - Canonical form: no fractional digits, the largest suffix that keeps the value exact
 *   (`1.5` → `1500m`, `1.5Gi` → `1536Mi`, `1024Mi` → `1Gi`). BinarySI falls back to DecimalSI
 *   for values under 1024 in magnitude or with a fraction (`0.5Ki` → `512`).
 * - Values are kept down to nano, a finer non-zero value is rounded away from zero (`0.9n` → `1n`);
 *   BinarySI values are capped at 2^63-1.
 * - Parsing keeps the written text when its int64 fast path finds it canonical by upstream's own
 *   test (`100M`, `1Ki`, `12e6`, and also `01`, `+1` or `1.500`): those come back as written.
 *
 * Values are exact (bigint mantissa times a power of ten), never floating point. Limits: the sim
 * receives JSON numbers already parsed, so a number is read from its shortest JS text (`1e3` sent
 * as a bare number arrives as 1000 and becomes `1k`; sent as the string "1e3" it stays `1e3`).
 * A DecimalSI value beyond 10^20 loses its suffix (`1000E` → `1`), as 1.35 does; the fix that
 * emits exponent notation instead came later upstream. `null` quantities are left as they are.
 *
 * The walk over an object follows its OpenAPI schema and touches only properties whose schema is a
 * `$ref` to `io.k8s.apimachinery.pkg.api.resource.Quantity`; custom resources never have such a
 * reference (their `x-kubernetes-int-or-string` fields are stored as written, as upstream does).
 */
import type { SchemaObject } from '../schema/types.js';
import { toFieldPath, type JsonPath } from '../model/source.js';
import { cursor, isPlainObject, preservesUnknown, type SchemaCursor } from './schema-nav.js';

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** A parsed quantity: `mantissa × 10^exponent`, the format it prints in, and the text it keeps. */
export interface Quantity {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
  /** The written text, when parsing found it already canonical and upstream would reuse it. */
  text?: string;
}

export type QuantityParse = { ok: true; quantity: Quantity } | { ok: false; error: string };

/** Upstream's error texts, which the API server answers with verbatim. */
export const QUANTITY_ERRORS = {
  format: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
} as const;

export const QUANTITY_SCHEMA = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const MAX_INT64 = (1n << 63n) - 1n;
const NANO = -9;
/** maxInt64Factors: the digits an int64 holds, bounding upstream's fast path. */
const MAX_INT64_FACTORS = 18;
const DECIMAL_SUFFIXES = new Map<string, number>([['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18]]);
const BINARY_SUFFIXES = new Map<string, number>([['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60]]);
const DECIMAL_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = 'eEinumkKMGTP';

interface Scanned {
  positive: boolean;
  /** The signed number before the suffix, as written. */
  value: string;
  /** Integer digits without leading zeros ("0" when none), and fraction digits. */
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** parseQuantityString: splits sign, digits, fraction and suffix; undefined when malformed. */
function scan(str: string): Scanned | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  // 1. leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] !== '0') break;
    pos++;
  }
  // 2. integer digits
  let num = '';
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num === '') num = '0';
  // 3. fraction digits (`1.` is accepted)
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    for (let i = pos; ; i++) {
      if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  // 4. suffix: letters, then an optional signed integer
  const suffixStart = pos;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!SUFFIX_CHARS.includes(str[i]!)) {
      pos = i;
      break;
    }
  }
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!isDigit(str[i])) return undefined;
  }
}

/** suffixer.interpret: base, exponent and format of a suffix. */
function interpret(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const parsed = BigInt(digits);
    // strconv.ParseInt(..., 64) refuses what int64 cannot hold; the result is then narrowed to int32.
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** ParseQuantity. Never throws; an unparsable text gives upstream's error message. */
export function parseQuantity(str: string): QuantityParse {
  if (str.length === 0) return { ok: false, error: QUANTITY_ERRORS.format };
  if (str === '0') return { ok: true, quantity: { mantissa: 0n, exponent: 0, format: 'DecimalSI', text: str } };
  const s = scan(str);
  if (!s) return { ok: false, error: QUANTITY_ERRORS.format };
  const suffix = interpret(s.suffix);
  if (!suffix) return { ok: false, error: QUANTITY_ERRORS.suffix };
  const { base, exponent } = suffix;
  let format = suffix.format;

  // 1. The int64 fast path, which alone may keep the written text.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && s.denom.length === 0) {
      multiplier = 1n << BigInt(exponent);
      // 1Mi (2^20) has ~6 digits of decimal precision: exponent*3/10 approximates it.
      precision = 15 - s.num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (s.num.length + s.denom.length);
  }
  if (precision >= 0) {
    scale -= s.denom.length;
    if (scale >= NANO) {
      const shifted = s.num + s.denom;
      const value = BigInt(shifted);
      const product = value * multiplier;
      if (product <= MAX_INT64) {
        const mantissa = s.positive ? product : -product;
        const canonical =
          format === 'BinarySI' ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return { ok: true, quantity: { mantissa, exponent: scale, format, ...(canonical ? { text: str } : {}) } };
      }
    }
  }

  // 2. The arbitrary-precision path (inf.Dec upstream).
  if (!/[0-9]/.test(s.value)) return { ok: false, error: QUANTITY_ERRORS.numeric };
  let magnitude = BigInt(s.num + s.denom);
  let exp = -s.denom.length;
  if (base === 10) exp += exponent;
  else magnitude *= 1n << BigInt(exponent);
  // Round a non-zero value away from zero to nano: asking for some resources gives some.
  if (magnitude !== 0n && exp < NANO) {
    const shift = NANO - exp;
    if (magnitude.toString().length <= shift) magnitude = 1n;
    else {
      const d = pow10(shift);
      magnitude = magnitude / d + (magnitude % d === 0n ? 0n : 1n);
    }
    exp = NANO;
  }
  if (format === 'BinarySI') {
    // Binary exponents only come with fraction digits here, so exp ≤ 0 and the scaling stays small.
    const scaleDown = exp < 0 ? pow10(-exp) : 1n;
    const scaledUp = exp > 0 ? magnitude * pow10(exp) : magnitude;
    if (scaledUp > MAX_INT64 * scaleDown) {
      magnitude = MAX_INT64;
      exp = 0;
    } else if (magnitude !== 0n && scaledUp < scaleDown) format = 'DecimalSI';
  }
  return { ok: true, quantity: { mantissa: s.positive ? magnitude : -magnitude, exponent: exp, format } };
}

/** CanonicalizeBytes: the canonical text of a quantity (ignores any kept text). */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  let integer: bigint | undefined;
  if (format === 'BinarySI') {
    integer = integerValue(q);
    // Under 1024 in magnitude, or with a fraction, binary would round: print as DecimalSI.
    if (integer === undefined || abs(integer) < 1024n) format = 'DecimalSI';
  }
  if (format === 'BinarySI' && integer !== undefined) {
    let power = 0;
    while (abs(integer) >= 1024n && integer % 1024n === 0n) {
      integer /= 1024n;
      power++;
    }
    return `${integer}${BINARY_BY_POWER[power] ?? ''}`;
  }
  let mantissa = q.mantissa;
  let exponent = q.exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const down = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(down);
  exponent -= down;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // 1.35 drops a suffix it has no name for (beyond E); see the module comment.
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

/** The value as an integer, or undefined when it has a fraction (or is too large to matter here). */
function integerValue(q: Quantity): bigint | undefined {
  if (q.exponent >= 0) return q.exponent > 64 ? undefined : q.mantissa * pow10(q.exponent);
  const d = pow10(-q.exponent);
  return q.mantissa % d === 0n ? q.mantissa / d : undefined;
}

/** Quantity.String(): the kept text, else the canonical form. */
export function quantityString(q: Quantity): string {
  return q.text ?? formatQuantity(q);
}

/** What `UnmarshalJSON` then `MarshalJSON` make of a JSON value: the stored text, or the decode error. */
export function canonicalQuantity(value: string | number): { ok: true; value: string } | { ok: false; error: string } {
  const parsed = parseQuantity(typeof value === 'number' ? String(value) : value.trim());
  return parsed.ok ? { ok: true, value: quantityString(parsed.quantity) } : parsed;
}

// The walk over an object -------------------------------------------------------------------------

export interface QuantityProblem {
  /** Field path in the object, as the API server writes it (`spec.template.spec.containers[0]...`). */
  field: string;
  message: string;
}

function isQuantityRef(s: SchemaObject | undefined, depth = 0): boolean {
  if (s === undefined || depth > 4) return false;
  if (typeof s.$ref === 'string') return s.$ref.endsWith(`/${QUANTITY_SCHEMA}`);
  return Array.isArray(s.allOf) && s.allOf.length === 1 && isQuantityRef(s.allOf[0], depth + 1);
}

/**
 * Rewrites, in place, every Quantity field of `obj` (per its schema) into its canonical text, as
 * decoding then encoding a built-in object does. Returns the values that do not parse (the API
 * server refuses the whole body with 400 on the first); those are left untouched.
 */
export function canonicalizeQuantities(obj: Record<string, unknown>, c: SchemaCursor | undefined): QuantityProblem[] {
  const problems: QuantityProblem[] = [];
  if (c) visit(obj, c, [], problems);
  return problems;
}

function visit(v: unknown, c: SchemaCursor, path: JsonPath, problems: QuantityProblem[]): void {
  const s = c.schema;
  if (s['x-kubernetes-int-or-string'] === true) return;
  if (Array.isArray(v)) {
    if (s.items === undefined) return;
    v.forEach((x, i) => step(v, i, x, s.items, c, [...path, i], problems));
    return;
  }
  if (!isPlainObject(v)) return;
  if (preservesUnknown(s) && s.properties === undefined) return;
  for (const [k, x] of Object.entries(v)) {
    const raw = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    step(v, k, x, raw, c, [...path, k], problems);
  }
}

function step(parent: Record<string, unknown> | unknown[], key: string | number, x: unknown, raw: SchemaObject | undefined, c: SchemaCursor, path: JsonPath, problems: QuantityProblem[]): void {
  if (raw === undefined || x === null || x === undefined) return;
  if (isQuantityRef(raw)) {
    if (typeof x !== 'string' && typeof x !== 'number') return; // a type error, reported by structure checking
    const r = canonicalQuantity(x);
    if (r.ok) (parent as Record<string | number, unknown>)[key] = r.value;
    else problems.push({ field: toFieldPath(path), message: r.error });
    return;
  }
  const next = cursor(c.doc, raw);
  if (next) visit(x, next, path, problems);
}
