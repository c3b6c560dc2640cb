/**
 * The fast path for plain block YAML (src/manifest/simple-yaml.ts) must give exactly js-yaml's
 * values with the Kubernetes schema whenever it answers, and must leave everything else to
 * js-yaml (which then reports errors). Checked on generated documents (tricky scalars, keys and
 * layouts, then random edits) and on every YAML file of the repository's fixtures and examples.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { constructFromEvents, parseEvents } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseSimpleDocument } from '../../src/manifest/simple-yaml.js';
import { splitDocuments } from '../../src/manifest/split-documents.js';
import { kubernetesSchema, resolveCoreScalar } from '../../src/manifest/yaml-schema.js';
import { loadManifests } from '../../src/manifest/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** js-yaml's answer, as parse-document.ts asks for it: the values, or the error's reason. */
function jsYaml(text: string): { values: unknown[] } | { error: string } {
  try {
    return { values: constructFromEvents(parseEvents(text, { maxDepth: 100 }), { source: text, schema: kubernetesSchema(), maxTotalMergeKeys: 10_000 }) };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Asserts agreement; true when the fast path answered. */
function agrees(text: string): boolean {
  const fast = parseSimpleDocument(text, 100);
  if (fast === undefined) return false;
  const slow = jsYaml(text);
  expect(slow, JSON.stringify(text)).toEqual({ values: [fast.value] });
  // toEqual does not tell 0 from -0 or own keys' order: compare those too.
  expect(Object.is(fast.value, -0), JSON.stringify(text)).toBe(false);
  expect(JSON.stringify(fast.value), JSON.stringify(text)).toBe(JSON.stringify((slow as { values: unknown[] }).values[0]));
  return true;
}

const SCALARS = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '', '0644', '0x1F', '0o17', '0b101', '1_000', '1e3', '1E-2', '.5', '5.', '-.inf', '.NaN', '+1', '-0', '0', '-1.5',
  '12:30', '2024-01-01', '1:2:3', 'a b', 'a: b', 'a :b', 'a:b', 'a #b', 'a#b', '-a', '- a', '-', '--', '---', '...', '*a', '&a', '!t', '|', '>', '%x', '@x', '`x', '?x', ':x', 'x:',
  '{}', '[]', '{a}', '[a]', 'a[0]', 'q"', "it's", 'a"b', 'back\\slash', 'é ü', '日本', ' lead', 'trail ', '#', 'a,b', '<<', '=', 'http://x/y?z=1', 'key: v', 'v # c', '0.0.0.0', '100m', '64Mi',
];
const KEYS = [
  'a', 'b', 'name', 'x.y/z', 'app.kubernetes.io/name', '-k', '1', 'on', 'Yes', 'null', '__proto__', 'constructor', 'a b', 'k:', 'ke#y', '.k', '/k', '<<', '_x', 'a-b',
  // Around the length past which a key that starts with a letter can only be a string.
  'FALSE', 'falsey', 'nullable', 'offset', '123456', '.5e100', '0x1F2A', '0644_0', '1e3456',
];

// What manifests hold: these the fast path must take (when rendered plainly or quoted).
const TAME_SCALARS = ['web', 'nginx:1.27', '80', '0644', 'yes', 'true', 'null', '', '100m', '64Mi', '1.5', '-1', 'a b', 'a:b', 'http://x/y?z=1', 'é ü', '--flag=1', '.5', '~'];
const TAME_KEYS = ['a', 'b', 'name', 'x.y/z', 'app.kubernetes.io/name', 'a-b', '_x'];

type Tree = string | Tree[] | { [k: string]: Tree };
const treeOf = (scalars: string[], keys: string[]): fc.Arbitrary<Tree> =>
  fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...scalars),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('node'), { maxKeys: 4 }),
    ),
  })).node;
const tree = treeOf(SCALARS, KEYS);
const tame = treeOf(TAME_SCALARS, TAME_KEYS);

interface Style {
  quote: number;
  indent: number;
  seqInKeyColumn: boolean;
  compact: boolean;
  comments: boolean;
  space: string;
}

function scalar(s: string, style: Style, i: number): string {
  const q = (style.quote + i) % 3;
  if (q === 1) return `'${s.replaceAll("'", "''")}'`;
  if (q === 2) return `"${s}"`;
  return s;
}

