/**
 * Reading inputs from disk, stdin and kustomizations (with the real kubectl): which files are
 * read and in what order, what is skipped with a diagnostic, what throws, and how rendered
 * objects map back to the files they came from.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdError } from '../../src/errors.js';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { addBytes, firstInvalidUtf8, readInputs, type Inputs } from '../../src/io/inputs.js';
import { loadManifests } from '../../src/manifest/index.js';
import { keepKubernetesDocuments, looksLikeKubernetes } from '../../src/manifest/input-rules.js';
import { splitDocuments } from '../../src/manifest/split-documents.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/manifest');
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

describe('readInputs', () => {
  let tree: string;
  beforeAll(async () => {
    tree = await mkdtemp(path.join(os.tmpdir(), 'kd-inputs-'));
    const files: Record<string, string | Buffer> = {
      'a.yaml': cm('a'),
      'B.yml': cm('b'),
      'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      'notes.txt': 'not a manifest',
      '.hidden/x.yaml': cm('hidden'),
      'node_modules/pkg/y.yaml': cm('dependency'),
      'sub/d.yaml': '\ufeff' + cm('d-with-bom'),
      'sub/binary.yaml': Buffer.from([0x61, 0x3a, 0x20, 0x00, 0x01]),
      'sub/latin1.yaml': Buffer.concat([Buffer.from('a: 1\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'sub/big.yaml': cm('big') + `data: {x: "${'x'.repeat(2000)}"}\n`,
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(tree, name)), { recursive: true });
      await writeFile(path.join(tree, name), content);
    }
  });
  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it('walks directories in code-point order, skipping hidden folders, node_modules and other extensions', async () => {
    const { sources, diagnostics } = await readInputs([tree]);
    expect(sources.map((s) => path.relative(tree, s.path))).toEqual(['B.yml', 'a.yaml', 'c.json', 'sub/big.yaml', 'sub/d.yaml']);
    expect(sources[4]!.text.startsWith('apiVersion')).toBe(true); // the BOM is dropped
    expect(diagnostics.map((d) => `${path.relative(tree, d.file)} ${d.range.start.line}:${d.range.start.column} ${d.rule}`)).toEqual([
      'sub/binary.yaml 1:4 input/binary',
      'sub/latin1.yaml 2:7 input/encoding',
    ]);
  });

  it('refuses an input over the cap (a walked file, a named one, stdin) as an input error naming it', async () => {
    const big = path.join(tree, 'sub', 'big.yaml');
    for (const paths of [[tree], [big]]) {
      const error = await readInputs(paths, { maxInputBytes: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KdError);
      expect((error as KdError).kind).toBe('input');
      expect((error as KdError).message).toBe(`${big}: larger than the input limit of 1000 bytes; it was not read`);
    }
    async function* endless() {
      const chunk = new Uint8Array(64 * 1024);
      for (;;) yield chunk;
    }
    const error = await readInputs(['-'], { readStdin: endless, maxInputBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect((error as KdError).message).toBe('<stdin>: larger than the input limit of 1 MiB; it was not read');
    async function* small() {
      yield Buffer.from(cm('small'));
    }
    expect((await readInputs(['-'], { readStdin: small, maxInputBytes: 1000 })).sources).toEqual([{ path: '<stdin>', text: cm('small') }]);
  });

  it('reads named files whatever their extension, once each', async () => {
    const a = path.join(tree, 'a.yaml');
    const { sources } = await readInputs([path.join(tree, 'notes.txt'), a, a]);
    expect(sources.map((s) => path.basename(s.path))).toEqual(['notes.txt', 'a.yaml']);
  });

  it('reads - from standard input as <stdin>', async () => {
    const { sources } = await readInputs(['-'], { readStdin: async () => Buffer.from(cm('piped')) });
    expect(sources).toEqual([{ path: '<stdin>', text: cm('piped') }]);
    await expect(readInputs(['-'])).rejects.toThrow(KdError);
  });

  it('names walked files as path.join would, however the folder was written', async () => {
    const expected = ['B.yml', 'a.yaml', 'c.json', 'sub/big.yaml', 'sub/d.yaml'].map((f) => path.join(tree, f));
    for (const named of [`${tree}/`, `${tree}//sub/..`, `${tree}/./`]) {
      const { sources, diagnostics } = await readInputs([named]);
      expect(sources.map((s) => s.path)).toEqual(expected);
      expect(diagnostics.map((d) => d.file)).toEqual([path.join(tree, 'sub/binary.yaml'), path.join(tree, 'sub/latin1.yaml')]);
    }
  });

  it('judges UTF-8 with the native check exactly as the positioned scan does', () => {
    // Bytes biased towards UTF-8 lead and continuation bytes, so that sequences near the edges
    // (overlong forms, surrogates, above U+10FFFF, truncated) are common.
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7f }), fc.integer({ min: 0x80, max: 0xbf }), fc.integer({ min: 0xc0, max: 0xff }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (list) => {
        const bytes = Buffer.from(list);
        expect(isUtf8(bytes)).toBe(firstInvalidUtf8(bytes) === -1);
        const out: Inputs = { sources: [], diagnostics: [] };
        addBytes('f.yaml', bytes, {}, out);
        if (isUtf8(bytes)) expect(out.sources).toEqual([{ path: 'f.yaml', text: new TextDecoder().decode(bytes).replace(/^\ufeff/, '') }]);
        else expect(out.diagnostics.map((d) => d.rule)).toEqual(['input/encoding']);
      }),
      { numRuns: 5000 },
    );
  });

  it("reads walked files by the native text path exactly as the byte path judges their bytes", async () => {
    // Walked files are read as text by Node's UTF-8 decoder, which turns a bad byte into U+FFFD
    // and keeps NULs; anything that may not be clean text takes the byte path. Over many contents
    // (a written U+FFFD, a BOM, NULs, bad and multi-byte sequences), the walk must give what
    // addBytes gives for the same bytes: the same texts and the same positioned diagnostics.
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7f }), fc.constant(0x0a), fc.constant(0x00), fc.integer({ min: 0x80, max: 0xff }));
    const piece = fc.oneof(
      fc.array(byte, { maxLength: 8 }).map((b) => Buffer.from(b)),
      fc.constantFrom('\ufffd', '\ufeff', 'é', '€', '😀', 'a: b\n').map((t) => Buffer.from(t)),
      // A 4-byte sequence cut after 3 bytes decodes to one U+FFFD: as many bytes as it replaces.
      fc.constant(Buffer.from([0xf0, 0x9f, 0x98])),
    );
    // Each after a ConfigMap's first lines, so that the walk keeps it as a Kubernetes document.
    const head = Buffer.from('apiVersion: v1\nkind: ConfigMap\ndata:\n  x: ');
    const contents = fc.sample(fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => Buffer.concat([head, ...parts])), { numRuns: 400, seed: 17 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kd-inputs-text-'));
    try {
      const names = contents.map((_, i) => path.join(dir, `f${String(i).padStart(4, '0')}.yaml`));
      await Promise.all(contents.map((bytes, i) => writeFile(names[i]!, bytes)));
      const walked = await readInputs([dir]);
      const expected: Inputs = { sources: [], diagnostics: [] };
      contents.forEach((bytes, i) => addBytes(names[i]!, bytes, {}, expected));
      expect(walked.sources).toEqual(expected.sources);
      expect(walked.diagnostics).toEqual(expected.diagnostics);
      expect(walked.sources.some((s) => s.text.includes('\ufffd'))).toBe(true);
      expect(walked.diagnostics.map((d) => d.rule)).toEqual(expect.arrayContaining(['input/binary', 'input/encoding']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('throws an input error for a path that does not exist', async () => {
    const missing = path.join(tree, 'nope.yaml');
    const error = await readInputs([missing]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdError);
    expect((error as KdError).kind).toBe('input');
    expect((error as KdError).message).toBe(`${missing}: no such file or directory`);
  });
});

describe('kustomizations', () => {
  const overlay = path.join(fixtures, 'kustomize/overlay');

  it('renders with kubectl kustomize and maps objects back to their source files', async () => {
    const { sources, diagnostics } = await readInputs([overlay]);
    expect(diagnostics).toEqual([]);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.path).toBe(path.join(overlay, 'kustomization.yaml'));
    expect(sources[0]!.text).not.toContain('config.kubernetes.io/origin');
    const loaded = loadManifests(sources);
    expect(loaded.diagnostics).toEqual([]);
    const rows = loaded.manifests.map((m) => {
      const at = m.locate(['metadata', 'name']).start;
      return `${m.ref.kind} ${m.ref.namespace}/${m.ref.name} -> ${path.relative(fixtures, m.file)}#${m.documentIndex} ${at.line}:${at.column} origin=${m.origin ? path.relative(fixtures, m.origin.path) : '-'}`;
    });
    expect(rows).toEqual([
      expect.stringMatching(/^ConfigMap shop\/prod-cfg-\w+ -> kustomize\/overlay\/kustomization.yaml#0 1:1 origin=kustomize\/overlay\/kustomization.yaml$/),
      'ConfigMap shop/prod-other -> kustomize/base/svc.yaml#0 4:9 origin=kustomize/base/svc.yaml',
      'Secret shop/prod-s -> kustomize/overlay/extra.yaml#0 4:9 origin=kustomize/overlay/extra.yaml',
      'Service shop/prod-web -> kustomize/base/svc.yaml#1 9:9 origin=kustomize/base/svc.yaml',
      'Deployment shop/prod-web -> kustomize/base/deploy.yaml#0 4:9 origin=kustomize/base/deploy.yaml',
    ]);
    // A field kustomize added (the namespace) is located at its nearest ancestor in the source.
    const deployment = loaded.manifests[4]!;
    expect(deployment.locate(['metadata', 'namespace']).start).toEqual({ line: 3, column: 1 });
    expect(deployment.origin?.kustomization).toBe(path.join(overlay, 'kustomization.yaml'));
  });

  it('renders a kustomization named by its file', async () => {
    const named = await readInputs([path.join(overlay, 'kustomization.yaml')]);
    expect(named.sources.map((s) => s.path)).toEqual([path.join(overlay, 'kustomization.yaml')]);
  });

  it("reports a kustomize failure as a diagnostic on its kustomization and still reads the other inputs", async () => {
    const broken = path.join(fixtures, 'kustomize/broken');
    const { sources, diagnostics } = await readInputs([broken, overlay]);
    expect(sources.map((s) => s.path)).toEqual([path.join(overlay, 'kustomization.yaml')]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', rule: 'input/kustomization', file: path.join(broken, 'kustomization.yaml') });
    expect(diagnostics[0]!.message).toMatch(/^kustomize failed for .*broken: .*missing\.yaml/s);
  });

  it('refuses remote bases (URL, git, github.com shorthand, also in a local base) without allowRemote, never running kustomize', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'kd-remote-'));
    const write = async (rel: string, text: string) => {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    };
    await write('https/kustomization.yaml', 'resources:\n  - local.yaml\n  - https://example.com/manifests/app.yaml\n');
    await write('https/local.yaml', cm('local'));
    await write('github/kustomization.yaml', 'namespace: shop\nresources:\n- github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n');
    await write('git/kustomization.yaml', 'components:\n  - git@github.com:example/platform.git//components/tls\n');
    await write('nested/kustomization.yaml', 'resources:\n  - ../nested-base\n');
    await write('nested-base/kustomization.yaml', 'bases:\n  - git::https://example.com/org/repo.git//base?ref=main\n');
    await write('plain/cm.yaml', cm('plain'));
    try {
      const dirs = ['https', 'github', 'git', 'nested', 'plain'].map((d) => path.join(root, d));
      const { sources, diagnostics } = await readInputs(dirs, { kubectl: '/nonexistent/kubectl' });
      expect(sources.map((s) => path.relative(root, s.path))).toEqual(['plain/cm.yaml']);
      expect(diagnostics.map((d) => `${path.relative(root, d.file)}:${d.range.start.line} ${d.rule} ${d.message}`)).toEqual([
        'https/kustomization.yaml:3 input/kustomization the kustomization names the remote base https://example.com/manifests/app.yaml; kd does not fetch remote bases unless --allow-remote is given',
        'github/kustomization.yaml:3 input/kustomization the kustomization names the remote base github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0; kd does not fetch remote bases unless --allow-remote is given',
        'git/kustomization.yaml:2 input/kustomization the kustomization names the remote base git@github.com:example/platform.git//components/tls; kd does not fetch remote bases unless --allow-remote is given',
        'nested-base/kustomization.yaml:2 input/kustomization the kustomization names the remote base git::https://example.com/org/repo.git//base?ref=main; kd does not fetch remote bases unless --allow-remote is given',
      ]);
      // With allowRemote kustomize is run (here: a kubectl that does not exist).
      const allowed = await readInputs([path.join(root, 'github')], { kubectl: '/nonexistent/kubectl', allowRemote: true }).catch((e: unknown) => e);
      expect((allowed as KdError).message).toContain('kubectl was not found');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fails with an environment error when kubectl is missing', async () => {
    const error = await readInputs([overlay], { kubectl: '/nonexistent/kubectl' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdError);
    expect((error as KdError).kind).toBe('environment');
    expect((error as KdError).message).toContain('kubectl was not found');
  });
});

describe('keepKubernetesDocuments', () => {
  // The rule as it reads, document by document: the function's shortcut for one-document files must agree.
  const reference = (text: string) => {
    const slices = splitDocuments(text).filter((s) => !s.empty && !looksLikeKubernetes(text.slice(s.start, s.end)));
    let out = '';
    let at = 0;
    for (const s of slices) {
      out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, '');
      at = s.end;
    }
    return { text: out + text.slice(at), skipped: slices.length };
  };
  it('blanks the documents that are not Kubernetes objects, whether a file has one document or many', () => {
    const piece = fc.constantFrom('apiVersion: v1\nkind: ConfigMap\n', 'services:\n  web: {image: x}\n', '# comment\n', '---\n', '--- # c\n', '...\n', '{"kind": "X"}\n', 'kind: X\n', '\n', 'a: 1\n', '----\n', '  kind: nested\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(keepKubernetesDocuments(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
    expect(keepKubernetesDocuments('services: {}\n')).toEqual({ text: '\n', skipped: 1 });
  });
});
