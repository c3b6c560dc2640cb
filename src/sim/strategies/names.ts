/** Object name rules with the upstream messages: the default RFC 1123 subdomain and the DNS label rules some kinds use instead. */
import type { StatusCause } from '../../model/status.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A name that must be a DNS label (at most 63 characters matching `re`), failing with `rule`. */
export function dnsLabelName(name: string, re: RegExp, rule: string): StatusCause[] {
  if (re.test(name) && name.length <= 63) return [];
  return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${rule}`, field: 'metadata.name' }];
}

export function subdomainName(name: string): StatusCause[] {
  if (SUBDOMAIN.test(name) && name.length <= 253) return [];
  return [
    {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      field: 'metadata.name',
    },
  ];
}
