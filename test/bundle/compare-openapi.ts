/**
 * Compares two `/openapi/v3` document sets (the generated bundle and real kube-apiserver
 * documents) and lists every difference that matters to kd: per definition the property names,
 * types, formats, `enum` values, `$ref` targets, `required`, the `x-kubernetes-*` extensions; per REST path the
 * methods, actions, group-version-kinds, operation ids and parameters. Descriptions and
 * defaults are not compared. A difference is one line, so a losses list can name it exactly.
 */

export interface Difference {
  /** `api/v1` or `apis/<group>/<version>`. */
  doc: string;
  /** Schema name or REST path the difference is in; '' for the document itself. */
  subject: string;
  /** Where inside the subject: `spec.items.additionalProperties`, `get`, `get.parameters.watch`. */
  at: string;
  /** What differs: `type`, `$ref`, `missing`, `extra`, `required`, `x-kubernetes-list-type`, ... */
  aspect: string;
  expected: string;
  actual: string;
}

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Json>;
  components: { schemas: Record<string, Json> };
}

const EXTENSIONS = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-unions',
  'x-kubernetes-validations',
];

const show = (v: unknown): string => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));

/** Enum values as a set: the server sorts them, the order carries no meaning. */
const sortedEnum = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? [...(v as unknown[])].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))) : undefined);

/** `allOf: [{$ref}]` (how the server attaches a description to a reference) is the reference. */
function unwrap(s: Json | undefined): Json | undefined {
  if (s === undefined) return undefined;
  const allOf = s.allOf as Json[] | undefined;
  if (allOf?.length === 1 && allOf[0]?.$ref !== undefined) return { ...s, $ref: allOf[0].$ref, allOf: undefined };
  return s;
}

function compareSchema(out: Difference[], base: Omit<Difference, 'at' | 'aspect' | 'expected' | 'actual'>, at: string, e0: Json | undefined, a0: Json | undefined): void {
  const e = unwrap(e0);
  const a = unwrap(a0);
  const push = (aspect: string, expected: unknown, actual: unknown) => {
    if (show(expected) !== show(actual)) out.push({ ...base, at, aspect, expected: show(expected), actual: show(actual) });
  };
  if (e === undefined || a === undefined) {
    push('present', e !== undefined, a !== undefined);
    return;
  }
  push('type', e.type, a.type);
  push('format', e.format, a.format);
  push('$ref', e.$ref, a.$ref);
  push('oneOf', (e.oneOf as Json[] | undefined)?.map((x) => x.type), (a.oneOf as Json[] | undefined)?.map((x) => x.type));
  push('enum', sortedEnum(e.enum), sortedEnum(a.enum));
  for (const x of EXTENSIONS) push(x, e[x], a[x]);
  const gvk = (s: Json) => (s['x-kubernetes-group-version-kind'] as Array<Json> | undefined)?.map((g) => `${g.group}/${g.version}/${g.kind}`).sort();
  if (at === '') {
    const eg = gvk(e) ?? [];
    const ag = gvk(a) ?? [];
    for (const g of eg) if (!ag.includes(g)) out.push({ ...base, at, aspect: 'x-kubernetes-group-version-kind', expected: g, actual: '-' });
    for (const g of ag) if (!eg.includes(g)) out.push({ ...base, at, aspect: 'x-kubernetes-group-version-kind', expected: '-', actual: g });
  }
  const er = ((e.required as string[] | undefined) ?? []).slice().sort();
  const ar = ((a.required as string[] | undefined) ?? []).slice().sort();
  for (const r of er) if (!ar.includes(r)) out.push({ ...base, at: join(at, r), aspect: 'required', expected: 'required', actual: 'optional' });
  for (const r of ar) if (!er.includes(r)) out.push({ ...base, at: join(at, r), aspect: 'required', expected: 'optional', actual: 'required' });
  if (e.items !== undefined || a.items !== undefined) compareSchema(out, base, join(at, '[]'), e.items as Json, a.items as Json);
  const eap = e.additionalProperties;
  const aap = a.additionalProperties;
  if (typeof eap === 'object' || typeof aap === 'object') {
    compareSchema(out, base, join(at, '{}'), typeof eap === 'object' ? (eap as Json) : undefined, typeof aap === 'object' ? (aap as Json) : undefined);
  } else push('additionalProperties', eap, aap);
  const ep = (e.properties as Record<string, Json> | undefined) ?? {};
  const ap = (a.properties as Record<string, Json> | undefined) ?? {};
  for (const k of Object.keys(ep).sort()) {
    if (!(k in ap)) out.push({ ...base, at: join(at, k), aspect: 'missing', expected: 'property', actual: '-' });
    else compareSchema(out, base, join(at, k), ep[k], ap[k]);
  }
  for (const k of Object.keys(ap).sort()) if (!(k in ep)) out.push({ ...base, at: join(at, k), aspect: 'extra', expected: '-', actual: 'property' });
}

