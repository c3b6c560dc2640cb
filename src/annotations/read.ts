/**
 * Reads kd's annotations (and their Argo CD and Helm aliases) from one object into typed values.
 * Never throws: a value kd cannot use is reported as a problem and the default (or the next
 * valid alias) is used instead.
 *
 * Precedence: kd's own key, then the aliases in catalogue order (Argo CD before Helm). When a
 * lower-precedence key is also valid and means something else, that is a `conflict` warning.
 * Values that are not strings are left to schema validation (annotations are a string map) and
 * read as absent here.
 */
import type { Severity } from '../model/diagnostic.js';
import {
  COMMAND_PATTERN,
  COMMAND_WORD,
  HOOK_DELETE_POLICIES,
  HOOK_PHASES,
  INTEGER_MAX,
  INTEGER_MIN,
  KD_ANNOTATIONS,
  lookupAnnotation,
  type AnnotationKeySpec,
  type HookDeletePolicy,
  type HookFailurePolicy,
  type HookPhase,
  type KdAnnotationField,
  type KdAnnotationSpec,
} from './catalog.js';
import { suggestValue } from './suggest.js';
import { isPlainObject as isRecord } from '../model/json.js';

export type HealthMode = 'wait' | 'skip';

/** Hook phases; `sync` is Argo CD's `Sync` (a hook created in its wave); `skip` is "not applied". */
export type HookSetting = readonly HookPhase[] | 'sync' | 'skip';

export interface KdAnnotations {
  syncWave: number;
  /** Empty when the object is not a hook. */
  hooks: HookSetting;
  hookWeight: number;
  /** For hooks without a policy, `before-hook-creation` (the default of kd, Argo CD and Helm); empty for non-hooks. */
  hookDeletePolicies: readonly HookDeletePolicy[];
  /** What a failure of this hook does to the run (default `fail`). */
  hookFailurePolicy: HookFailurePolicy;
  keep: boolean;
  /** JSON pointers, as written (still escaped). */
  driftIgnore: readonly string[];
  health: HealthMode;
  /** Undefined when no timeout is set (the command's `--timeout` applies). */
  timeoutMs: number | undefined;
  /** The custom health check kind; undefined when there is none. */
  healthCheck: 'http' | 'command' | undefined;
  healthCheckPath: string;
  /** A port number or name; undefined for the first port. */
  healthCheckPort: number | string | undefined;
  /** Status codes (`200`) and classes (`2xx`). */
  healthCheckExpect: readonly string[];
  /** The command's words; empty when none is set. */
  healthCheckCommand: readonly string[];
  /** Undefined for the first container. */
  healthCheckContainer: string | undefined;
  /** For each field set from an annotation: the key it was read from (kd's or an alias). */
  source: Partial<Record<KdAnnotationField, string>>;
}

export type AnnotationRule = 'annotation/invalid-value' | 'annotation/conflict' | 'annotation/unknown-key';

export interface AnnotationProblem {
  /** The annotation key the problem is about (its value is where it points). */
  key: string;
  severity: Severity;
  rule: AnnotationRule;
  message: string;
  /** Replacement values for the annotation (for quick fixes). */
  suggestions?: string[];
}

export interface ReadAnnotationsResult {
  value: KdAnnotations;
  problems: AnnotationProblem[];
}

/** What a field holds once read (before defaults). */
type FieldValue = number | boolean | string | readonly string[];

interface Parsed {
  value?: FieldValue;
  problems: AnnotationProblem[];
}

/** The annotations map of an object, or an empty map when there is none (or it is malformed). */
export function annotationsOf(object: unknown): Record<string, unknown> {
  if (!isRecord(object)) return {};
  const metadata = object['metadata'];
  if (!isRecord(metadata)) return {};
  const annotations = metadata['annotations'];
  return isRecord(annotations) ? annotations : {};
}

export function defaultKdAnnotations(): KdAnnotations {
  return {
    syncWave: 0,
    hooks: [],
    hookWeight: 0,
    hookDeletePolicies: [],
    hookFailurePolicy: 'fail',
    keep: false,
    driftIgnore: [],
    health: 'wait',
    timeoutMs: undefined,
    healthCheck: undefined,
    healthCheckPath: '/',
    healthCheckPort: undefined,
    healthCheckExpect: ['2xx'],
    healthCheckCommand: [],
    healthCheckContainer: undefined,
    source: {},
  };
}

