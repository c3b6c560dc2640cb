/**
 * How plain scalars become values: the rules of the YAML decoder that kubectl and the API server
 * use (go-yaml v2 via sigs.k8s.io/yaml), not YAML 1.2's core schema. The difference matters for
 * validation: `value: yes` is a boolean to kubectl (and fails against a string field), and
 * `defaultMode: 0644` is the octal 420, not 644.
 *
 * - null: `~`, `null`, `Null`, `NULL`, empty;
 * - booleans: `y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON` and their negative forms;
 * - integers: Go's base-prefix syntax after dropping `_`: `0x1F`, `0o17`, `0b101`, leading-zero
 *   octal `0644`, decimal with optional sign;
 * - floats: `1.5`, `.5`, `1e3`, `.inf`, `-.Inf`, `.nan`;
 * - timestamps stay strings (go-yaml keeps them so when decoding into untyped data); base-60
 *   numbers are strings; merge keys (`<<`) are honoured.
 */
import type { Schema } from 'js-yaml';
import { jsYamlLibrary } from './yaml-library.js';

const INT_PATTERN = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([0-9]+))$/;
const FLOAT_PATTERN = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const DIGITS = '0123456789'.split('');

function parseInteger(source: string): number | undefined {
  const m = INT_PATTERN.exec(source.includes('_') ? source.replace(/_/g, '') : source);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  let magnitude: number;
  if (m[2] !== undefined) magnitude = parseInt(m[2], 16);
  else if (m[3] !== undefined) magnitude = parseInt(m[3], 8);
  else if (m[4] !== undefined) magnitude = parseInt(m[4], 2);
  else if (m[5] !== undefined) magnitude = parseInt(m[5], 8);
  else magnitude = parseInt(m[6]!, 10);
  return magnitude === 0 ? 0 : sign * magnitude;
}

function parseFloatValue(source: string): number | undefined {
  const special = SPECIAL_FLOATS[source];
  if (special !== undefined) return special;
  const plain = source.includes('_') ? source.replace(/_/g, '') : source;
  if (!FLOAT_PATTERN.test(plain)) return undefined;
  const value = Number(plain);
  return Object.is(value, -0) ? 0 : value;
}

let schema: Schema | undefined;

/**
 * The js-yaml schema with Kubernetes' scalar rules, for the documents simple-yaml.ts leaves to
 * js-yaml; built (and js-yaml loaded) on first use.
 */
export function kubernetesSchema(): Schema {
  if (schema) return schema;
  const js = jsYamlLibrary();
  const intTag = js.defineScalarTag<number>('tag:yaml.org,2002:int', {
    implicit: true,
    implicitFirstChars: ['-', '+', ...DIGITS],
    resolve: (source) => parseInteger(source) ?? js.NOT_RESOLVED,
    identify: (data) => typeof data === 'number' && Number.isInteger(data),
  });
  const floatTag = js.defineScalarTag<number>('tag:yaml.org,2002:float', {
    implicit: true,
    implicitFirstChars: ['-', '+', '.', ...DIGITS],
    resolve: (source) => parseFloatValue(source) ?? js.NOT_RESOLVED,
    identify: (data) => typeof data === 'number',
  });
  schema = new js.Schema([js.strTag, js.seqTag, js.mapTag, js.nullYaml11Tag, js.boolYaml11Tag, intTag, floatTag, js.mergeTag]);
  return schema;
}

/** The value of a plain (unquoted, untagged) scalar under the same rules. */
export function resolvePlainScalar(source: string): unknown {
  if (NULLS.has(source)) return null;
  if (TRUES.has(source)) return true;
  if (FALSES.has(source)) return false;
  const c = source.charCodeAt(0);
  if (c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57)) return parseInteger(source) ?? parseFloatValue(source) ?? source;
  return source;
}

/** The property name a mapping key becomes in a plain JavaScript object (as js-yaml's map does). */
export function keyName(value: unknown): string {
  return String(value);
}

/** What a scalar resolver returns for a plain scalar it cannot vouch for: simple-yaml.ts then leaves the document to js-yaml. */
export const NOT_SIMPLE: unique symbol = Symbol('not simple');

/**
 * A plain scalar's value under YAML 1.2's core schema (kubeconfigs: src/cluster/kubeconfig.ts)
 * where it agrees with Kubernetes' rules (resolvePlainScalar): strings, nulls, `true`/`false` in
 * their three spellings, decimal integers without a leading zero. Anything else (`yes`, `0644`,
 * `1_000`, floats...) is NOT_SIMPLE: js-yaml, which knows the core schema, reads the file.
 */
export function resolveCoreScalar(raw: string): unknown {
  const value = resolvePlainScalar(raw);
  if (typeof value === 'string' || value === null) return value;
  if (typeof value === 'boolean') return /^(true|True|TRUE|false|False|FALSE)$/.test(raw) ? value : NOT_SIMPLE;
  return /^(0|[-+]?[1-9][0-9]*)$/.test(raw) && Number.isSafeInteger(value) ? value : NOT_SIMPLE;
}