/** Renders a tree as block YAML (maybe invalid, on purpose: scalars are not escaped). */
function render(value: Tree, style: Style, indent: number, counter: { n: number }): string[] {
  const pad = ' '.repeat(indent);
  const comment = () => (style.comments && counter.n++ % 4 === 0 ? ' # note' : '');
  if (typeof value === 'string') return [`${pad}${scalar(value, style, counter.n++)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' || (Array.isArray(item) && item.length === 0) || (!Array.isArray(item) && Object.keys(item).length === 0)) {
        out.push(`${pad}-${style.space}${render(item, style, 0, counter)[0]}${comment()}`);
      } else if (!Array.isArray(item) && style.compact) {
        const inner = render(item, style, indent + 1 + style.space.length, counter);
        out.push(`${pad}-${style.space}${inner[0]!.trimStart()}`, ...inner.slice(1));
      } else out.push(`${pad}-${comment()}`, ...render(item, style, indent + style.indent, counter));
    }
    return out;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return [`${pad}{}`];
  const out: string[] = [];
  for (const [k, v] of entries) {
    if (typeof v === 'string' || (Array.isArray(v) && v.length === 0) || (!Array.isArray(v) && Object.keys(v).length === 0)) {
      out.push(`${pad}${k}:${style.space}${render(v, style, 0, counter)[0]}${comment()}`);
    } else {
      out.push(`${pad}${k}:${comment()}`, ...render(v, style, Array.isArray(v) && style.seqInKeyColumn ? indent : indent + style.indent, counter));
    }
  }
  return out;
}

const style = fc.record({
  quote: fc.integer({ min: 0, max: 5 }),
  indent: fc.constantFrom(1, 2, 4),
  seqInKeyColumn: fc.boolean(),
  compact: fc.boolean(),
  comments: fc.boolean(),
  space: fc.constantFrom(' ', '  '),
});

describe('the fast path for plain block YAML', () => {
  it('answers exactly as js-yaml on generated documents', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), tree, { minKeys: 1, maxKeys: 5 }), style, fc.boolean(), (value, s, marker) => {
        agrees((marker ? '---\n' : '') + render(value, s, 0, { n: 0 }).join('\n') + '\n');
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for documents of the shapes manifests have, as js-yaml does', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...TAME_KEYS), tame, { minKeys: 1, maxKeys: 5 }), style, fc.boolean(), (value, s, marker) => {
        runs++;
        if (agrees((marker ? '---\n' : '') + render(value, s, 0, { n: 0 }).join('\n') + '\n')) answered++;
      }),
      { numRuns: 2000 },
    );
    // It must answer for most of them, or it would be no fast path.
    expect(answered).toBeGreaterThan(runs / 2);
  });

  it('answers exactly as js-yaml after random edits, and leaves js-yaml every error', () => {
    const edit = fc.constantFrom(' ', '  ', '\n', '\n  ', '-', '- ', ':', ': ', '#', ' #', '\t', '"', "'", '{', '[', '*', '&', '!', '|', '---\n', '...\n', '\\', 'é', '\r\n', '%');
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), tree, { minKeys: 1, maxKeys: 4 }), style, fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 3 }), (value, s, edits) => {
        let text = render(value, s, 0, { n: 0 }).join('\n') + '\n';
        for (const [at, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i);
        }
        const fast = parseSimpleDocument(text, 100);
        if (fast !== undefined) agrees(text);
        else if (!('error' in jsYaml(text))) return; // declined valid text: fine
      }),
      { numRuns: 3000 },
    );
  });

  it('declines what it does not handle, and anything js-yaml rejects', () => {
    for (const text of [
      'a: 1\na: 2\n', // duplicate key: js-yaml's error
      'a: b: c\n',
      'a: [1, 2]\n',
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      'a: "esc\\n"\n',
      'a: one\n  two\n',
      'on: 1\n',
      '"quoted": 1\n',
      '<<: {a: 1}\n',
      'a:\tb\n',
      'a: 1\r\n',
      '%YAML 1.2\n---\na: 1\n',
      'a:\n  - 1\n - 2\n',
      '- - 1\n',
      'just a scalar\n',
      'a: 1\n---\nb: 2\n',
      '__proto__: 1\n',
    ]) {
      expect(parseSimpleDocument(text, 100), JSON.stringify(text)).toBeUndefined();
    }
    // Deep nesting is js-yaml's to judge (its depth limit and message).
    const deep = Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';
    expect(parseSimpleDocument(deep, 100)).toBeUndefined();
  });

  it('finds each line\'s comment however many lines before it have none', () => {
    const lines = ['a: 1', 'b: two', 'c: 3 # three', 'd: four', 'e: "5" # five', 'f: x#y', 'g: 7', 'h: 8 #'];
    for (let n = 1; n <= lines.length; n++) {
      const text = `${lines.slice(0, n).join('\n')}\n`;
      expect(agrees(text), text).toBe(true);
    }
    expect(parseSimpleDocument(`${lines.join('\n')}\n`, 100)!.value).toEqual({ a: 1, b: 'two', c: 3, d: 'four', e: '5', f: 'x#y', g: 7, h: 8 });
  });

  it('answers for the shapes manifests have', () => {
    const manifest = [
      '---',
      '# a comment',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web # trailing comment',
      '  labels: {}',
      '  annotations:',
      '    kd.io/sync-wave: "2"',
      "    note: 'it''s'",
      'spec:',
      '  replicas: 3',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      '        args:',
      '          - --port=8080',
      '          - -v',
      '        ports:',
      '          -   containerPort: 0x50',
      '              protocol: TCP',
      '        env: []',
      '      volumes:',
      '      -',
      '        name: data',
      '        emptyDir: {}',
      '      - ~',
      '',
    ].join('\n');
    expect(agrees(manifest)).toBe(true);
    expect(parseSimpleDocument(manifest, 100)!.value).toMatchObject({
      metadata: { name: 'web', labels: {}, annotations: { 'kd.io/sync-wave': '2', note: "it's" } },
      spec: { replicas: 3, template: { spec: { containers: [{ args: ['--port=8080', '-v'], ports: [{ containerPort: 80, protocol: 'TCP' }], env: [] }], volumes: [{ name: 'data', emptyDir: {} }, null] } } },
    });
  });

  it('answers exactly as js-yaml for every document of the fixtures and examples', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) files.push(p);
      }
    };
    walk(path.join(root, 'test', 'fixtures'));
    walk(path.join(root, 'examples'));
    let documents = 0;
    let answered = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const slice of splitDocuments(text)) {
        if (slice.empty) continue;
        documents++;
        if (agrees(text.slice(slice.start, slice.end))) answered++;
      }
    }
    expect(documents).toBeGreaterThan(100);
    expect(answered).toBeGreaterThan(documents / 3);
  });

  it('leaves the loader\'s results unchanged: errors still come from js-yaml', () => {
    const { manifests, diagnostics } = loadManifests([{ path: 'm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' }]);
    expect(diagnostics.map((d) => `${d.rule} ${d.range.start.line}`)).toEqual(['yaml/duplicate-key 5']);
    expect(manifests.map((m) => m.ref.name)).toEqual(['c']);
  });
});

describe('the fast path with YAML 1.2 core scalars (kubeconfigs)', () => {
  /** js-yaml as src/cluster/kubeconfig.ts asks it: the default (core) schema, duplicate keys allowed. */
  const core = (text: string) => constructFromEvents(parseEvents(text, { maxDepth: 100 }), { source: text, json: true, maxAliases: 100 })[0];

  it('answers exactly as js-yaml does for every scalar it takes, and leaves the rest to it', () => {
    const taken: string[] = [];
    for (const s of [...SCALARS, ...TAME_SCALARS, '0', '7', '-7', '+7', '007', '1.0', 'TRUE', 'tRUE', 'NULL', 'Yes', '9007199254740993']) {
      const text = `k: ${s}\nlist:\n  - ${s}\n`;
      const fast = parseSimpleDocument(text, 100, resolveCoreScalar);
      if (fast === undefined) continue;
      taken.push(s);
      expect(JSON.stringify(fast.value), JSON.stringify(text)).toBe(JSON.stringify(core(text)));
      expect(fast.value).toEqual(core(text));
    }
    // What a kubeconfig holds is taken: strings, booleans in their YAML 1.2 spellings, nulls, small integers.
    for (const s of ['web', 'true', 'False', 'null', '~', '', '80', 'http://x/y?z=1']) expect(taken).toContain(s);
    // Where the two schemas differ, js-yaml decides.
    for (const s of ['yes', 'on', 'y', '0644', '0x1F', '1_000', '1e3', '.5', '007', '-0']) expect(taken).not.toContain(s);
  });

  it('reads a kubeconfig as kubectl writes it, exec plugin included, as js-yaml does', () => {
    const text = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=',
      '    server: https://127.0.0.1:6443',
      '    insecure-skip-tls-verify: false',
      '  name: kind-kd',
      'contexts:',
      '- context:',
      '    cluster: kind-kd',
      '    namespace: shop',
      '    user: kind-kd',
      '  name: kind-kd',
      'current-context: kind-kd',
      'kind: Config',
      'preferences: {}',
      'users:',
      '- name: kind-kd',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1beta1',
      '      args:',
      '      - eks',
      '      - get-token',
      '      - --cluster-name',
      '      - prod',
      '      command: aws',
      '      env: null',
      '      interactiveMode: IfAvailable',
      '      provideClusterInfo: false',
      '',
    ].join('\n');
    const fast = parseSimpleDocument(text, 100, resolveCoreScalar);
    expect(fast).toBeDefined();
    expect(fast!.value).toEqual(core(text));
  });
});