/** True when the object runs as a hook (in phases or in its wave), rather than being applied normally. */
export function isHook(annotations: Pick<KdAnnotations, 'hooks'>): boolean {
  return annotations.hooks === 'sync' || (Array.isArray(annotations.hooks) && annotations.hooks.length > 0);
}

let hookFamily: readonly AnnotationKeySpec[] | undefined;

/**
 * `isHook(readKdAnnotations(object).value)`, without reading an object that sets none of the
 * hook family's keys (nearly every object: drift asks it of every file, record and live object).
 */
export function isHookObject(object: unknown): boolean {
  const annotations = annotationsOf(object);
  const family = (hookFamily ??= familyOf(lookupAnnotation('kd.io/hook')!.annotation));
  for (let i = 0; i < family.length; i++) if (typeof annotations[family[i]!.key] === 'string') return isHook(readKdAnnotations(object).value);
  return false;
}

export function readKdAnnotations(object: unknown): ReadAnnotationsResult {
  const annotations = annotationsOf(object);
  const value = defaultKdAnnotations();
  const problems: AnnotationProblem[] = [];
  // Most objects carry no annotations: nothing to look up (drift and validate ask for every object).
  if (isEmpty(annotations)) return { value, problems };
  // Only the families the object sets are read (a family none of whose keys holds a string gives
  // no value and no problem): most annotated objects set one or two of kd's, or none.
  const present = new Set<KdAnnotationSpec>();
  for (const key of Object.keys(annotations)) {
    const found = lookupAnnotation(key);
    if (found !== undefined && typeof annotations[key] === 'string') present.add(found.annotation);
  }
  if (present.size === 0) return { value, problems };

  for (const spec of KD_ANNOTATIONS) {
    if (!present.has(spec)) continue;
    let winner: { key: string; value: FieldValue; raw: string } | undefined;
    for (const keySpec of familyOf(spec)) {
      const raw = annotations[keySpec.key];
      if (typeof raw !== 'string') continue;
      const parsed = parseValue(spec, keySpec, raw);
      problems.push(...parsed.problems);
      if (parsed.value === undefined) continue;
      // sherpack's `health-check: "true"` means "on, of the type health-check-type names".
      if (winner === undefined || (winner.value === 'default' && (parsed.value === 'http' || parsed.value === 'command'))) {
        winner = { key: keySpec.key, value: parsed.value, raw };
      } else if (!sameValue(winner.value, parsed.value) && !(parsed.value === 'default' && winner.value !== 'none')) {
        problems.push({
          key: keySpec.key,
          severity: 'warning',
          rule: 'annotation/conflict',
          message: `${keySpec.key} is "${raw}" but ${winner.key} is "${winner.raw}"; kd uses ${winner.key}`,
        });
      }
    }
    if (winner !== undefined) {
      assign(value, spec.field, winner.value);
      value.source[spec.field] = winner.key;
    }
  }

  if (isHook(value) && value.hookDeletePolicies.length === 0) value.hookDeletePolicies = ['before-hook-creation'];
  return { value, problems };
}

const families = new Map<KdAnnotationSpec, readonly AnnotationKeySpec[]>();

/** kd's key of an annotation, then its aliases, in precedence order. */
export function familyOf(spec: KdAnnotationSpec): readonly AnnotationKeySpec[] {
  let family = families.get(spec);
  if (family === undefined) families.set(spec, (family = [spec, ...spec.aliases]));
  return family;
}

/**
 * The fields whose parsed value is not yet the typed one; every other field's parser already
 * yields exactly the type its KdAnnotations field has, so it is stored as it is.
 */
const CONVERT: Partial<Record<KdAnnotationField, (v: FieldValue) => KdAnnotations[KdAnnotationField]>> = {
  // sherpack's health-check "true" (`default`) runs the http check unless a type says otherwise; "false" (`none`) runs none.
  healthCheck: (v) => (v === 'none' ? undefined : v === 'default' ? 'http' : (v as 'http' | 'command')),
  healthCheckPort: (v) => (/^[0-9]+$/.test(v as string) ? Number(v) : (v as string)),
};

