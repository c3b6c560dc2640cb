/**
 * The string formats kube-apiserver checks (the kube-openapi format registry): a value that
 * does not match is rejected. Formats it does not know are accepted, as the server does.
 * Integer formats are ranges, checked by the validator on numbers.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAC = /^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
// µ written as an escape: the built command files are pure ASCII (scripts/build.mjs).
const DURATION = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|ms|s|m|h|d|w))+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || s.length < 2) return false;
  let body = s;
  const groupsNeeded = 8;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    body = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = head.length + rest.length;
  return halves.length === 2 ? count < groupsNeeded : count === groupsNeeded;
}

/** Why `value` does not match `format`, or undefined when it does (or the format is unknown). */
export function checkStringFormat(format: string, value: string): string | undefined {
  switch (format) {
    case 'date-time':
    case 'datetime': {
      const m = DATE_TIME.exec(value);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 60)
        return 'must be an RFC 3339 date-time, like 2024-01-31T12:00:00Z';
      return undefined;
    }
    case 'date': {
      const m = DATE.exec(value);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) ? undefined : 'must be a date, like 2024-01-31';
    }
    case 'byte': {
      const compact = value.replace(/[\r\n]/g, '');
      return compact.length % 4 === 0 && BASE64.test(compact) ? undefined : 'must be base64-encoded data';
    }
    case 'uuid':
    case 'uuid3':
    case 'uuid4':
    case 'uuid5':
      return UUID.test(value) ? undefined : 'must be a UUID';
    case 'hostname':
      return HOSTNAME.test(value) ? undefined : 'must be a hostname (RFC 1123)';
    case 'email':
      return EMAIL.test(value) ? undefined : 'must be an email address';
    case 'ipv4':
      return isIPv4(value) ? undefined : 'must be an IPv4 address';
    case 'ipv6':
      return isIPv6(value) ? undefined : 'must be an IPv6 address';
    case 'cidr': {
      const slash = value.indexOf('/');
      const ip = value.slice(0, slash);
      const bits = value.slice(slash + 1);
      const ok = slash > 0 && /^\d{1,3}$/.test(bits) && (isIPv4(ip) ? +bits <= 32 : isIPv6(ip) && +bits <= 128);
      return ok ? undefined : 'must be a CIDR, like 10.0.0.0/8';
    }
    case 'mac':
      return MAC.test(value) ? undefined : 'must be a MAC address';
    case 'duration':
      return DURATION.test(value) ? undefined : 'must be a duration, like 30s or 1h30m';
    case 'uri':
      return URI.test(value) ? undefined : 'must be an absolute URI';
    default:
      return undefined;
  }
}

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -9223372036854775808, max: 9223372036854775807 };

/** Why an integer is out of its format's range, or undefined. */
export function checkIntegerFormat(format: string, value: number): string | undefined {
  const range = format === 'int32' ? INT32 : format === 'int64' ? INT64 : undefined;
  if (!range) return undefined;
  if (value < range.min || value > range.max) return `must fit in ${format} (${range.min} to ${range.max})`;
  return undefined;
}
