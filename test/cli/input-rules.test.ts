/**
 * Which files are manifests (issue 20): one rule (src/manifest/input-rules.ts) for validate,
 * apply, drift and watch (src/io/inputs.ts) and kd-lsp's workspace scan. A compose file in a
 * folder is skipped with a note, a Helm chart is named as one with the helm template hint,
 * --skip, --exclude and .kdignore work as kubeconform users expect, and the CLI and the language
 * server pick the same files and stay quiet about the same documents.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHost } from '../../lsp/node-host.js';
import { isIgnoredPath } from '../../plugin/watch/change-batch.js';
import { matchesIgnorePatterns, parseIgnorePatterns } from '../../src/index.js';
import { readInputs } from '../../src/io/inputs.js';
import { fileUri, startClient, type TestClient } from '../lsp/support/lsp-client.js';
import { folder, kdInProcess } from './support/cli-sim.js';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n';
const COMPOSE = `services:
  web:
    image: registry.example/shop/web:1.0.0
    ports: ["8080:80"]
  db:
    image: postgres:16
volumes:
  data: {}
`;
const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicas: 2\nimage: registry.example/shop/web\n',
  'chart/templates/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: {{ .Values.replicas }}\n  {{- with .Values.selector }}\n  selector: {{ toYaml . | nindent 4 }}\n  {{- end }}\n',
};
const BAD_SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringDatta:\n  password: x\n';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

describe('which files are manifests', () => {
  it('skips a compose file found in a folder with a note, not three errors', async () => {
    const dir = folder({ 'compose.yaml': COMPOSE, 'deploy/settings.yaml': CM, 'package.json': '{"name":"shop","version":"1.0.0"}\n' });
    const r = await kdInProcess(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compose.yaml:1:1: info: a document that is not a Kubernetes object (no apiVersion or kind): skipped; name the file to have it checked [input/not-kubernetes]');
    expect(r.stdout).toContain('package.json:1:1: info:');
    expect(r.stdout).not.toContain('error');
    // Named, the file is checked: its problems are reported.
    const named = await kdInProcess(['validate', path.join(dir, 'compose.yaml')]);
    expect(named.code).toBe(1);
  });

  it('names a Helm chart as a chart with the helm template hint', async () => {
    const dir = folder({ ...CHART, 'settings.yaml': CM });
    const walked = await kdInProcess(['validate', dir]);
    expect(walked.code).toBe(0);
    expect(walked.stdout).toContain(`chart/Chart.yaml:1:1: info: a Helm chart: its folder is skipped; render it first: helm template ${path.join(dir, 'chart')} | kubectl kd validate - [input/helm-chart]`);
    expect(walked.stdout).not.toContain('yaml/');
    const named = await kdInProcess(['validate', path.join(dir, 'chart')]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`error: ${path.join(dir, 'chart')} is a Helm chart (Chart.yaml); kd reads Kubernetes manifests`);
    expect(named.stderr).toContain(`hint: render it first: helm template ${path.join(dir, 'chart')} | kubectl kd validate -`);
  });

  it('--skip leaves out kinds, --exclude and .kdignore leave out paths', async () => {
    const dir = folder({ 'app/settings.yaml': CM, 'app/secret.yaml': BAD_SECRET, 'legacy/old.yaml': BAD_SECRET.replace('creds', 'old'), 'app/scratch.bak.yaml': BAD_SECRET.replace('creds', 'bak') });
    expect((await kdInProcess(['validate', dir])).code).toBe(1);
    const skipped = await kdInProcess(['validate', dir, '--skip', 'Secret']);
    expect(skipped.stdout).toMatch(/1 object\b/);
    expect(skipped.code).toBe(0);
    expect((await kdInProcess(['validate', dir, '--skip', 'v1/Secret'])).code).toBe(0);
    const excluded = await kdInProcess(['validate', dir, '--exclude', 'legacy/', '--exclude', '*.bak.yaml']);
    expect(excluded.stdout).toContain('app/secret.yaml');
    expect(excluded.stdout).not.toContain('legacy');
    expect(excluded.stdout).not.toContain('bak');
    const withIgnore = folder({ 'app/settings.yaml': CM, 'legacy/old.yaml': BAD_SECRET, '.kdignore': '# old stuff\nlegacy/\n' });
    expect((await kdInProcess(['validate', withIgnore])).code).toBe(0);
    expect((await kdInProcess(['validate', withIgnore, '--skip', 'not a kind'])).code).toBe(2);
  });

  it('--exclude leaves the same paths out of apply and drift as out of validate', async () => {
    const dir = folder({ 'app/settings.yaml': CM, 'legacy/old.yaml': BAD_SECRET.replace('creds', 'old') });
    const applied = await kdInProcess(['apply', dir, '--sim', '--dry-run=client', '--release', 'excl']);
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain('legacy/old.yaml');
    const excluded = await kdInProcess(['apply', dir, '--sim', '--dry-run=client', '--release', 'excl', '--exclude', 'legacy/']);
    expect(excluded.stdout + excluded.stderr).not.toContain('legacy/old.yaml');
    expect(excluded.code).toBe(0);
    const drift = await kdInProcess(['drift', dir, '--sim', '--release', 'excl', '-o', 'json']);
    expect(drift.stdout + drift.stderr).toContain('legacy/old.yaml');
    const driftExcluded = await kdInProcess(['drift', dir, '--sim', '--release', 'excl', '-o', 'json', '--exclude', 'legacy/']);
    expect(driftExcluded.stdout + driftExcluded.stderr).not.toContain('legacy/old.yaml');
    expect(driftExcluded.stdout).toContain('settings');
  });

  it('gitignore patterns: anchoring, folders only, ** and negation', () => {
    const p = parseIgnorePatterns('/top.yaml\nbuild/\n**/tmp/*.yaml\n*.yaml\n!keep.yaml\n');
    expect(matchesIgnorePatterns('top.yaml', false, p)).toBe(true);
    expect(matchesIgnorePatterns('keep.yaml', false, p)).toBe(false);
    expect(matchesIgnorePatterns('a/build/x.json', false, p)).toBe(true);
    expect(matchesIgnorePatterns('a/build', false, parseIgnorePatterns('build/'))).toBe(false);
    expect(matchesIgnorePatterns('x/y/tmp/z.yaml', false, parseIgnorePatterns('**/tmp/*.yaml'))).toBe(true);
    expect(matchesIgnorePatterns('sub/top.yaml', false, parseIgnorePatterns('/top.yaml'))).toBe(false);
  });

  it('the CLI and kd-lsp pick the same files and stay quiet about the same documents', async () => {
    const dir = folder({
      'compose.yaml': COMPOSE,
      'deploy/settings.yaml': CM,
      'vendor/lib/crd.yaml': CM.replace('settings', 'vendored'),
      'dist/out.yaml': CM.replace('settings', 'built'),
      'old/x.yaml': CM.replace('settings', 'old'),
      '.kdignore': 'old/\n',
      ...CHART,
    });
    const cli = (await readInputs([dir])).sources.map((s) => path.relative(dir, s.path)).sort();
    const lsp = (await nodeHost({ version: '0.1.0', env: {}, cwd: dir }).listManifestFiles(dir)).map((f) => path.relative(dir, f)).sort();
    expect(cli).toEqual(['compose.yaml', 'deploy/settings.yaml']);
    expect(lsp).toEqual(cli);
    client = await startClient({ root: dir });
    const uri = fileUri(path.join(dir, 'compose.yaml'));
    client.open(uri, COMPOSE);
    expect((await client.diagnostics(uri)).diagnostics).toEqual([]);
    // A chart's template opened in the editor: quiet, as the CLI skips the chart.
    const template = fileUri(path.join(dir, 'chart/templates/deployment.yaml'));
    client.open(template, CHART['chart/templates/deployment.yaml']);
    expect((await client.diagnostics(template)).diagnostics).toEqual([]);
    const r = await kdInProcess(['validate', dir]);
    expect(r.stdout).not.toMatch(/error|warning/);
    // apply --watch re-reads on changes below the same folders only.
    expect(['vendor/lib/crd.yaml', 'dist/out.yaml', 'node_modules/x.yaml', '.git/x.yaml', 'notes.txt'].map((p) => isIgnoredPath(p, true))).toEqual([true, true, true, true, true]);
    expect(isIgnoredPath('deploy/settings.yaml', true)).toBe(false);
  });
});
