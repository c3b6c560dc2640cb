/**
 * Generates the built-in Kubernetes schema bundle from the pinned @kubernetes/client-node package:
 * `schemas/kubernetes/api/v1.json` and `schemas/kubernetes/apis/<group>/<version>.json`, in the
 * layout and shape kube-apiserver serves at `/openapi/v3`, plus `schemas/kubernetes/bundle.json`
 * (where the documents came from and what they are known to lack).
 *
 * Sources, all inside the client package: the model classes (`attributeTypeMap` in the `.js`
 * files, descriptions and optionality in the `.d.ts` files) become `components.schemas`; the
 * request builders of the `*Api.js` classes (REST path, HTTP method, query parameters, body and
 * response types) become `paths`. What the client's code generator threw away (schema names,
 * Quantity and int-or-string fields, list and map semantics, strategic-merge-patch keys, the
 * allowed values of enumerated string fields, the deprecated `/watch/` paths) is put back from the knowledge tables at the end of this file;
 * what cannot be put back is listed in `schemas/bundle-losses.json`, and
 * `test/reference/bundle-vs-1.35.test.ts` keeps both honest against real 1.35 documents.
 *
 * Invariants: the output depends only on the client package, this file and the losses file
 * (no clock, no network, nothing outside the repository), so builds are reproducible; when the
 * stamp file is newer than all three, nothing is done.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = path.dirname(path.dirname(here));

/**
 * @param {{ outDir?: string, clientDir?: string, force?: boolean }} [options]
 * @returns {{ outDir: string, skipped: boolean, files: number, bytes: number, durationMs: number }}
 */
