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
import { readInputs } from '../../src/io/inputs.js';
import { loadManifests } from '../../src/manifest/index.js';

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
    const { sources, diagnostics } = await readInputs([tree], { maxFileBytes: 1000 });
    expect(sources.map((s) => path.relative(tree, s.path))).toEqual(['B.yml', 'a.yaml', 'c.json', 'sub/d.yaml']);
    expect(sources[3]!.text.startsWith('apiVersion')).toBe(true); // the BOM is dropped
    expect(diagnostics.map((d) => `${path.relative(tree, d.file)} ${d.range.start.line}:${d.range.start.column} ${d.rule}`)).toEqual([
      'sub/big.yaml 1:1 input/too-large',
      'sub/binary.yaml 1:4 input/binary',
      'sub/latin1.yaml 2:7 input/encoding',
    ]);
    expect(diagnostics[0]!.message).toContain('1000 bytes');
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

  it('fails with an environment error carrying kustomize\'s message', async () => {
    const error = await readInputs([path.join(fixtures, 'kustomize/broken')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdError);
    expect((error as KdError).kind).toBe('environment');
    expect((error as KdError).message).toMatch(/^kustomize failed for .*broken: .*missing\.yaml/s);
  });

  it('fails with an environment error when kubectl is missing', async () => {
    const error = await readInputs([overlay], { kubectl: '/nonexistent/kubectl' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdError);
    expect((error as KdError).kind).toBe('environment');
    expect((error as KdError).message).toContain('kubectl was not found');
  });
});
