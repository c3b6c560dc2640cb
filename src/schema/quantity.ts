/**
 * The resource.Quantity grammar of apimachinery (`<signedNumber><suffix>`): digits with an
 * optional fraction, then a binary SI suffix (Ki..Ei), a decimal SI suffix (m, k, M..E) or a
 * decimal exponent (e3, E-2). No spaces, no other units. Magnitude and precision are not
 * errors (the server caps and rounds them), so only the syntax is checked.
 */

const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[mkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** True when `text` parses as a Quantity string. */
export function isQuantityString(text: string): boolean {
  return QUANTITY.test(text);
}

/** A Quantity field accepts a well-formed string or any JSON number. */
export function isQuantityValue(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && isQuantityString(value);
}