function assign(target: KdAnnotations, field: KdAnnotationField, v: FieldValue): void {
  const convert = CONVERT[field];
  (target as Record<KdAnnotationField, unknown>)[field] = convert ? convert(v) : v;
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = [...a].sort();
    const y = [...b].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

// Parsing ---------------------------------------------------------------------------------------

const patternCache = new Map<string, RegExp>();
function matches(pattern: string, text: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re.test(text);
}

function invalid(key: string, message: string, suggestions?: string[]): AnnotationProblem {
  const problem: AnnotationProblem = { key, severity: 'error', rule: 'annotation/invalid-value', message };
  if (suggestions !== undefined && suggestions.length > 0) problem.suggestions = suggestions;
  return problem;
}

function parseValue(spec: KdAnnotationSpec, keySpec: AnnotationKeySpec, raw: string): Parsed {
  switch (keySpec.kind) {
    case 'integer':
      return parseInteger(keySpec, raw);
    case 'duration':
      return parseDuration(keySpec, raw);
    case 'pointer-list':
      return parsePointerList(keySpec, raw);
    case 'enum':
      return parseEnum(spec, keySpec, raw);
    case 'enum-list':
      return parseEnumList(spec, keySpec, raw);
    case 'url-path':
    case 'port':
    case 'dns-label':
      return matches(keySpec.pattern, raw) ? { value: raw, problems: [] } : { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`)] };
    case 'status-list':
      return matches(keySpec.pattern, raw)
        ? { value: splitList(raw), problems: [] }
        : { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`)] };
    case 'command': {
      const words = splitCommand(raw);
      if (words === undefined) return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`)] };
      return { value: words, problems: [] };
    }
  }
}

const WORD = new RegExp(COMMAND_WORD, 'gu');
const WORD_PART = /[^\s'"\\]|\\([\s\S])|'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"/gu;

/**
 * The words of a command line as a POSIX shell splits them (no expansion): backslash escapes the
 * next character, '...' is literal, "..." keeps `\"` and `\\` escapes. Undefined when quotes are
 * unbalanced or the line is empty.
 */
export function splitCommand(line: string): string[] | undefined {
  if (!matches(COMMAND_PATTERN, line)) return undefined;
  const words: string[] = [];
  for (const m of line.matchAll(WORD)) {
    let word = '';
    for (const part of m[0].matchAll(WORD_PART)) {
      if (part[1] !== undefined) word += part[1];
      else if (part[2] !== undefined) word += part[2];
      else if (part[3] !== undefined) word += part[3].replace(/\\([\s\S])/gu, (all, c: string) => ('"\\$`'.includes(c) ? c : all));
      else word += part[0];
    }
    words.push(word);
  }
  return words;
}

function parseInteger(keySpec: AnnotationKeySpec, raw: string): Parsed {
  if (!matches(keySpec.pattern, raw)) {
    const trimmed = raw.trim();
    const fix = trimmed !== raw && matches(keySpec.pattern, trimmed) ? [trimmed] : undefined;
    return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`, fix)] };
  }
  const n = Number(raw);
  if (n < INTEGER_MIN || n > INTEGER_MAX) {
    return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`)] };
  }
  // `-0` and `+3` are accepted as Go's strconv.Atoi accepts them; store a plain number.
  return { value: n === 0 ? 0 : n, problems: [] };
}

const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)/gu;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a Go-style duration (`1h30m`, `90s`, `1.5h`), or undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  if (!/^(?:[0-9]+(?:\.[0-9]+)?(?:ms|h|m|s))+$/u.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(DURATION_PART)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}

function parseDuration(keySpec: AnnotationKeySpec, raw: string): Parsed {
  const ms = matches(keySpec.pattern, raw) ? parseDurationMs(raw) : undefined;
  if (ms === undefined) {
    const fix = /^[0-9]+$/.test(raw.trim()) ? [`${raw.trim()}s`] : undefined;
    return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"`, fix)] };
  }
  if (ms <= 0) return { problems: [invalid(keySpec.key, `${keySpec.key} must be a duration greater than zero, not "${raw}"`)] };
  return { value: ms, problems: [] };
}

function splitList(raw: string): string[] {
  return raw.split(',').map((item) => item.replace(/^ +| +$/g, ''));
}