export function generateBundle(options = {}) {
  const started = performance.now();
  const outDir = options.outDir ?? path.join(root, 'schemas', 'kubernetes');
  const clientDir = options.clientDir ?? path.join(root, 'node_modules', '@kubernetes', 'client-node');
  const lossesFile = path.join(root, 'schemas', 'bundle-losses.json');
  const stampFile = path.join(outDir, '.stamp');

  // 1. Skip when the stamp is newer than every input and records the same inputs.
  const inputs = [path.join(clientDir, 'package.json'), here, lossesFile];
  const fingerprint = inputs.map((f) => `${path.basename(f)}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('\n');
  if (!options.force) {
    try {
      const stamp = statSync(stampFile);
      if (inputs.every((f) => statSync(f).mtimeMs <= stamp.mtimeMs) && readFileSync(stampFile, 'utf8') === fingerprint) {
        return { outDir, skipped: true, files: 0, bytes: 0, durationMs: performance.now() - started };
      }
    } catch {
      // No stamp yet: generate.
    }
  }

  // 2. Read the client, build the documents, write them to a fresh directory and swap it in,
  //    so a reader never sees half a bundle.
  const client = readClient(path.join(clientDir, 'dist', 'gen'));
  const clientVersion = JSON.parse(readFileSync(path.join(clientDir, 'package.json'), 'utf8')).version;
  const losses = JSON.parse(readFileSync(lossesFile, 'utf8'));
  const { documents, report, unmatchedEnums } = buildDocuments(client);

  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  try {
    for (const [gv, doc] of documents) {
      for (const [file, text] of [
        [path.join(tmp, `${gv}.json`), JSON.stringify(doc)],
        [path.join(tmp, LEAN_DIR, `${gv}.json`), JSON.stringify(leanDocument(doc))],
      ]) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        bytes += text.length;
      }
      files++;
      const gvParts = gv.split('/');
      const groupVersion = gvParts[0] === 'api' ? { group: '', version: gvParts[1] } : { group: gvParts[1], version: gvParts[2] };
      for (const [kind, kindDoc] of kindDocuments(leanDocument(doc), groupVersion)) {
        const file = path.join(tmp, LEAN_DIR, KINDS_DIR, gv, `${kind}.json`);
        const text = JSON.stringify(kindDoc);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        bytes += text.length;
      }
    }
    const meta = {
      kubernetesVersion: client.kubernetesVersion,
      source: { package: '@kubernetes/client-node', version: clientVersion, specVersion: client.specVersion },
      generator: 'scripts/gen-bundle.mjs',
      groupVersions: [...documents.keys()],
      // The same documents with only what validation reads of their paths (see leanDocument).
      lean: LEAN_DIR,
      // Inside lean: one document per kind, `<group-version>/<Kind>.json` (see kindDocuments).
      kinds: KINDS_DIR,
      patched: report,
      // Enum facts naming no string property of the client's models: empty unless a table entry
      // has a typo or the client dropped a field (test/bundle checks it stays empty).
      unmatchedEnums,
      losses: losses.losses,
    };
    writeFileSync(path.join(tmp, 'bundle.json'), JSON.stringify(meta, null, 2) + '\n');
    writeFileSync(path.join(tmp, '.stamp'), fingerprint);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { outDir, skipped: false, files, bytes, durationMs: performance.now() - started };
}

/** Where the validation-only copies of the documents go, inside the bundle folder. */
const LEAN_DIR = 'lean';

/**
 * A document as validation reads it, for commands that only validate (validate, drift, apply,
 * kd-lsp): components whole (schemas, descriptions for hover), and of the REST paths only what
 * `servedResources` reads (every path and method, each operation's action and kind, and whether a
 * list takes `watch`). The paths are three quarters of a document's bytes (operation descriptions
 * and parameters) and parsing them was most of a small run's schema cost. kd sim serves the full
 * documents: kubectl reads their paths. `test/bundle/lean.test.ts` checks that both give the same
 * resources.
 */
function leanDocument(doc) {
  const paths = {};
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    const lean = {};
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || op === null || typeof op !== 'object') continue;
      const o = {};
      if (op['x-kubernetes-action'] !== undefined) o['x-kubernetes-action'] = op['x-kubernetes-action'];
      if (op['x-kubernetes-group-version-kind'] !== undefined) o['x-kubernetes-group-version-kind'] = op['x-kubernetes-group-version-kind'];
      const watch = (op.parameters ?? []).find((x) => x.name === 'watch');
      if (watch) o.parameters = [{ name: watch.name, in: watch.in }];
      lean[method] = o;
    }
    paths[p] = lean;
  }
  return { ...doc, paths };
}

/** Where the per-kind documents go, inside the lean folder. */
const KINDS_DIR = 'kinds';

/**
 * One validation document per kind of a group-version (issue 17): the REST paths of every
 * resource that serves the kind (subresources included) and the components its schemas reach
 * through `$ref`s, without descriptions (validation reads none). A command validating a few kinds
 * parses these instead of whole group-version documents (a ConfigMap's is 4 KB of the core
 * group's 380 KB); `x-kd-cel` says whether any of the kind's schemas has CEL rules. They give
 * the registry what the lean document gives for that kind: the paths
 * and candidate schemas (every component whose `x-kubernetes-group-version-kind` names the kind)
 * keep the document's order, so the first plural and the chosen schema are the same.
 * `test/bundle/lean.test.ts` checks every kind; the registry falls back to the group-version
 * document for any kind without one. Kinds whose names differ only in case are left out (they
 * would share a file on a case-insensitive file system).
 *
 * @returns {Map<string, object>}
 */
function kindDocuments(doc, gv) {
  const prefix = gv.group === '' ? `/api/${gv.version}/` : `/apis/${gv.group}/${gv.version}/`;
  // The plural of each path and the kind its own (non-subresource) operations name, as
  // servedResources in src/schema/resources.ts reads them.
  /** @type {Map<string, string>} */
  const kindOfPlural = new Map();
  /** @type {Array<[string, string]>} */
  const pluralOfPath = [];
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    if (!p.startsWith(prefix)) continue;
    let rest = p.slice(prefix.length).split('/').filter((x) => x !== '');
    if (rest[0] === 'watch') rest = rest.slice(1);
    if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length >= 3) rest = rest.slice(2);
    const plural = rest[0];
    if (plural === undefined || plural.startsWith('{')) continue;
    pluralOfPath.push([p, plural]);
    if (rest[1] === '{name}' && rest[2] !== undefined) continue;
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || op === null || typeof op !== 'object') continue;
      const g = op['x-kubernetes-group-version-kind'];
      if (g && !kindOfPlural.has(plural) && g.group === gv.group && g.version === gv.version) kindOfPlural.set(plural, g.kind);
    }
  }
  const components = doc.components?.schemas ?? {};
  /** @type {Map<string, string[]>} */
  const candidates = new Map();
  for (const [name, schema] of Object.entries(components)) {
    for (const g of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (g.group !== gv.group || g.version !== gv.version) continue;
      if (!candidates.has(g.kind)) candidates.set(g.kind, []);
      if (!candidates.get(g.kind).includes(name)) candidates.get(g.kind).push(name);
    }
  }
  const kinds = [...new Set(kindOfPlural.values())].filter((k) => candidates.has(k) && /^[A-Za-z0-9]+$/.test(k));
  const lower = kinds.map((k) => k.toLowerCase());
  const out = new Map();
  for (const kind of kinds) {
    if (lower.filter((l) => l === kind.toLowerCase()).length > 1) continue;
    const paths = {};
    for (const [p, plural] of pluralOfPath) if (kindOfPlural.get(plural) === kind) paths[p] = doc.paths[p];
    const reached = new Set();
    const pending = [...candidates.get(kind)];
    while (pending.length > 0) {
      const name = pending.pop();
      if (reached.has(name) || components[name] === undefined) continue;
      reached.add(name);
      JSON.stringify(components[name], (key, value) => {
        if (key === '$ref' && typeof value === 'string') pending.push(value.replace(/^#\/(components\/schemas|definitions)\//, ''));
        return value;
      });
    }
    const schemas = {};
    for (const name of Object.keys(components)) if (reached.has(name)) schemas[name] = withoutDescriptions(components[name]);
    // Whether any schema the kind reaches has CEL rules, so that a run need not walk them to know.
    let cel = false;
    JSON.stringify(schemas, (key, value) => {
      if (key === 'x-kubernetes-validations' && Array.isArray(value) && value.length > 0) cel = true;
      return value;
    });
    out.set(kind, { openapi: doc.openapi, info: doc.info, 'x-kd-cel': cel, paths, components: { schemas } });
  }
  return out;
}

/** A schema without its (and its sub-schemas') `description`; values (enum, default, example) are kept as they are. */
function withoutDescriptions(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' && typeof value === 'string') continue;
    if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutDescriptions(v)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = Array.isArray(value) ? value.map(withoutDescriptions) : withoutDescriptions(value);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = Array.isArray(value) ? value.map(withoutDescriptions) : value;
    } else out[key] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading the client package

/**
 * @typedef {{ name: string, baseName: string, type: string, format: string, optional: boolean, description?: string }} ModelProperty
 * @typedef {{ className: string, description?: string, properties: ModelProperty[] }} Model
 * @typedef {{ name: string, in: 'path' | 'query', type: string, description?: string }} Param
 * @typedef {{ method: string, path: string, httpMethod: string, description?: string, params: Param[],
 *   bodyType?: string, bodyMediaTypes: string[], responses: Array<{ code: string, type: string }> }} Operation
 * @typedef {{ className: string, prefix: string, group: string, version: string, operations: Operation[] }} ApiClass
 */

function decodeEntities(text) {
  return text
    .replace(/\\(&#?\w+;)/g, '$1')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function docText(comment) {
  if (comment === undefined) return undefined;
  const text = comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .replace(/\\'/g, "'");
  return text === '' ? undefined : text;
}

export function readClient(genDir) {
  const header = readFileSync(path.join(genDir, 'models', 'V1Pod.js'), 'utf8');
  const specVersion = /OpenAPI spec version: (\S+)/.exec(header)?.[1] ?? 'unknown';
  const kubernetesVersion = /(\d+\.\d+)/.exec(specVersion)?.[1] ?? 'unknown';

  // Only what the package exports is current: its generator leaves stale files of removed
  // group-versions behind.
  const all = readFileSync(path.join(genDir, 'models', 'all.js'), 'utf8');
  /** @type {Map<string, Model>} */
  const models = new Map();
  for (const [, className] of all.matchAll(/from '\.\.\/models\/(\w+)\.js'/g)) {
    const js = readFileSync(path.join(genDir, 'models', `${className}.js`), 'utf8');
    const dts = readFileSync(path.join(genDir, 'models', `${className}.d.ts`), 'utf8');
    const mapText = /attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(js)?.[1];
    if (mapText === undefined) continue;
    const classDoc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(dts)?.[1];
    const propDocs = new Map();
    const body = dts.slice(dts.indexOf('export declare class'));
    for (const m of body.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\?)?:/g)) {
      propDocs.set(m[2], { description: docText(m[1]), optional: m[3] === '?' });
    }
    const properties = JSON.parse(mapText).map((a) => {
      const d = propDocs.get(a.name);
      return { ...a, optional: d?.optional ?? true, description: d?.description };
    });
    models.set(className, { className, description: docText(classDoc), properties });
  }

  const index = readFileSync(path.join(genDir, 'index.js'), 'utf8');
  /** @type {ApiClass[]} */
  const apis = [];
  for (const [, className] of index.matchAll(/Object(\w+V\d+(?:alpha\d+|beta\d+)?Api) as /g)) {
    apis.push(readApi(genDir, className));
  }
  return { specVersion, kubernetesVersion, models, apis };
}

/** @returns {ApiClass} */
function readApi(genDir, className) {
  const text = readFileSync(path.join(genDir, 'apis', `${className}.js`), 'utf8');
  const factoryEnd = text.indexOf(`export class ${className}ResponseProcessor`);
  const factory = text.slice(0, factoryEnd);
  const processor = text.slice(factoryEnd);
  const responsesByMethod = new Map();
  for (const m of processor.matchAll(/async (\w+)WithHttpInfo\(response\) \{([\s\S]*?)\n    \}/g)) {
    const responses = [];
    for (const r of m[2].matchAll(/isCodeInRange\("(\d+)"[^\n]*\n\s*const body = ObjectSerializer\.deserialize\([^\n]*?, "([^"]+)", "[^"]*"\)/g)) {
      responses.push({ code: r[1], type: r[2] });
    }
    responsesByMethod.set(m[1], responses);
  }
  /** @type {Operation[]} */
  const operations = [];
  for (const m of factory.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*async (\w+)\(([^)]*)\) \{([\s\S]*?)\n    \}/g)) {
    const [, comment, method, , body] = m;
    const lines = comment.split('\n').map((l) => l.replace(/^\s*\*\s?/, ''));
    const description = decodeEntities(lines.filter((l) => l.trim() !== '' && !l.startsWith('@')).join(' ').trim());
    const paramDocs = new Map();
    for (const l of lines) {
      const p = /^@param (\w+)\s*(.*)$/.exec(l);
      if (p) paramDocs.set(p[1], decodeEntities(p[2].trim()));
    }
    const localPath = /const localVarPath = '([^']+)'/.exec(body)?.[1];
    const httpMethod = /makeRequestContext\(localVarPath, HttpMethod\.(\w+)\)/.exec(body)?.[1];
    if (localPath === undefined || httpMethod === undefined) continue;
    /** @type {Param[]} */
    const params = [];
    for (const p of body.matchAll(/\.replace\('\{' \+ '(\w+)' \+ '\}'/g)) {
      params.push({ name: p[1], in: 'path', type: 'string', description: paramDocs.get(p[1]) });
    }
    for (const p of body.matchAll(/setQueryParam\("(\w+)", ObjectSerializer\.serialize\((\w+), "(\w+)", "[^"]*"\)\)/g)) {
      params.push({ name: p[1], in: 'query', type: p[3], description: paramDocs.get(p[2]) });
    }
    const bodyType = /ObjectSerializer\.serialize\(body, "([^"]+)", "[^"]*"\)/.exec(body)?.[1];
    const mediaList = /getPreferredMediaType\(\[([^\]]*)\]\)/.exec(body)?.[1] ?? '';
    const bodyMediaTypes = [...mediaList.matchAll(/"([^"]+)"/g)].map((x) => x[1]);
    operations.push({
      method,
      path: localPath,
      httpMethod: httpMethod.toLowerCase(),
      description: description || undefined,
      params,
      bodyType,
      bodyMediaTypes,
      responses: responsesByMethod.get(method) ?? [],
    });
  }
  const prefix = className.slice(0, -'Api'.length);
  const first = operations[0]?.path ?? '';
  const gv = /^\/api\/(v\w+)\//.exec(first) ?? /^\/apis\/([^/]+)\/(v\w+)\//.exec(first);
  const group = gv && gv.length === 3 ? gv[1] : '';
  const version = gv ? gv[gv.length - 1] : '';
  return { className, prefix, group, version, operations };
}

// ---------------------------------------------------------------------------------------------
// Schema names

const VERSION_RE = /^V(\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;
const PREFIXED_RE = /^([A-Z][a-z]+)V(\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

/** The Go package of a group's types, as the schema names spell it. */
function packageOf(group, version) {
  const special = {
    '': 'io.k8s.api.core',
    'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
    'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
    'internal.apiserver.k8s.io': 'io.k8s.api.apiserverinternal',
  };
  return `${special[group] ?? `io.k8s.api.${group.split('.')[0]}`}.${version}`;
}

/**
 * Maps each client class to its schema name and API group. The client drops the Go package:
 * `V1DeploymentSpec` is `io.k8s.api.apps.v1.DeploymentSpec`. Classes whose short name clashes
 * carry the package (`CoreV1EndpointPort`); meta types and the few types used first by another
 * group come from the tables; every other class belongs to the group whose API reaches it in the
 * fewest steps, among the groups serving its version.
 */
export function nameModels(client) {
  /** @type {Map<string, { schema: string, group: string, version: string, kind: string }>} */
  const names = new Map();
  const groupsByPackageWord = new Map();
  for (const api of client.apis) groupsByPackageWord.set(packageOf(api.group, api.version).split('.').at(-2), api.group);

  // Distance from each group-version's API types to every class of the same version.
  const distance = new Map(); // className -> Map<group, number>
  for (const api of client.apis) {
    const queue = [];
    const seen = new Set();
    for (const op of api.operations) {
      for (const t of [op.bodyType, ...op.responses.map((r) => r.type)]) {
        if (t && client.models.has(t) && versionOf(t) === api.version && !seen.has(t)) {
          seen.add(t);
          queue.push([t, 0]);
        }
      }
    }
    while (queue.length > 0) {
      const [cls, d] = /** @type {[string, number]} */ (queue.shift());
      const byGroup = distance.get(cls) ?? new Map();
      if (!byGroup.has(api.group) || byGroup.get(api.group) > d) byGroup.set(api.group, d);
      distance.set(cls, byGroup);
      for (const p of client.models.get(cls)?.properties ?? []) {
        for (const ref of p.type.match(/\b[A-Z]\w*\b/g) ?? []) {
          if (client.models.has(ref) && versionOf(ref) === api.version && !seen.has(ref)) {
            seen.add(ref);
            queue.push([ref, d + 1]);
          }
        }
      }
    }
  }

  for (const className of client.models.keys()) {
    const known = KNOWN_NAMES[className];
    if (known !== undefined) {
      names.set(className, { schema: known, group: '', version: '', kind: known.split('.').at(-1) });
      continue;
    }
    const prefixed = PREFIXED_RE.exec(className);
    const versioned = VERSION_RE.exec(className);
    let group;
    let version;
    let kind;
    if (prefixed) {
      group = groupsByPackageWord.get(prefixed[1].toLowerCase()) ?? '';
      version = `v${prefixed[2]}`;
      kind = prefixed[3];
    } else if (versioned) {
      version = `v${versioned[1]}`;
      kind = versioned[2];
      group = GROUP_OF_CLASS[className];
      if (group === undefined) {
        const byGroup = [...(distance.get(className) ?? new Map())].sort((a, b) => a[1] - b[1] || groupRank(a[0]) - groupRank(b[0]));
        group = byGroup[0]?.[0] ?? '';
      }
    } else {
      continue;
    }
    names.set(className, { schema: `${packageOf(group, version)}.${kind}`, group, version, kind });
  }
  return names;
}

function versionOf(className) {
  const m = PREFIXED_RE.exec(className) ?? VERSION_RE.exec(className);
  if (!m) return undefined;
  return `v${m[m.length - 2]}`;
}

/** On a tie, the core group wins: other groups reuse its types, never the other way round. */
function groupRank(group) {
  return group === '' ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Schemas

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name) => `#/components/schemas/${name}`;

function buildSchemas(client, names, report, enumsApplied) {
  /** @type {Map<string, any>} */
  const schemas = new Map();
  for (const model of client.models.values()) {
    const named = names.get(model.className);
    if (!named) continue;
    const schemaName = named.schema;
    const props = {};
    const required = [];
    const patches = knowledgeFor(PROPERTY_PATCHES, schemaName) ?? {};
    const extensions = knowledgeFor(EXTENSIONS, schemaName) ?? {};
    const enums = knowledgeFor(ENUMS, schemaName) ?? {};
    const defaults = knowledgeFor(KEY_DEFAULTS, schemaName) ?? {};
    for (const p of model.properties) {
      let schema = typeSchema(p.type, p.format, names);
      const patch = patches[p.baseName];
      if (patch !== undefined) {
        schema = applyPatch(schema, patch);
        report.push(`${schemaName}.${p.baseName}`);
      }
      schema = withExtensions(schema, extensions[p.baseName]);
      schema = withEnum(schema, enums, p.baseName, `${schemaName}.${p.baseName}`, enumsApplied);
      if (defaults[p.baseName] !== undefined) schema = { ...schema, default: defaults[p.baseName] };
      if (p.description !== undefined) {
        schema = schema.$ref !== undefined ? { allOf: [{ $ref: schema.$ref }], description: p.description } : { description: p.description, ...schema };
      }
      props[p.baseName] = schema;
      if (!p.optional) required.push(p.baseName);
    }
    /** @type {any} */
    const out = {};
    if (model.description !== undefined) out.description = model.description;
    out.properties = props;
    if (required.length > 0) out.required = required;
    out.type = 'object';
    Object.assign(out, knowledgeFor(TOP_EXTENSIONS, schemaName) ?? {});
    schemas.set(schemaName, out);
  }
  for (const [name, schema] of Object.entries(SCALAR_SCHEMAS)) schemas.set(name, schema);
  return schemas;
}

/**
 * A table's entry for a schema; for a type that graduated since the tables were written
 * (`admissionregistration.v1.MutatingAdmissionPolicy`), the entry of the same type in the most
 * mature other version of its package, as markers travel with a type when it graduates.
 */
function knowledgeFor(table, schemaName) {
  if (table[schemaName] !== undefined) return table[schemaName];
  const m = /^(.*)\.(v\d+(?:alpha\d+|beta\d+)?)\.(\w+)$/.exec(schemaName);
  if (!m) return undefined;
  const candidates = Object.keys(table)
    .map((k) => /^(.*)\.(v\d+(?:alpha\d+|beta\d+)?)\.(\w+)$/.exec(k))
    .filter((c) => c !== null && c[1] === m[1] && c[3] === m[3])
    .sort((a, b) => versionRank(b[2]) - versionRank(a[2]));
  return candidates[0] ? table[candidates[0][0]] : undefined;
}

/** v1 > v1beta2 > v1beta1 > v1alpha1, as Kubernetes orders versions. */
function versionRank(v) {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  return Number(m[1]) * 10000 + (m[2] === undefined ? 9000 : m[2] === 'beta' ? 5000 : 1000) + Number(m[3] ?? 0);
}

/** Client type strings (`Array<V1Container>`, `{ [key: string]: string; }`) to OpenAPI. */
function typeSchema(type, format, names) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], format, names) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1], format, names) };
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'number':
      return format === 'double' ? { type: 'number', format: 'double' } : { type: 'integer', ...(format ? { format } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { $ref: ref(`${META}.Time`) };
    case 'V1MicroTime':
      return { $ref: ref(`${META}.MicroTime`) };
    case 'IntOrString':
      return { $ref: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString') };
    case 'any':
    case 'object':
      return { type: 'object' };
  }
  const named = names.get(type);
  if (named) return { $ref: ref(named.schema) };
  return { type: 'object' };
}

/** A patch replaces what the client says with what the server says; `{}` wraps `$ref`s only. */
function applyPatch(schema, patch) {
  const r = (n) => ({ $ref: ref(n) });
  switch (patch) {
    case 'quantity':
      return r('io.k8s.apimachinery.pkg.api.resource.Quantity');
    case 'map-quantity':
      return { type: 'object', additionalProperties: r('io.k8s.apimachinery.pkg.api.resource.Quantity') };
    case 'int-or-string':
      return r('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    default:
      if (patch.startsWith('ref:')) return r(patch.slice(4));
      if (patch.startsWith('items-ref:')) return { type: 'array', items: r(patch.slice(10)) };
      if (patch.startsWith('map-ref:')) return { type: 'object', additionalProperties: r(patch.slice(8)) };
      if (patch.startsWith('type:')) return { type: patch.slice(5) };
      return schema;
  }
}

/**
 * Puts the allowed values of a string property (`name`) or of the items of a list of strings
 * (`name[]`) on its schema. Only a schema of the type the fact expects takes it, so a fact never
 * turns a reference or an object into an enumeration; `applied` collects what was used.
 */
function withEnum(schema, enums, name, key, applied) {
  const own = enums[name];
  if (own !== undefined && schema.type === 'string') {
    applied.add(key);
    return { ...schema, enum: [...own] };
  }
  const items = enums[`${name}[]`];
  if (items !== undefined && schema.type === 'array' && schema.items?.type === 'string') {
    applied.add(`${key}[]`);
    return { ...schema, items: { ...schema.items, enum: [...items] } };
  }
  return schema;
}

/** Table entries of ENUMS that matched no property of their own definition. */
function unmatchedEnums(applied) {
  const out = [];
  for (const [schema, props] of Object.entries(ENUMS)) {
    for (const prop of Object.keys(props)) if (!applied.has(`${schema}.${prop}`)) out.push(`${schema}.${prop}`);
  }
  return out.sort();
}

/** Compact extension codes, see EXTENSIONS. */
function withExtensions(schema, code) {
  if (code === undefined) return schema;
  const out = { ...schema };
  for (const part of code.split(' ')) {
    const [k, v = ''] = part.split('=');
    if (k === 'list') out['x-kubernetes-list-type'] = v;
    else if (k === 'keys') out['x-kubernetes-list-map-keys'] = v.split(',');
    else if (k === 'map') out['x-kubernetes-map-type'] = v;
    else if (k === 'strategy') out['x-kubernetes-patch-strategy'] = v;
    else if (k === 'merge') out['x-kubernetes-patch-merge-key'] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths

const STATUS = `${META}.Status`;

function buildDocuments(client) {
  const names = nameModels(client);
  const report = [];
  const enumsApplied = new Set();
  const schemas = buildSchemas(client, names, report, enumsApplied);
  const schemaOf = (type) => (type === undefined ? undefined : names.get(type)?.schema);
  /** @type {Map<string, { gv: string, paths: Record<string, any>, kinds: Set<string> }>} */
  const docs = new Map();
  const gvks = new Map(); // schema name -> gvk list

  const sortedApis = [...client.apis].sort((a, b) => gvKey(a).localeCompare(gvKey(b)));
  for (const api of sortedApis) {
    const gv = gvKey(api);
    const tag = `${api.prefix.charAt(0).toLowerCase()}${api.prefix.slice(1).replace(/V(\d+(?:alpha\d+|beta\d+)?)$/, '_v$1')}`;
    /** @type {Record<string, Record<string, any>>} */
    const ops = {};
    // The kind behind each path, from its reads; delete and deletecollection answer Status.
    const kindOfPath = new Map();
    for (const op of api.operations) {
      const type = op.responses.find((r) => r.code === '200')?.type;
      const name = schemaOf(type);
      if (!name || name === STATUS) continue;
      if (/^list/.test(op.method) && name.endsWith('List')) kindOfPath.set(op.path, gvkOfSchema(name.slice(0, -4), names));
      else if (!kindOfPath.has(op.path)) kindOfPath.set(op.path, gvkOfSchema(name, names));
    }
    for (const op of api.operations) {
      const action = actionOf(op);
      const operationId = op.method.replace(/^([a-z]+)/, `$1${api.prefix}`);
      /** @type {any} */
      const out = { description: op.description, operationId };
      const params = op.params.map(toParameter).sort(byParam);
      if (params.length > 0) out.parameters = params;
      if (op.bodyType !== undefined) {
        const bodySchema = op.httpMethod === 'patch' ? { $ref: ref(`${META}.Patch`) } : bodySchemaOf(op.bodyType, names);
        const media = op.httpMethod === 'patch' ? op.bodyMediaTypes : ['*/*'];
        out.requestBody = { content: Object.fromEntries(media.map((m) => [m, { schema: bodySchema }])), required: true };
      }
      out.responses = responsesOf(op, names, action);
      out.tags = [tag];
      if (action !== undefined) out['x-kubernetes-action'] = action;
      const gvk = action === undefined ? undefined : gvkOfOperation(op, action, kindOfPath, names, api);
      if (gvk !== undefined) out['x-kubernetes-group-version-kind'] = gvk;
      (ops[op.path] ??= {})[op.httpMethod] = out;
      if (action === 'list' && op.params.some((p) => p.name === 'watch') && !UNWATCHABLE.has(resourceOf(op.path).split('/').at(-1))) addWatchPaths(ops, op, api, gvk, kindOfPath, tag);
    }
    const paths = {};
    for (const p of Object.keys(ops).sort()) paths[p] = hoistParameters(ops[p]);
    docs.set(gv, { gv, paths, kinds: new Set() });
    for (const item of Object.values(paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (m === 'parameters') continue;
        const refs = [];
        collectRefs(op, refs);
        for (const t of refs) {
          const g = gvkOfSchema(t, names);
          if (g && isKindSchema(t, schemas)) addGvk(gvks, t, g);
        }
      }
    }
  }
  // Kinds every group-version registers.
  for (const kind of ['DeleteOptions', 'WatchEvent']) {
    for (const gv of ['api/v1', ...docs.keys()].filter((v, i, a) => a.indexOf(v) === i)) {
      const [g, v] = gv.startsWith('api/') ? ['', gv.slice(4)] : gv.slice(5).split('/');
      addGvk(gvks, `${META}.${kind}`, { group: g, kind, version: v });
    }
  }
  addGvk(gvks, STATUS, { group: '', kind: 'Status', version: 'v1' });
  addGvk(gvks, `${META}.APIResourceList`, { group: '', kind: 'APIResourceList', version: 'v1' });
  for (const [name, list] of gvks) {
    const s = schemas.get(name);
    if (s) s['x-kubernetes-group-version-kind'] = list.sort((a, b) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version));
  }

  /** @type {Map<string, any>} */
  const documents = new Map();
  for (const { gv, paths } of docs.values()) {
    const used = closure(paths, schemas);
    const components = {};
    for (const n of [...used].sort()) components[n] = schemas.get(n);
    documents.set(gv, { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas: components } });
  }
  return { documents, report: report.sort(), unmatchedEnums: unmatchedEnums(enumsApplied) };
}

function gvKey(api) {
  return api.group === '' ? `api/${api.version}` : `apis/${api.group}/${api.version}`;
}

function resourceOf(p) {
  return p.replace(/\/\{name\}.*$/, '');
}

function isKindSchema(name, schemas) {
  const p = schemas.get(name)?.properties;
  return p !== undefined && 'kind' in p && 'apiVersion' in p;
}

function addGvk(gvks, name, gvk) {
  const list = gvks.get(name) ?? [];
  if (!list.some((x) => x.group === gvk.group && x.version === gvk.version && x.kind === gvk.kind)) list.push(gvk);
  gvks.set(name, list);
}

/** The group-version-kind a definition stands for, when its class belongs to an API group. */
function gvkOfSchema(name, names) {
  let bySchema = gvkIndex.get(names);
  if (bySchema === undefined) {
    bySchema = new Map();
    for (const n of names.values()) if (n.version !== '') bySchema.set(n.schema, { group: n.group, kind: n.kind, version: n.version });
    gvkIndex.set(names, bySchema);
  }
  return bySchema.get(name);
}
const gvkIndex = new WeakMap();

function actionOf(op) {
  const verb = /^[a-z]+/.exec(op.method)?.[0];
  switch (verb) {
    case 'connect':
      return 'connect';
    case 'list':
      return 'list';
    case 'read':
      return 'get';
    case 'create':
      return 'post';
    case 'replace':
      return 'put';
    case 'patch':
      return 'patch';
    case 'delete':
      return op.method.startsWith('deleteCollection') ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

function gvkOfOperation(op, action, kindOfPath, names, api) {
  if (action === 'connect') {
    // Connect operations name their options kind: pods/exec -> PodExecOptions, nodes/proxy -> NodeProxyOptions.
    const m = /\/(\w+)\/\{name\}\/(\w+)/.exec(op.path);
    if (!m) return undefined;
    const owner = CONNECT_OWNERS[m[1]] ?? '';
    const sub = { attach: 'Attach', exec: 'Exec', portforward: 'PortForward', proxy: 'Proxy' }[m[2]] ?? m[2];
    return { group: api.group, kind: `${owner}${sub}Options`, version: api.version };
  }
  // Subresources answering plain text (pods/log) belong to the object they hang off.
  return (
    kindOfPath.get(op.path) ??
    kindOfPath.get(op.path.replace(/\/\{name\}$/, '')) ??
    kindOfPath.get(`${op.path}/{name}`) ??
    kindOfPath.get(op.path.replace(/(\/\{name\})\/\w+$/, '$1'))
  );
}

function toParameter(p) {
  /** @type {any} */
  const out = {};
  if (p.description) out.description = p.description;
  out.in = p.in;
  out.name = p.name;
  if (p.in === 'path') out.required = true;
  out.schema = { type: p.type === 'number' ? 'integer' : p.type, uniqueItems: true };
  return out;
}

function byParam(a, b) {
  return a.name.localeCompare(b.name) || a.in.localeCompare(b.in);
}

/** The server declares parameters shared by every operation of a path once, on the path. */
function hoistParameters(item) {
  const methods = Object.keys(item);
  const key = (p) => `${p.in}:${p.name}`;
  const first = item[methods[0]].parameters ?? [];
  const shared = first.filter((p) => methods.every((m) => (item[m].parameters ?? []).some((q) => key(q) === key(p))));
  const out = {};
  for (const m of methods.sort()) {
    const op = { ...item[m] };
    const rest = (op.parameters ?? []).filter((p) => !shared.some((s) => key(s) === key(p)));
    if (rest.length > 0) op.parameters = rest;
    else delete op.parameters;
    out[m] = reorder(op);
  }
  if (shared.length > 0) out.parameters = shared;
  return out;
}

function reorder(op) {
  const order = ['description', 'operationId', 'parameters', 'requestBody', 'responses', 'tags', 'x-kubernetes-action', 'x-kubernetes-group-version-kind'];
  return Object.fromEntries(order.filter((k) => op[k] !== undefined).map((k) => [k, op[k]]));
}

function bodySchemaOf(type, names) {
  const named = names.get(type);
  return named ? { $ref: ref(named.schema) } : { type: 'object' };
}

function responsesOf(op, names, action) {
  const statusText = { 200: 'OK', 201: 'Created', 202: 'Accepted' };
  const responses = {};
  const seen = new Set();
  for (const r of op.responses) {
    if (seen.has(r.code)) continue;
    seen.add(r.code);
    const named = names.get(r.type);
    const schema = named ? { $ref: ref(named.schema) } : { type: r.type === 'string' ? 'string' : 'object' };
    const media = action === 'connect' ? ['*/*'] : action === 'list' ? ['application/json', 'application/json;stream=watch', 'application/yaml'] : ['application/json', 'application/yaml'];
    responses[r.code] = { content: Object.fromEntries(media.map((m) => [m, { schema }])), description: statusText[r.code] ?? 'OK' };
  }
  responses['401'] = { description: 'Unauthorized' };
  return responses;
}

/** kube-apiserver still serves the deprecated `/watch/` paths; the client skips them. */
function addWatchPaths(ops, listOp, api, gvk, kindOfPath, tag) {
  const base = api.group === '' ? `/api/${api.version}` : `/apis/${api.group}/${api.version}`;
  const rest = listOp.path.slice(base.length);
  const watchParams = listOp.params.filter((p) => p.in === 'query' || p.in === 'path');
  const noun = listOp.method.replace(/^list/, '');
  const watchEvent = { $ref: ref(`${META}.WatchEvent`) };
  const media = ['application/json', 'application/json;stream=watch', 'application/yaml'];
  const responses = { 200: { content: Object.fromEntries(media.map((m) => [m, { schema: watchEvent }])), description: 'OK' }, 401: { description: 'Unauthorized' } };
  const make = (id, action, params, what) => ({
    description: `watch ${what}. deprecated: use the 'watch' parameter with a list operation instead${action === 'watch' ? ', filtered to a single item with the \'fieldSelector\' parameter.' : '.'}`,
    operationId: id,
    parameters: params.map(toParameter).sort(byParam),
    responses,
    tags: [tag],
    'x-kubernetes-action': action,
    ...(gvk ? { 'x-kubernetes-group-version-kind': gvk } : {}),
  });
  const kind = gvk?.kind ?? noun;
  const listId = noun.endsWith('ForAllNamespaces') ? `watch${api.prefix}${noun.replace(/ForAllNamespaces$/, 'ListForAllNamespaces')}` : `watch${api.prefix}${noun}List`;
  ops[`${base}/watch${rest}`] = { get: make(listId, 'watchlist', watchParams, `individual changes to a list of ${kind}`) };
  if (!noun.endsWith('ForAllNamespaces') && kindOfPath.has(`${listOp.path}/{name}`)) {
    const nameDoc = `name of the ${kind}`;
    ops[`${base}/watch${rest}/{name}`] = {
      get: make(`watch${api.prefix}${noun}`, 'watch', [...watchParams, { name: 'name', in: 'path', type: 'string', description: nameDoc }], `changes to an object of kind ${kind}`),
    };
  }
}

function collectRefs(value, out) {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v.slice('#/components/schemas/'.length));
      else collectRefs(v, out);
    }
  }
}

function closure(paths, schemas) {
  const todo = [];
  collectRefs(paths, todo);
  const seen = new Set();
  while (todo.length > 0) {
    const n = /** @type {string} */ (todo.pop());
    if (seen.has(n) || !schemas.has(n)) continue;
    seen.add(n);
    collectRefs(schemas.get(n), todo);
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Knowledge the client package lacks. Tables derived once from real kube-apiserver documents;
// each is a fact of the Kubernetes API types (their Go struct tags and markers), not a guess.

/** Resources whose list takes `watch` but whose storage cannot watch: no `/watch/` paths. */
const UNWATCHABLE = new Set(['componentstatuses']);

/** Owner kind of a connect subresource's options (`pods/exec` -> `PodExecOptions`). */
const CONNECT_OWNERS = { pods: 'Pod', services: 'Service', nodes: 'Node' };

/** Classes of the shared apimachinery packages, which no API group owns. */
const KNOWN_NAMES = {
  VersionInfo: 'io.k8s.apimachinery.pkg.version.Info',
  ...Object.fromEntries(
    [
      'APIGroup', 'APIGroupList', 'APIResource', 'APIResourceList', 'APIVersions', 'Condition', 'DeleteOptions',
      'FieldSelectorRequirement', 'GroupResource', 'GroupVersionForDiscovery', 'LabelSelector', 'LabelSelectorRequirement',
      'ListMeta', 'ManagedFieldsEntry', 'ObjectMeta', 'OwnerReference', 'Preconditions', 'ServerAddressByClientCIDR',
      'ShardInfo', 'Status', 'StatusCause', 'StatusDetails', 'WatchEvent',
    ].map((kind) => [`V1${kind}`, `${META}.${kind}`]),
  ),
};

/**
 * Classes first reached from another group's API than their own: the scale subresource of
 * apps is autoscaling's Scale, pods/eviction is policy's Eviction, the token subresource of
 * service accounts is authentication's TokenRequest, and core's node and topology selectors
 * are reused by resource.k8s.io and storage.k8s.io.
 */
const GROUP_OF_CLASS = {
  V1BoundObjectReference: 'authentication.k8s.io',
  V1TokenRequestSpec: 'authentication.k8s.io',
  V1TokenRequestStatus: 'authentication.k8s.io',
  V1Eviction: 'policy',
  V1Scale: 'autoscaling',
  V1ScaleSpec: 'autoscaling',
  V1ScaleStatus: 'autoscaling',
  V1NodeSelector: '',
  V1NodeSelectorRequirement: '',
  V1NodeSelectorTerm: '',
  V1TopologySelectorLabelRequirement: '',
  V1TopologySelectorTerm: '',
};
/**
 * Fields the client types as plain strings, string maps or `any` where the server has a named
 * schema: Quantity (`resources.limits`, `emptyDir.sizeLimit`), IntOrString, RawExtension, the
 * JSON helpers of CustomResourceDefinition. `schema: 'property code|property code'`, codes as in
 * applyPatch; '' records that a version has none although a sibling version has some.
 */
const PROPERTY_PATCHES_TABLE = {
 "io.k8s.api.apiserverinternal.v1alpha1.StorageVersion": "spec ref:io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec",
 "io.k8s.api.apps.v1.ControllerRevision": "data ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.autoscaling.v2.HPAScalingRules": "tolerance quantity",
 "io.k8s.api.autoscaling.v2.MetricTarget": "averageValue quantity|value quantity",
 "io.k8s.api.autoscaling.v2.MetricValueStatus": "averageValue quantity|value quantity",
 "io.k8s.api.core.v1.ContainerStatus": "allocatedResources map-quantity",
 "io.k8s.api.core.v1.EmptyDirVolumeSource": "sizeLimit quantity",
 "io.k8s.api.core.v1.LimitRangeItem": "default map-quantity|defaultRequest map-quantity|max map-quantity|maxLimitRequestRatio map-quantity|min map-quantity",
 "io.k8s.api.core.v1.NodeStatus": "allocatable map-quantity|capacity map-quantity",
 "io.k8s.api.core.v1.PersistentVolumeClaimStatus": "allocatedResources map-quantity|capacity map-quantity",
 "io.k8s.api.core.v1.PersistentVolumeSpec": "capacity map-quantity",
 "io.k8s.api.core.v1.PodSpec": "overhead map-quantity",
 "io.k8s.api.core.v1.PodStatus": "allocatedResources map-quantity",
 "io.k8s.api.core.v1.ResourceFieldSelector": "divisor quantity",
 "io.k8s.api.core.v1.ResourceQuotaSpec": "hard map-quantity",
 "io.k8s.api.core.v1.ResourceQuotaStatus": "hard map-quantity|used map-quantity",
 "io.k8s.api.core.v1.ResourceRequirements": "limits map-quantity|requests map-quantity",
 "io.k8s.api.core.v1.VolumeResourceRequirements": "limits map-quantity|requests map-quantity",
 "io.k8s.api.node.v1.Overhead": "podFixed map-quantity",
 "io.k8s.api.resource.v1.AllocatedDeviceStatus": "data ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.resource.v1.CapacityRequestPolicy": "default quantity|validValues items-ref:io.k8s.apimachinery.pkg.api.resource.Quantity",
 "io.k8s.api.resource.v1.CapacityRequestPolicyRange": "max quantity|min quantity|step quantity",
 "io.k8s.api.resource.v1.CapacityRequirements": "requests map-quantity",
 "io.k8s.api.resource.v1.Counter": "value quantity",
 "io.k8s.api.resource.v1.DeviceCapacity": "value quantity",
 "io.k8s.api.resource.v1.DeviceRequestAllocationResult": "consumedCapacity map-quantity",
 "io.k8s.api.resource.v1.OpaqueDeviceConfiguration": "parameters ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.resource.v1beta1.AllocatedDeviceStatus": "data ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.resource.v1beta1.CapacityRequestPolicy": "default quantity|validValues items-ref:io.k8s.apimachinery.pkg.api.resource.Quantity",
 "io.k8s.api.resource.v1beta1.CapacityRequestPolicyRange": "max quantity|min quantity|step quantity",
 "io.k8s.api.resource.v1beta1.CapacityRequirements": "requests map-quantity",
 "io.k8s.api.resource.v1beta1.Counter": "value quantity",
 "io.k8s.api.resource.v1beta1.DeviceCapacity": "value quantity",
 "io.k8s.api.resource.v1beta1.DeviceRequestAllocationResult": "consumedCapacity map-quantity",
 "io.k8s.api.resource.v1beta1.OpaqueDeviceConfiguration": "parameters ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.resource.v1beta2.AllocatedDeviceStatus": "data ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.resource.v1beta2.CapacityRequestPolicy": "default quantity|validValues items-ref:io.k8s.apimachinery.pkg.api.resource.Quantity",
 "io.k8s.api.resource.v1beta2.CapacityRequestPolicyRange": "max quantity|min quantity|step quantity",
 "io.k8s.api.resource.v1beta2.CapacityRequirements": "requests map-quantity",
 "io.k8s.api.resource.v1beta2.Counter": "value quantity",
 "io.k8s.api.resource.v1beta2.DeviceCapacity": "value quantity",
 "io.k8s.api.resource.v1beta2.DeviceRequestAllocationResult": "consumedCapacity map-quantity",
 "io.k8s.api.resource.v1beta2.OpaqueDeviceConfiguration": "parameters ref:io.k8s.apimachinery.pkg.runtime.RawExtension",
 "io.k8s.api.storage.v1.CSIStorageCapacity": "capacity quantity|maximumVolumeSize quantity",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources": "status ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": "additionalItems ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool|additionalProperties ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool|default ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON|dependencies map-ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray|enum items-ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON|example ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON|items ref:io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
 "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry": "fieldsV1 ref:io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
 "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent": "object ref:io.k8s.apimachinery.pkg.runtime.RawExtension"
};

/**
 * List and map semantics and strategic-merge-patch keys of each property (the Go markers
 * `+listType`, `+listMapKey`, `+mapType`, `+patchStrategy`, `+patchMergeKey`), which the client
 * does not carry. `schema: 'property code...|property code...'`, codes as in withExtensions;
 * '' records that a version has none although a sibling version has some.
 */
const EXTENSIONS_TABLE = {
 "io.k8s.api.admissionregistration.v1.MatchResources": "excludeResourceRules list=atomic|resourceRules list=atomic",
 "io.k8s.api.admissionregistration.v1.MutatingWebhook": "admissionReviewVersions list=atomic|matchConditions list=map keys=name strategy=merge merge=name|rules list=atomic",
 "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration": "webhooks list=map keys=name strategy=merge merge=name",
 "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations": "apiGroups list=atomic|apiVersions list=atomic|operations list=atomic|resourceNames list=atomic|resources list=atomic",
 "io.k8s.api.admissionregistration.v1.RuleWithOperations": "apiGroups list=atomic|apiVersions list=atomic|operations list=atomic|resources list=atomic",
 "io.k8s.api.admissionregistration.v1.TypeChecking": "expressionWarnings list=atomic",
 "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec": "validationActions list=set",
 "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec": "auditAnnotations list=atomic|matchConditions list=map keys=name strategy=merge merge=name|validations list=atomic|variables list=map keys=name strategy=merge merge=name",
 "io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyStatus": "conditions list=map keys=type",
 "io.k8s.api.admissionregistration.v1.ValidatingWebhook": "admissionReviewVersions list=atomic|matchConditions list=map keys=name strategy=merge merge=name|rules list=atomic",
 "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration": "webhooks list=map keys=name strategy=merge merge=name",
 "io.k8s.api.admissionregistration.v1alpha1.MatchResources": "excludeResourceRules list=atomic|resourceRules list=atomic",
 "io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec": "matchConditions list=map keys=name strategy=merge merge=name|mutations list=atomic|variables list=atomic",
 "io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations": "apiGroups list=atomic|apiVersions list=atomic|operations list=atomic|resourceNames list=atomic|resources list=atomic",
 "io.k8s.api.admissionregistration.v1beta1.MatchResources": "excludeResourceRules list=atomic|resourceRules list=atomic",
 "io.k8s.api.admissionregistration.v1beta1.MutatingAdmissionPolicySpec": "matchConditions list=map keys=name strategy=merge merge=name|mutations list=atomic|variables list=atomic",
 "io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations": "apiGroups list=atomic|apiVersions list=atomic|operations list=atomic|resourceNames list=atomic|resources list=atomic",
 "io.k8s.api.apiserverinternal.v1alpha1.ServerStorageVersion": "decodableVersions list=set|servedVersions list=set",
 "io.k8s.api.apiserverinternal.v1alpha1.StorageVersionStatus": "conditions list=map keys=type|storageVersions list=map keys=apiServerID",
 "io.k8s.api.apps.v1.DaemonSetStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.apps.v1.DeploymentSpec": "strategy strategy=retainKeys",
 "io.k8s.api.apps.v1.DeploymentStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.apps.v1.ReplicaSetStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.apps.v1.StatefulSetSpec": "volumeClaimTemplates list=atomic",
 "io.k8s.api.apps.v1.StatefulSetStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.authentication.v1.TokenRequestSpec": "audiences list=atomic",
 "io.k8s.api.authentication.v1.TokenReviewSpec": "audiences list=atomic",
 "io.k8s.api.authentication.v1.TokenReviewStatus": "audiences list=atomic",
 "io.k8s.api.authentication.v1.UserInfo": "groups list=atomic",
 "io.k8s.api.authorization.v1.FieldSelectorAttributes": "requirements list=atomic",
 "io.k8s.api.authorization.v1.LabelSelectorAttributes": "requirements list=atomic",
 "io.k8s.api.authorization.v1.NonResourceRule": "nonResourceURLs list=atomic|verbs list=atomic",
 "io.k8s.api.authorization.v1.ResourceRule": "apiGroups list=atomic|resourceNames list=atomic|resources list=atomic|verbs list=atomic",
 "io.k8s.api.authorization.v1.SubjectAccessReviewSpec": "groups list=atomic",
 "io.k8s.api.authorization.v1.SubjectRulesReviewStatus": "nonResourceRules list=atomic|resourceRules list=atomic",
 "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec": "",
 "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus": "",
 "io.k8s.api.autoscaling.v2.HPAScalingRules": "policies list=atomic",
 "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec": "metrics list=atomic",
 "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus": "conditions list=map keys=type strategy=merge merge=type|currentMetrics list=atomic",
 "io.k8s.api.batch.v1.CronJobStatus": "active list=atomic",
 "io.k8s.api.batch.v1.JobStatus": "conditions list=atomic strategy=merge merge=type",
 "io.k8s.api.batch.v1.PodFailurePolicy": "rules list=atomic",
 "io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement": "values list=set",
 "io.k8s.api.batch.v1.PodFailurePolicyRule": "onPodConditions list=atomic",
 "io.k8s.api.batch.v1.SuccessPolicy": "rules list=atomic",
 "io.k8s.api.batch.v1.UncountedTerminatedPods": "failed list=set|succeeded list=set",
 "io.k8s.api.certificates.v1.CertificateSigningRequestSpec": "groups list=atomic|usages list=atomic",
 "io.k8s.api.certificates.v1.CertificateSigningRequestStatus": "conditions list=map keys=type",
 "io.k8s.api.certificates.v1beta1.PodCertificateRequestStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.Capabilities": "add list=atomic|drop list=atomic",
 "io.k8s.api.core.v1.CephFSPersistentVolumeSource": "monitors list=atomic",
 "io.k8s.api.core.v1.CephFSVolumeSource": "monitors list=atomic",
 "io.k8s.api.core.v1.ComponentStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.ConfigMapProjection": "items list=atomic",
 "io.k8s.api.core.v1.ConfigMapVolumeSource": "items list=atomic",
 "io.k8s.api.core.v1.Container": "args list=atomic|command list=atomic|env list=map keys=name strategy=merge merge=name|envFrom list=atomic|ports list=map keys=containerPort,protocol strategy=merge merge=containerPort|resizePolicy list=atomic|restartPolicyRules list=atomic|volumeDevices list=map keys=devicePath strategy=merge merge=devicePath|volumeMounts list=map keys=mountPath strategy=merge merge=mountPath",
 "io.k8s.api.core.v1.ContainerImage": "names list=atomic",
 "io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes": "values list=set",
 "io.k8s.api.core.v1.ContainerStatus": "allocatedResourcesStatus list=map keys=name strategy=merge merge=name|volumeMounts list=map keys=mountPath strategy=merge merge=mountPath",
 "io.k8s.api.core.v1.DownwardAPIProjection": "items list=atomic",
 "io.k8s.api.core.v1.DownwardAPIVolumeSource": "items list=atomic",
 "io.k8s.api.core.v1.EndpointSubset": "addresses list=atomic|notReadyAddresses list=atomic|ports list=atomic",
 "io.k8s.api.core.v1.Endpoints": "subsets list=atomic",
 "io.k8s.api.core.v1.EphemeralContainer": "args list=atomic|command list=atomic|env list=map keys=name strategy=merge merge=name|envFrom list=atomic|ports list=map keys=containerPort,protocol strategy=merge merge=containerPort|resizePolicy list=atomic|restartPolicyRules list=atomic|volumeDevices list=map keys=devicePath strategy=merge merge=devicePath|volumeMounts list=map keys=mountPath strategy=merge merge=mountPath",
 "io.k8s.api.core.v1.ExecAction": "command list=atomic",
 "io.k8s.api.core.v1.FCVolumeSource": "targetWWNs list=atomic|wwids list=atomic",
 "io.k8s.api.core.v1.HTTPGetAction": "httpHeaders list=atomic",
 "io.k8s.api.core.v1.HostAlias": "hostnames list=atomic",
 "io.k8s.api.core.v1.ISCSIPersistentVolumeSource": "portals list=atomic",
 "io.k8s.api.core.v1.ISCSIVolumeSource": "portals list=atomic",
 "io.k8s.api.core.v1.LimitRangeSpec": "limits list=atomic",
 "io.k8s.api.core.v1.LinuxContainerUser": "supplementalGroups list=atomic",
 "io.k8s.api.core.v1.LoadBalancerIngress": "ports list=atomic",
 "io.k8s.api.core.v1.LoadBalancerStatus": "ingress list=atomic",
 "io.k8s.api.core.v1.NamespaceSpec": "finalizers list=atomic",
 "io.k8s.api.core.v1.NamespaceStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.NodeAffinity": "preferredDuringSchedulingIgnoredDuringExecution list=atomic",
 "io.k8s.api.core.v1.NodeSelector": "nodeSelectorTerms list=atomic",
 "io.k8s.api.core.v1.NodeSelectorRequirement": "values list=atomic",
 "io.k8s.api.core.v1.NodeSelectorTerm": "matchExpressions list=atomic|matchFields list=atomic",
 "io.k8s.api.core.v1.NodeSpec": "podCIDRs list=set strategy=merge|taints list=atomic",
 "io.k8s.api.core.v1.NodeStatus": "addresses list=map keys=type strategy=merge merge=type|conditions list=map keys=type strategy=merge merge=type|declaredFeatures list=atomic|images list=atomic|runtimeHandlers list=atomic|volumesAttached list=atomic|volumesInUse list=atomic",
 "io.k8s.api.core.v1.PersistentVolumeClaimSpec": "accessModes list=atomic",
 "io.k8s.api.core.v1.PersistentVolumeClaimStatus": "accessModes list=atomic|allocatedResourceStatuses map=granular|conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.PersistentVolumeSpec": "accessModes list=atomic|claimRef map=granular|mountOptions list=atomic",
 "io.k8s.api.core.v1.PodAffinity": "preferredDuringSchedulingIgnoredDuringExecution list=atomic|requiredDuringSchedulingIgnoredDuringExecution list=atomic",
 "io.k8s.api.core.v1.PodAffinityTerm": "matchLabelKeys list=atomic|mismatchLabelKeys list=atomic|namespaces list=atomic",
 "io.k8s.api.core.v1.PodAntiAffinity": "preferredDuringSchedulingIgnoredDuringExecution list=atomic|requiredDuringSchedulingIgnoredDuringExecution list=atomic",
 "io.k8s.api.core.v1.PodDNSConfig": "nameservers list=atomic|options list=atomic|searches list=atomic",
 "io.k8s.api.core.v1.PodExtendedResourceClaimStatus": "requestMappings list=atomic",
 "io.k8s.api.core.v1.PodSecurityContext": "supplementalGroups list=atomic|sysctls list=atomic",
 "io.k8s.api.core.v1.PodSpec": "containers list=map keys=name strategy=merge merge=name|ephemeralContainers list=map keys=name strategy=merge merge=name|hostAliases list=map keys=ip strategy=merge merge=ip|imagePullSecrets list=map keys=name strategy=merge merge=name|initContainers list=map keys=name strategy=merge merge=name|nodeSelector map=atomic|readinessGates list=atomic|resourceClaims list=map keys=name strategy=merge,retainKeys merge=name|schedulingGates list=map keys=name strategy=merge merge=name|tolerations list=atomic|topologySpreadConstraints list=map keys=topologyKey,whenUnsatisfiable strategy=merge merge=topologyKey|volumes list=map keys=name strategy=merge,retainKeys merge=name",
 "io.k8s.api.core.v1.PodStatus": "conditions list=map keys=type strategy=merge merge=type|containerStatuses list=atomic|ephemeralContainerStatuses list=atomic|hostIPs list=atomic strategy=merge merge=ip|initContainerStatuses list=atomic|podIPs list=map keys=ip strategy=merge merge=ip|resourceClaimStatuses list=map keys=name strategy=merge,retainKeys merge=name",
 "io.k8s.api.core.v1.ProjectedVolumeSource": "sources list=atomic",
 "io.k8s.api.core.v1.RBDPersistentVolumeSource": "monitors list=atomic",
 "io.k8s.api.core.v1.RBDVolumeSource": "monitors list=atomic",
 "io.k8s.api.core.v1.ReplicationControllerSpec": "selector map=atomic",
 "io.k8s.api.core.v1.ReplicationControllerStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.ResourceQuotaSpec": "scopes list=atomic",
 "io.k8s.api.core.v1.ResourceRequirements": "claims list=map keys=name",
 "io.k8s.api.core.v1.ResourceStatus": "resources list=map keys=resourceID",
 "io.k8s.api.core.v1.ScopeSelector": "matchExpressions list=atomic",
 "io.k8s.api.core.v1.ScopedResourceSelectorRequirement": "values list=atomic",
 "io.k8s.api.core.v1.SecretProjection": "items list=atomic",
 "io.k8s.api.core.v1.SecretVolumeSource": "items list=atomic",
 "io.k8s.api.core.v1.ServiceAccount": "imagePullSecrets list=atomic|secrets list=map keys=name strategy=merge merge=name",
 "io.k8s.api.core.v1.ServiceSpec": "clusterIPs list=atomic|externalIPs list=atomic|ipFamilies list=atomic|loadBalancerSourceRanges list=atomic|ports list=map keys=port,protocol strategy=merge merge=port|selector map=atomic",
 "io.k8s.api.core.v1.ServiceStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.core.v1.TopologySelectorLabelRequirement": "values list=atomic",
 "io.k8s.api.core.v1.TopologySelectorTerm": "matchLabelExpressions list=atomic",
 "io.k8s.api.core.v1.TopologySpreadConstraint": "matchLabelKeys list=atomic",
 "io.k8s.api.discovery.v1.Endpoint": "addresses list=set",
 "io.k8s.api.discovery.v1.EndpointHints": "forNodes list=atomic|forZones list=atomic",
 "io.k8s.api.discovery.v1.EndpointSlice": "endpoints list=atomic|ports list=atomic",
 "io.k8s.api.flowcontrol.v1.FlowSchemaSpec": "rules list=atomic",
 "io.k8s.api.flowcontrol.v1.FlowSchemaStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.flowcontrol.v1.NonResourcePolicyRule": "nonResourceURLs list=set|verbs list=set",
 "io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects": "nonResourceRules list=atomic|resourceRules list=atomic|subjects list=atomic",
 "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.flowcontrol.v1.ResourcePolicyRule": "apiGroups list=set|namespaces list=set|resources list=set|verbs list=set",
 "io.k8s.api.networking.v1.HTTPIngressRuleValue": "paths list=atomic",
 "io.k8s.api.networking.v1.IPBlock": "except list=atomic",
 "io.k8s.api.networking.v1.IngressLoadBalancerIngress": "ports list=atomic",
 "io.k8s.api.networking.v1.IngressLoadBalancerStatus": "ingress list=atomic",
 "io.k8s.api.networking.v1.IngressSpec": "rules list=atomic|tls list=atomic",
 "io.k8s.api.networking.v1.IngressTLS": "hosts list=atomic",
 "io.k8s.api.networking.v1.NetworkPolicyEgressRule": "ports list=atomic|to list=atomic",
 "io.k8s.api.networking.v1.NetworkPolicyIngressRule": "from list=atomic|ports list=atomic",
 "io.k8s.api.networking.v1.NetworkPolicySpec": "egress list=atomic|ingress list=atomic|policyTypes list=atomic",
 "io.k8s.api.networking.v1.ServiceCIDRSpec": "cidrs list=atomic",
 "io.k8s.api.networking.v1.ServiceCIDRStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.networking.v1beta1.ServiceCIDRSpec": "cidrs list=atomic",
 "io.k8s.api.networking.v1beta1.ServiceCIDRStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.node.v1.Scheduling": "nodeSelector map=atomic|tolerations list=atomic",
 "io.k8s.api.policy.v1.PodDisruptionBudgetSpec": "selector strategy=replace",
 "io.k8s.api.policy.v1.PodDisruptionBudgetStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.rbac.v1.AggregationRule": "clusterRoleSelectors list=atomic",
 "io.k8s.api.rbac.v1.ClusterRole": "rules list=atomic",
 "io.k8s.api.rbac.v1.ClusterRoleBinding": "subjects list=atomic",
 "io.k8s.api.rbac.v1.PolicyRule": "apiGroups list=atomic|nonResourceURLs list=atomic|resourceNames list=atomic|resources list=atomic|verbs list=atomic",
 "io.k8s.api.rbac.v1.Role": "rules list=atomic",
 "io.k8s.api.rbac.v1.RoleBinding": "subjects list=atomic",
 "io.k8s.api.resource.v1.AllocatedDeviceStatus": "conditions list=map keys=type",
 "io.k8s.api.resource.v1.CapacityRequestPolicy": "validValues list=atomic",
 "io.k8s.api.resource.v1.Device": "bindingConditions list=atomic|bindingFailureConditions list=atomic|consumesCounters list=atomic|taints list=atomic",
 "io.k8s.api.resource.v1.DeviceAllocationConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1.DeviceAllocationResult": "config list=atomic|results list=atomic",
 "io.k8s.api.resource.v1.DeviceClaim": "config list=atomic|constraints list=atomic|requests list=atomic",
 "io.k8s.api.resource.v1.DeviceClaimConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1.DeviceClassSpec": "config list=atomic|selectors list=atomic",
 "io.k8s.api.resource.v1.DeviceConstraint": "requests list=atomic",
 "io.k8s.api.resource.v1.DeviceRequest": "firstAvailable list=atomic",
 "io.k8s.api.resource.v1.DeviceRequestAllocationResult": "bindingConditions list=atomic|bindingFailureConditions list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1.DeviceSubRequest": "selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1.ExactDeviceRequest": "selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1.NetworkDeviceData": "ips list=atomic",
 "io.k8s.api.resource.v1.ResourceClaimStatus": "devices list=map keys=driver,device,pool,shareID|reservedFor list=map keys=uid strategy=merge merge=uid",
 "io.k8s.api.resource.v1.ResourceSliceSpec": "devices list=atomic|sharedCounters list=atomic",
 "io.k8s.api.resource.v1alpha3.DeviceTaintRuleStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.api.resource.v1beta1.AllocatedDeviceStatus": "conditions list=map keys=type",
 "io.k8s.api.resource.v1beta1.BasicDevice": "bindingConditions list=atomic|bindingFailureConditions list=atomic|consumesCounters list=atomic|taints list=atomic",
 "io.k8s.api.resource.v1beta1.CapacityRequestPolicy": "validValues list=atomic",
 "io.k8s.api.resource.v1beta1.Device": "",
 "io.k8s.api.resource.v1beta1.DeviceAllocationConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceAllocationResult": "config list=atomic|results list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceClaim": "config list=atomic|constraints list=atomic|requests list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceClaimConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceClassSpec": "config list=atomic|selectors list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceConstraint": "requests list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceRequest": "firstAvailable list=atomic|selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceRequestAllocationResult": "bindingConditions list=atomic|bindingFailureConditions list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta1.DeviceSubRequest": "selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta1.NetworkDeviceData": "ips list=atomic",
 "io.k8s.api.resource.v1beta1.ResourceClaimStatus": "devices list=map keys=driver,device,pool,shareID|reservedFor list=map keys=uid strategy=merge merge=uid",
 "io.k8s.api.resource.v1beta1.ResourceSliceSpec": "devices list=atomic|sharedCounters list=atomic",
 "io.k8s.api.resource.v1beta2.AllocatedDeviceStatus": "conditions list=map keys=type",
 "io.k8s.api.resource.v1beta2.CapacityRequestPolicy": "validValues list=atomic",
 "io.k8s.api.resource.v1beta2.Device": "bindingConditions list=atomic|bindingFailureConditions list=atomic|consumesCounters list=atomic|taints list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceAllocationConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceAllocationResult": "config list=atomic|results list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceClaim": "config list=atomic|constraints list=atomic|requests list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceClaimConfiguration": "requests list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceClassSpec": "config list=atomic|selectors list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceConstraint": "requests list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceRequest": "firstAvailable list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceRequestAllocationResult": "bindingConditions list=atomic|bindingFailureConditions list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta2.DeviceSubRequest": "selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta2.ExactDeviceRequest": "selectors list=atomic|tolerations list=atomic",
 "io.k8s.api.resource.v1beta2.NetworkDeviceData": "ips list=atomic",
 "io.k8s.api.resource.v1beta2.ResourceClaimStatus": "devices list=map keys=driver,device,pool,shareID|reservedFor list=map keys=uid strategy=merge merge=uid",
 "io.k8s.api.resource.v1beta2.ResourceSliceSpec": "devices list=atomic|sharedCounters list=atomic",
 "io.k8s.api.scheduling.v1alpha1.WorkloadSpec": "podGroups list=map keys=name",
 "io.k8s.api.storage.v1.CSIDriverSpec": "tokenRequests list=atomic|volumeLifecycleModes list=set",
 "io.k8s.api.storage.v1.CSINodeDriver": "topologyKeys list=atomic",
 "io.k8s.api.storage.v1.CSINodeSpec": "drivers list=map keys=name strategy=merge merge=name",
 "io.k8s.api.storage.v1.StorageClass": "allowedTopologies list=atomic|mountOptions list=atomic",
 "io.k8s.api.storagemigration.v1beta1.StorageVersionMigrationStatus": "conditions list=map keys=type strategy=merge merge=type",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames": "categories list=atomic|shortNames list=atomic",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": "versions list=atomic",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus": "conditions list=map keys=type|storedVersions list=atomic",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion": "additionalPrinterColumns list=atomic|selectableFields list=atomic",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": "allOf list=atomic|anyOf list=atomic|enum list=atomic|oneOf list=atomic|required list=atomic|x-kubernetes-list-map-keys list=atomic|x-kubernetes-validations list=map keys=rule strategy=merge merge=rule",
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion": "conversionReviewVersions list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.APIResource": "categories list=atomic|shortNames list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList": "resources list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": "dryRun list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement": "values list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": "matchExpressions list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement": "values list=atomic",
 "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": "finalizers list=set strategy=merge|managedFields list=atomic|ownerReferences list=map keys=uid strategy=merge merge=uid",
 "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails": "causes list=atomic",
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec": "caBundle list=atomic",
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus": "conditions list=map keys=type strategy=merge merge=type"
};

/** Extensions on whole definitions: atomic structs and discriminated unions. */
const TOP_EXTENSIONS = {
 "io.k8s.api.admissionregistration.v1.MatchResources": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1.ParamKind": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1.ParamRef": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1.Variable": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1alpha1.MatchResources": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1alpha1.ParamKind": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1alpha1.ParamRef": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1alpha1.Variable": {},
 "io.k8s.api.admissionregistration.v1beta1.MatchResources": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1beta1.ParamKind": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1beta1.ParamRef": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.admissionregistration.v1beta1.Variable": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.autoscaling.v1.CrossVersionObjectReference": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.autoscaling.v2.CrossVersionObjectReference": {},
 "io.k8s.api.core.v1.AppArmorProfile": {
  "x-kubernetes-unions": [
   {
    "discriminator": "type",
    "fields-to-discriminateBy": {
     "localhostProfile": "LocalhostProfile"
    }
   }
  ]
 },
 "io.k8s.api.core.v1.ConfigMapKeySelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.EndpointAddress": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.EndpointPort": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.FileKeySelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.LocalObjectReference": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.NodeSelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.NodeSelectorTerm": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.ObjectFieldSelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.ObjectReference": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.ResourceFieldSelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.ScopeSelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.SeccompProfile": {
  "x-kubernetes-unions": [
   {
    "discriminator": "type",
    "fields-to-discriminateBy": {
     "localhostProfile": "LocalhostProfile"
    }
   }
  ]
 },
 "io.k8s.api.core.v1.SecretKeySelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.SecretReference": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.TopologySelectorTerm": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.core.v1.TypedLocalObjectReference": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.discovery.v1.EndpointPort": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.flowcontrol.v1.LimitResponse": {
  "x-kubernetes-unions": [
   {
    "discriminator": "type",
    "fields-to-discriminateBy": {
     "queuing": "Queuing"
    }
   }
  ]
 },
 "io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec": {
  "x-kubernetes-unions": [
   {
    "discriminator": "type",
    "fields-to-discriminateBy": {
     "exempt": "Exempt",
     "limited": "Limited"
    }
   }
  ]
 },
 "io.k8s.api.flowcontrol.v1.Subject": {
  "x-kubernetes-unions": [
   {
    "discriminator": "kind",
    "fields-to-discriminateBy": {
     "group": "Group",
     "serviceAccount": "ServiceAccount",
     "user": "User"
    }
   }
  ]
 },
 "io.k8s.api.networking.v1.ServiceBackendPort": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.rbac.v1.RoleRef": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.api.rbac.v1.Subject": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": {
  "x-kubernetes-map-type": "atomic"
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {
  "x-kubernetes-map-type": "atomic"
 }
};

/** Definitions that are not plain objects, or that the client has no class for. */
const SCALAR_SCHEMAS = {
 "io.k8s.apimachinery.pkg.api.resource.Quantity": {
  "description": "A fixed-point number with an optional suffix: binary SI (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (m, k, M, G, T, P, E) or a decimal exponent (e3). Written as a string or a number, e.g. \"500m\", \"1Gi\", 2.",
  "oneOf": [
   {
    "type": "string"
   },
   {
    "type": "number"
   }
  ]
 },
 "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {
  "description": "An int32 or a string, e.g. a port number or a port name, or a count or a percentage.",
  "format": "int-or-string",
  "oneOf": [
   {
    "type": "integer"
   },
   {
    "type": "string"
   }
  ]
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {
  "description": "A timestamp in RFC 3339 form, e.g. \"2026-01-02T15:04:05Z\".",
  "format": "date-time",
  "type": "string"
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": {
  "description": "A timestamp in RFC 3339 form with microseconds.",
  "format": "date-time",
  "type": "string"
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": {
  "description": "The set of fields a manager owns, in the structured-merge-diff \"fieldsV1\" JSON form (f:<name>, k:<keys>, v:<value>, i:<index>).",
  "type": "object"
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {
  "description": "The body of a PATCH request.",
  "type": "object"
 },
 "io.k8s.apimachinery.pkg.runtime.RawExtension": {
  "description": "An embedded object of any kind, kept as JSON.",
  "type": "object"
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": {
  "description": "JSON (apis.apiextensions.v1.JSON)."
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": {
  "description": "JSONSchemaPropsOrArray (apis.apiextensions.v1.JSONSchemaPropsOrArray)."
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": {
  "description": "JSONSchemaPropsOrBool (apis.apiextensions.v1.JSONSchemaPropsOrBool)."
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": {
  "description": "JSONSchemaPropsOrStringArray (apis.apiextensions.v1.JSONSchemaPropsOrStringArray)."
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus": {
  "description": "CustomResourceSubresourceStatus (apis.apiextensions.v1.CustomResourceSubresourceStatus).",
  "type": "object"
 },
 "io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec": {
  "description": "StorageVersionSpec (io.k8s.api.apiserverinternal.v1alpha1.StorageVersionSpec).",
  "type": "object"
 }
};

/** `{ schema: 'a code|b code' }` to `{ schema: { a: 'code', b: 'code' } }`. */
function parseTable(table) {
  const out = {};
  for (const [schema, text] of Object.entries(table)) {
    out[schema] = {};
    if (text === '') continue;
    for (const entry of text.split('|')) {
      const space = entry.indexOf(' ');
      out[schema][entry.slice(0, space)] = entry.slice(space + 1);
    }
  }
  return out;
}
const PROPERTY_PATCHES = parseTable(PROPERTY_PATCHES_TABLE);
const EXTENSIONS = parseTable(EXTENSIONS_TABLE);

/*
 * Allowed values of string fields: the constants of the Go types the Kubernetes API marks with
 * `+enum`, which kube-apiserver publishes as `enum` (OpenAPIEnums, on by default since 1.24) and
 * the client's models drop. Keyed by definition, then property; `name[]` constrains the items of
 * a list. Values are sorted, as the server sorts them. A definition without an entry takes the
 * entry of the same type in the most mature other version of its package (see knowledgeFor).
 *
 * Invariant: a list holds every value the API server accepts for the field in 1.35 and 1.36,
 * feature-gated ones included (`Toleration.operator` Gt/Lt), so an enum never rejects a manifest
 * the server would take. Fields whose values are open (`Secret.type`, condition types, the
 * `EmptyDir.medium` `HugePages-<size>` form) or changed between releases have no entry.
 */
const PROTOCOL = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICY = ['Always', 'IfNotPresent', 'Never'];
const ACCESS_MODE = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODE = ['Block', 'Filesystem'];
const RECLAIM_POLICY = ['Delete', 'Recycle', 'Retain'];
const TAINT_EFFECT = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const PROFILE_TYPE = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const INCLUSION_POLICY = ['Honor', 'Ignore'];
const TRAFFIC_POLICY = ['Cluster', 'Local'];
const QUOTA_SCOPE = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];
const UPDATE_STRATEGY = ['OnDelete', 'RollingUpdate'];
const RETENTION_POLICY = ['Delete', 'Retain'];
const PREEMPTION_POLICY = ['Never', 'PreemptLowerPriority'];
const CONTAINER = {
  imagePullPolicy: PULL_POLICY,
  restartPolicy: ['Always', 'Never', 'OnFailure'],
  terminationMessagePolicy: ['FallbackToLogsOnError', 'File'],
};
const WEBHOOK = {
  failurePolicy: ['Fail', 'Ignore'],
  matchPolicy: ['Equivalent', 'Exact'],
  sideEffects: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
};
const CORE = 'io.k8s.api.core.v1';
/**
 * Defaults of list-map key fields. Server-side apply takes a missing key field's `default` when it
 * builds an item's key (structured-merge-diff#130): without these, an applied container port
 * without `protocol` would not match the live `protocol: TCP` item and a copy would be added.
 * These are the only non-zero key defaults of the API (other defaults are not encoded).
 */
const KEY_DEFAULTS = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

const ENUMS = {
  [`${CORE}.AppArmorProfile`]: { type: PROFILE_TYPE },
  [`${CORE}.AzureDiskVolumeSource`]: { cachingMode: ['None', 'ReadOnly', 'ReadWrite'], kind: ['Dedicated', 'Managed', 'Shared'] },
  [`${CORE}.Container`]: CONTAINER,
  [`${CORE}.ContainerPort`]: { protocol: PROTOCOL },
  [`${CORE}.ContainerResizePolicy`]: { restartPolicy: ['NotRequired', 'RestartContainer'] },
  [`${CORE}.EndpointPort`]: { protocol: PROTOCOL },
  [`${CORE}.EphemeralContainer`]: CONTAINER,
  [`${CORE}.HTTPGetAction`]: { scheme: ['HTTP', 'HTTPS'] },
  [`${CORE}.HostPathVolumeSource`]: { type: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] },
  [`${CORE}.ImageVolumeSource`]: { pullPolicy: PULL_POLICY },
  [`${CORE}.LimitRangeItem`]: { type: ['Container', 'PersistentVolumeClaim', 'Pod'] },
  [`${CORE}.ModifyVolumeStatus`]: { status: ['InProgress', 'Infeasible', 'Pending'] },
  [`${CORE}.NamespaceStatus`]: { phase: ['Active', 'Terminating'] },
  [`${CORE}.NodeSelectorRequirement`]: { operator: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] },
  [`${CORE}.NodeStatus`]: { phase: ['Pending', 'Running', 'Terminated'] },
  [`${CORE}.PersistentVolumeClaimSpec`]: { 'accessModes[]': ACCESS_MODE, volumeMode: VOLUME_MODE },
  [`${CORE}.PersistentVolumeClaimStatus`]: { 'accessModes[]': ACCESS_MODE, phase: ['Bound', 'Lost', 'Pending'] },
  [`${CORE}.PersistentVolumeSpec`]: { 'accessModes[]': ACCESS_MODE, persistentVolumeReclaimPolicy: RECLAIM_POLICY, volumeMode: VOLUME_MODE },
  [`${CORE}.PersistentVolumeStatus`]: { phase: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] },
  [`${CORE}.PodSecurityContext`]: { fsGroupChangePolicy: ['Always', 'OnRootMismatch'], supplementalGroupsPolicy: ['Merge', 'Strict'] },
  [`${CORE}.PodSpec`]: {
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: PREEMPTION_POLICY,
    restartPolicy: ['Always', 'Never', 'OnFailure'],
  },
  [`${CORE}.PodStatus`]: { phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], qosClass: ['BestEffort', 'Burstable', 'Guaranteed'] },
  [`${CORE}.PortStatus`]: { protocol: PROTOCOL },
  [`${CORE}.ResourceQuotaSpec`]: { 'scopes[]': QUOTA_SCOPE },
  [`${CORE}.ScopedResourceSelectorRequirement`]: { operator: ['DoesNotExist', 'Exists', 'In', 'NotIn'], scopeName: QUOTA_SCOPE },
  [`${CORE}.SeccompProfile`]: { type: PROFILE_TYPE },
  [`${CORE}.SecurityContext`]: { procMount: ['Default', 'Unmasked'] },
  [`${CORE}.ServicePort`]: { protocol: PROTOCOL },
  [`${CORE}.ServiceSpec`]: {
    externalTrafficPolicy: TRAFFIC_POLICY,
    internalTrafficPolicy: TRAFFIC_POLICY,
    'ipFamilies[]': ['', 'IPv4', 'IPv6'],
    ipFamilyPolicy: ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
    sessionAffinity: ['ClientIP', 'None'],
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  },
  [`${CORE}.Taint`]: { effect: TAINT_EFFECT },
  [`${CORE}.Toleration`]: { effect: TAINT_EFFECT, operator: ['Equal', 'Exists', 'Gt', 'Lt'] },
  [`${CORE}.TopologySpreadConstraint`]: { nodeAffinityPolicy: INCLUSION_POLICY, nodeTaintsPolicy: INCLUSION_POLICY, whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'] },
  [`${CORE}.VolumeMount`]: { mountPropagation: ['Bidirectional', 'HostToContainer', 'None'], recursiveReadOnly: ['Disabled', 'Enabled', 'IfPossible'] },
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': { ...WEBHOOK, reinvocationPolicy: ['IfNeeded', 'Never'] },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': WEBHOOK,
  'io.k8s.api.admissionregistration.v1.ParamRef': { parameterNotFoundAction: ['Allow', 'Deny'] },
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec': { failurePolicy: ['Fail', 'Ignore'] },
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': { 'validationActions[]': ['Audit', 'Deny', 'Warn'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: UPDATE_STRATEGY },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: RETENTION_POLICY, whenScaled: RETENTION_POLICY },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: UPDATE_STRATEGY },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.batch.v1.JobSpec': { completionMode: ['Indexed', 'NonIndexed'], podReplacementPolicy: ['Failed', 'TerminatingOrFailed'] },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { operator: ['In', 'NotIn'] },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { action: ['Count', 'FailIndex', 'FailJob', 'Ignore'] },
  'io.k8s.api.discovery.v1.EndpointPort': { protocol: PROTOCOL },
  'io.k8s.api.discovery.v1.EndpointSlice': { addressType: ['FQDN', 'IPv4', 'IPv6'] },
  'io.k8s.api.flowcontrol.v1.LimitResponse': { type: ['Queue', 'Reject'] },
  'io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationSpec': { type: ['Exempt', 'Limited'] },
  'io.k8s.api.flowcontrol.v1.Subject': { kind: ['Group', 'ServiceAccount', 'User'] },
  'io.k8s.api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'ImplementationSpecific', 'Prefix'] },
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: PROTOCOL },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { 'policyTypes[]': ['Egress', 'Ingress'] },
  'io.k8s.api.scheduling.v1.PriorityClass': { preemptionPolicy: PREEMPTION_POLICY },
  'io.k8s.api.storage.v1.StorageClass': { reclaimPolicy: RECLAIM_POLICY, volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'] },
};

// Generate when run directly or imported by the build (scripts/build.mjs imports this file for
// its effect); stay inert under vitest, whose tests call generateBundle with their own directory.
if (process.env.VITEST === undefined) {
  const result = generateBundle({ force: process.argv.includes('--force') });
  if (!result.skipped) {
    console.log(`schemas/kubernetes: ${result.files} documents, ${(result.bytes / 1e6).toFixed(1)} MB, ${Math.round(result.durationMs)} ms`);
  }
}
