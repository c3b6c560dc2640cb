/**
 * The string and number rules of k8s.io/apimachinery/pkg/util/validation that the built-in
 * validation uses beyond names and labels (those are in ../metadata.ts): port numbers and names
 * (IANA_SVC_NAME), environment variable names (the relaxed rule, on by default since 1.32),
 * ConfigMap/Secret keys, user and group ids, quantities. Each returns the API server's messages.
 */
import { longerThan } from '../metadata.js';

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (longerThan(port, 15)) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** IsRelaxedEnvVarName: any printable ASCII but '='. */
const PRINTABLE_NO_EQUALS = /^[\x20-\x3c\x3e-\x7e]+$/;

export function isRelaxedEnvVarName(value: string): string[] {
  if (PRINTABLE_NO_EQUALS.test(value)) return [];
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, 253)) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(value))
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  errs.push(...hasChDirPrefix(value));
  return errs;
}

export function isValidId(id: number): string[] {
  return id >= 0 && id <= 2147483647 ? [] : ['must be between 0 and 2147483647, inclusive'];
}

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/**
 * A quantity's value for comparisons (requests against limits, signs); undefined when it does
 * not parse (the schema check reports that). Doubles are exact enough to order real quantities.
 */
export function quantityValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|([a-zA-Z]*))$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] !== undefined) return n * 10 ** Number(m[2].slice(1));
  const f = SUFFIX[m[3] ?? ''];
  return f === undefined ? undefined : n * f;
}

/** A quantity as written, for messages (the sim canonicalises before validating, as the API server's decoding does). */
export function quantityText(v: unknown): string {
  return typeof v === 'number' ? String(v) : String(v).trim();
}