const join = (a: string, b: string) => (a === '' ? b : `${a}.${b}`);

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

function params(item: Json, op: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of [...((item.parameters as Json[] | undefined) ?? []), ...((op.parameters as Json[] | undefined) ?? [])]) {
    out.set(`${p.in}:${p.name}`, `${(p.schema as Json | undefined)?.type}${p.required ? ' required' : ''}`);
  }
  return out;
}

function comparePath(out: Difference[], doc: string, path: string, e: Json, a: Json): void {
  const push = (at: string, aspect: string, expected: unknown, actual: unknown) => {
    if (show(expected) !== show(actual)) out.push({ doc, subject: path, at, aspect, expected: show(expected), actual: show(actual) });
  };
  for (const m of METHODS) {
    const eo = e[m] as Json | undefined;
    const ao = a[m] as Json | undefined;
    if (eo === undefined && ao === undefined) continue;
    if (eo === undefined || ao === undefined) {
      push(m, 'method', eo !== undefined ? 'present' : '-', ao !== undefined ? 'present' : '-');
      continue;
    }
    push(m, 'operationId', eo.operationId, ao.operationId);
    push(m, 'x-kubernetes-action', eo['x-kubernetes-action'], ao['x-kubernetes-action']);
    push(m, 'x-kubernetes-group-version-kind', eo['x-kubernetes-group-version-kind'], ao['x-kubernetes-group-version-kind']);
    const ep = params(e, eo);
    const ap = params(a, ao);
    for (const [k, v] of ep) push(`${m}.parameters.${k}`, 'parameter', v, ap.get(k));
    for (const [k, v] of ap) if (!ep.has(k)) push(`${m}.parameters.${k}`, 'parameter', undefined, v);
    const body = (o: Json) => {
      const c = (o.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      return c === undefined ? undefined : [...new Set(Object.values(c).map((x) => show((x.schema as Json | undefined)?.$ref)))].join(' ');
    };
    push(m, 'requestBody', body(eo), body(ao));
    const ok = (o: Json) => {
      const c = ((o.responses as Record<string, Json> | undefined)?.['200'] as Json | undefined)?.content as Record<string, Json> | undefined;
      return c === undefined ? undefined : [...new Set(Object.values(c).map((x) => show((x.schema as Json | undefined)?.$ref ?? (x.schema as Json | undefined)?.type)))].join(' ');
    };
    push(m, 'response', ok(eo), ok(ao));
  }
}

/** Every difference between `expected` (real documents) and `actual` (the bundle). */
export function compareDocuments(expected: Map<string, Doc>, actual: Map<string, Doc>): Difference[] {
  const out: Difference[] = [];
  for (const gv of [...expected.keys()].sort()) {
    if (!actual.has(gv)) out.push({ doc: gv, subject: '', at: '', aspect: 'missing', expected: 'document', actual: '-' });
  }
  for (const gv of [...actual.keys()].sort()) {
    const a = actual.get(gv)!;
    const e = expected.get(gv);
    if (e === undefined) {
      out.push({ doc: gv, subject: '', at: '', aspect: 'extra', expected: '-', actual: 'document' });
      continue;
    }
    const es = e.components.schemas;
    const as = a.components.schemas;
    for (const name of Object.keys(es).sort()) {
      if (!(name in as)) out.push({ doc: gv, subject: name, at: '', aspect: 'missing', expected: 'definition', actual: '-' });
      else compareSchema(out, { doc: gv, subject: name }, '', es[name], as[name]);
    }
    for (const name of Object.keys(as).sort()) if (!(name in es)) out.push({ doc: gv, subject: name, at: '', aspect: 'extra', expected: '-', actual: 'definition' });
    for (const p of Object.keys(e.paths).sort()) {
      if (!(p in a.paths)) out.push({ doc: gv, subject: p, at: '', aspect: 'missing', expected: 'path', actual: '-' });
      else comparePath(out, gv, p, e.paths[p]!, a.paths[p]!);
    }
    for (const p of Object.keys(a.paths).sort()) if (!(p in e.paths)) out.push({ doc: gv, subject: p, at: '', aspect: 'extra', expected: '-', actual: 'path' });
  }
  return out;
}

export function formatDifference(d: Difference): string {
  return `${d.doc} ${d.subject}${d.at ? ` @${d.at}` : ''} ${d.aspect}: expected ${d.expected}, got ${d.actual}`;
}