function parsePointerList(keySpec: AnnotationKeySpec, raw: string): Parsed {
  const items = splitList(raw);
  if (matches(keySpec.pattern, raw)) return { value: items, problems: [] };
  const bad = items.filter((item) => !/^\/(?:[^~]|~[01])*$/u.test(item));
  const first = bad[0] ?? raw;
  const why = first === '' ? 'an item is empty' : `"${first}" is not a JSON pointer`;
  const fixed = items.map((item) => (item === '' || item.startsWith('/') ? item : '/' + item.replace(/\./g, '/')));
  const fix = fixed.every((item) => /^\/(?:[^~]|~[01])*$/u.test(item)) ? [fixed.join(',')] : undefined;
  return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}; ${why}`, fix)] };
}

function parseEnum(spec: KdAnnotationSpec, keySpec: AnnotationKeySpec, raw: string): Parsed {
  const values = keySpec.values ?? [];
  const doc = values.find((v) => v.value === raw);
  if (doc === undefined || !matches(keySpec.pattern, raw)) {
    const guess = suggestValue(raw.trim(), values.map((v) => v.value));
    const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
    return {
      problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}, not "${raw}"${hint}`, guess === undefined ? undefined : [guess])],
    };
  }
  const kdValue = doc.kdValue ?? doc.value;
  return { value: spec.field === 'keep' ? kdValue === 'keep' : kdValue, problems: [] };
}

function parseEnumList(spec: KdAnnotationSpec, keySpec: AnnotationKeySpec, raw: string): Parsed {
  const values = keySpec.values ?? [];
  const items = splitList(raw);
  if (!matches(keySpec.pattern, raw)) {
    const allowed = values.map((v) => v.value);
    const unknown = items.filter((item) => !allowed.includes(item));
    const first = unknown[0] ?? '';
    const why = first === '' ? 'an item is empty' : `"${first}" is not one of them`;
    const guesses = new Map<string, string | undefined>(unknown.map((item) => [item, suggestValue(item, allowed) ?? otherToolsValue(spec, keySpec, item)]));
    const guess = guesses.get(first);
    const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
    const fixable = unknown.every((item) => item === '' || guesses.get(item) !== undefined);
    const fix = fixable ? [items.filter((item) => item !== '').map((item) => guesses.get(item) ?? item).join(',')] : undefined;
    return { problems: [invalid(keySpec.key, `${keySpec.key} must be ${keySpec.valueSyntax}; ${why}${hint}`, fix)] };
  }
  const kdValues = items.map((item) => {
    const doc = values.find((v) => v.value === item);
    return doc?.kdValue ?? doc?.value ?? item;
  });
  if (spec.field === 'hookDeletePolicies') {
    return { value: HOOK_DELETE_POLICIES.filter((p) => kdValues.includes(p)), problems: [] };
  }
  return resolveHooks(keySpec, items, kdValues);
}

/** On kd's own key, a value spelled the Argo CD or Helm way (`PreSync`) suggests the kd value it means. */
function otherToolsValue(spec: KdAnnotationSpec, keySpec: AnnotationKeySpec, item: string): string | undefined {
  if (keySpec !== spec) return undefined;
  const allowed = new Set((spec.values ?? []).map((v) => v.value));
  for (const alias of spec.aliases) {
    const doc = alias.values?.find((v) => v.value.toLowerCase() === item.toLowerCase());
    if (doc?.kdValue !== undefined && allowed.has(doc.kdValue)) return doc.kdValue;
  }
  return undefined;
}

/** Turns mapped hook values into kd's hook setting, following Argo CD where the tools differ. */
function resolveHooks(keySpec: AnnotationKeySpec, items: string[], kdValues: string[]): Parsed {
  const problems: AnnotationProblem[] = [];
  const warn = (message: string) => problems.push({ key: keySpec.key, severity: 'warning', rule: 'annotation/invalid-value', message });
  const used = kdValues.filter((v) => v !== 'none');
  if (used.length === 0) {
    const ignored = [...new Set(items)].map((i) => `"${i}"`).join(', ');
    warn(`${keySpec.key} ${ignored} has no kd equivalent (kd ignores test hooks), so kd does not apply this object`);
    return { value: 'skip', problems };
  }
  const meaningful = used.filter((v) => v !== 'skip');
  if (meaningful.length === 0) return { value: 'skip', problems };
  if (meaningful.length < used.length) warn(`${keySpec.key}: Skip is ignored when combined with other hooks (as Argo CD does)`);
  const phases = HOOK_PHASES.filter((p) => meaningful.includes(p));
  if (meaningful.includes('sync')) {
    if (phases.length === 0) return { value: 'sync', problems };
    warn(`${keySpec.key}: kd cannot run a hook both in its wave (Sync) and in other phases; it runs only in ${phases.join(', ')}`);
  }
  return { value: phases, problems };
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}
