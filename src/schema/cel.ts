/**
 * `x-kubernetes-validations`: CEL rules compiled once per schema node and evaluated against the
 * value at that node, with @bufbuild/cel and its strings extension.
 *
 * Limits, reported rather than hidden: transition rules (those reading `oldSelf`) need the
 * stored object and are "not checked"; rules calling a function the library lacks (the
 * Kubernetes libraries: `isURL`, `quantity`, `ip`, `cidr`, list `sum`...) are "not checked"
 * too, found statically so that short-circuiting cannot hide them. A rule is never passed
 * silently. Integers become CEL ints (bigint) unless the schema says `number`.
 */
import type { CelInput } from '@bufbuild/cel';
import { refName, T_NUMBER, type SchemaNode, type ValidationRule } from './compiled.js';
import { celRe2 } from './re2.js';

type Evaluator = (ctx: Record<string, CelInput>) => unknown;

/**
 * The CEL library is large (it is most of a validate run's start-up), and most inputs have no
 * rules at all: it is loaded by `loadCelEngine()` when the schemas in use have rules (the
 * validation pipeline checks with `schemaUsesCel`). A rule met while it is not loaded is
 * reported as not checked, never passed.
 */
interface CelEngine {
  cel: typeof import('@bufbuild/cel');
  strings: typeof import('@bufbuild/cel/ext').strings;
}
let engine: CelEngine | undefined;
let loading: Promise<void> | undefined;

export function loadCelEngine(): Promise<void> {
  loading ??= import('./cel-library.js').then(({ cel, strings }) => {
    engine = { cel, strings };
  });
  return loading;
}

export function celEngineLoaded(): boolean {
  return engine !== undefined;
}

/** Whether a schema (raw, as in documents and CRDs) declares any `x-kubernetes-validations`. */
export function schemaUsesCel(schema: unknown, seen = new Set<unknown>()): boolean {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return false;
  seen.add(schema);
  if (Array.isArray(schema)) return schema.some((s) => schemaUsesCel(s, seen));
  const rec = schema as Record<string, unknown>;
  if (Array.isArray(rec['x-kubernetes-validations']) && rec['x-kubernetes-validations'].length > 0) return true;
  for (const v of Object.values(rec)) if (typeof v === 'object' && schemaUsesCel(v, seen)) return true;
  return false;
}

/**
 * Whether the named component, or any schema it references (`$ref`, to any depth), declares
 * `x-kubernetes-validations`: what validating one kind can meet, without walking the whole
 * document (the core group's has 250 components; a ConfigMap references three).
 */
export function componentUsesCel(name: string, components: Record<string, unknown>): boolean {
  const names = new Set<string>([name]);
  const pending = [name];
  const seen = new Set<unknown>();
  const visit = (schema: unknown): boolean => {
    if (schema === null || typeof schema !== 'object' || seen.has(schema)) return false;
    seen.add(schema);
    if (Array.isArray(schema)) return schema.some(visit);
    const rec = schema as Record<string, unknown>;
    if (Array.isArray(rec['x-kubernetes-validations']) && rec['x-kubernetes-validations'].length > 0) return true;
    const ref = rec.$ref;
    if (typeof ref === 'string') {
      const target = refName(ref);
      if (!names.has(target)) {
        names.add(target);
        pending.push(target);
      }
    }
    for (const v of Object.values(rec)) if (typeof v === 'object' && visit(v)) return true;
    return false;
  };
  for (let n = pending.pop(); n !== undefined; n = pending.pop()) if (visit(components[n])) return true;
  return false;
}

function requireEngine(): CelEngine {
  if (!engine) throw new CelNotLoaded();
  return engine;
}

class CelNotLoaded extends Error {
  constructor() {
    super('the CEL engine was not loaded');
  }
}

export type CompiledRule =
  | { kind: 'check'; rule: ValidationRule; evaluate: Evaluator; messageEvaluate?: Evaluator }
  | { kind: 'skip'; rule: ValidationRule; reason: string }
  | { kind: 'invalid'; rule: ValidationRule; reason: string };

export type RuleOutcome =
  | { kind: 'pass' }
  | { kind: 'fail'; message: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; reason: string };

let env: ReturnType<CelEngine['cel']['celEnv']> | undefined;
function celEnvironment() {
  const { cel, strings } = requireEngine();
  // matches() with Go's RE2 semantics and each pattern compiled once (the library's own compiles per call).
  env ??= cel.celEnv({ funcs: strings, re2: celRe2 });
  return env;
}

/** Operators and macros the evaluator implements without a registered function. */
const BUILTIN_CALLS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '@not_strictly_false', '_[?_]', '_?._']);

interface AstFacts {
  calls: Set<string>;
  idents: Set<string>;
}

function collect(node: unknown, facts: AstFacts): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collect(n, facts);
    return;
  }
  const rec = node as Record<string, unknown>;
  const kind = rec.exprKind as { case?: string; value?: Record<string, unknown> } | undefined;
  if (kind?.case === 'callExpr' && typeof kind.value?.function === 'string') facts.calls.add(kind.value.function);
  if (kind?.case === 'identExpr' && typeof kind.value?.name === 'string') facts.idents.add(kind.value.name);
  for (const [k, v] of Object.entries(rec)) if (k !== '$typeName' && typeof v === 'object') collect(v, facts);
}

function compileExpression(text: string): { evaluate: Evaluator; facts: AstFacts } | { error: string } {
  const { cel } = requireEngine();
  let parsed;
  try {
    parsed = cel.parse(text);
  } catch (e) {
    return { error: `does not compile: ${(e as Error).message.replace(/^<input>:/, '')}` };
  }
  const facts: AstFacts = { calls: new Set(), idents: new Set() };
  collect(parsed.expr, facts);
  const e = celEnvironment();
  return { evaluate: cel.plan(e, parsed) as Evaluator, facts };
}

/** The functions a rule calls that the evaluator lacks, sorted; empty when all are there. */
function unsupportedCalls(facts: AstFacts): string[] {
  const funcs = celEnvironment().funcs;
  return [...facts.calls].filter((name) => !BUILTIN_CALLS.has(name) && funcs.find(name) === undefined).sort();
}

/** Syntax problems of a rule, for the CRD checks; undefined when the rule parses. */
export function ruleSyntaxError(rule: string): string | undefined {
  if (!engine) return undefined; // unchecked syntax is reported when the rule is evaluated
  const c = compileExpression(rule);
  return 'error' in c ? c.error : undefined;
}

/**
 * What the CRD checks need of a rule or messageExpression: whether it compiles (`error`) and
 * whether it reads `oldSelf` (a transition rule). Undefined when the engine is not loaded.
 */
export function analyzeExpression(text: string): { error: string } | { usesOldSelf: boolean; expr: unknown } | undefined {
  if (!engine) return undefined;
  const { cel } = engine;
  let parsed;
  try {
    parsed = cel.parse(text);
  } catch (e) {
    return { error: (e as Error).message.replace(/^<input>:/, '') };
  }
  const facts: AstFacts = { calls: new Set(), idents: new Set() };
  collect(parsed.expr, facts);
  return { usesOldSelf: facts.idents.has('oldSelf'), expr: parsed.expr };
}

export function compileRule(rule: ValidationRule): CompiledRule {
  if (!engine) return { kind: 'skip', rule, reason: 'the CEL engine was not loaded' };
  const c = compileExpression(rule.rule);
  if ('error' in c) return { kind: 'invalid', rule, reason: c.error };
  if (c.facts.idents.has('oldSelf'))
    return { kind: 'skip', rule, reason: 'it is a transition rule (it reads oldSelf, the stored object)' };
  const missing = unsupportedCalls(c.facts);
  if (missing.length > 0)
    return { kind: 'skip', rule, reason: `${missing.length === 1 ? 'function' : 'functions'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not supported` };
  const compiled: CompiledRule = { kind: 'check', rule, evaluate: c.evaluate };
  if (rule.messageExpression !== undefined) {
    const m = compileExpression(rule.messageExpression);
    if (!('error' in m) && unsupportedCalls(m.facts).length === 0) compiled.messageEvaluate = m.evaluate;
  }
  return compiled;
}

export function compiledRules(node: SchemaNode): CompiledRule[] {
  if (node.compiledRules === undefined) node.compiledRules = (node.rules ?? []).map(compileRule);
  return node.compiledRules as CompiledRule[];
}

/** CEL's reserved words: a property so named is `__name__` in rules (apiserver's escaping). */
const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var',
]);

/** A declared property's name as rules spell it (`namespace` → `__namespace__`, `a-b` → `a__dash__b`). */
export function celPropertyName(name: string): string {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return name;
  if (!/[_.\-/]/.test(name)) return name;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/**
 * The value as CEL sees it on the server: ints as bigint (unless the schema says number), lists,
 * maps; declared properties under their escaped names, and absent ones that have a schema default
 * filled in, since the server defaults an object before its rules run.
 */
export function toCel(value: unknown, node: SchemaNode | undefined): CelInput {
  if (typeof value === 'number') {
    if (node && (node.types & T_NUMBER) !== 0) return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(v, node?.items));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, CelInput> = {};
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const declared = node?.properties?.get(k);
      if (declared) out[celPropertyName(k)] = toCel(v, declared);
      else out[k] = toCel(v, typeof node?.additional === 'object' ? node.additional : undefined);
    }
    if (node?.properties)
      for (const [k, child] of node.properties)
        if (child.default !== undefined && !Object.hasOwn(obj, k)) out[celPropertyName(k)] = toCel(child.default, child);
    return out as unknown as CelInput;
  }
  return value as CelInput;
}

const UNSUPPORTED_AT_RUNTIME = /unbound function|no matching overload/;

export function evaluateRule(rule: CompiledRule, self: CelInput): RuleOutcome {
  if (rule.kind === 'skip') return { kind: 'skip', reason: rule.reason };
  if (rule.kind === 'invalid') return { kind: 'skip', reason: rule.reason };
  let result: unknown;
  try {
    result = rule.evaluate({ self });
  } catch (e) {
    result = e;
  }
  if (result === true) return { kind: 'pass' };
  if (requireEngine().cel.isCelError(result) || result instanceof Error) {
    const msg = (result as Error).message;
    if (UNSUPPORTED_AT_RUNTIME.test(msg)) return { kind: 'skip', reason: msg };
    return { kind: 'error', reason: msg };
  }
  if (result !== false) return { kind: 'error', reason: 'the rule does not evaluate to a bool' };
  let message = rule.rule.message ?? `failed rule: ${rule.rule.rule}`;
  if (rule.messageEvaluate) {
    try {
      const m = rule.messageEvaluate({ self });
      if (typeof m === 'string' && m !== '') message = m;
    } catch {
      // The static message (or the rule) stands in, as the server does.
    }
  }
  return { kind: 'fail', message };
}
