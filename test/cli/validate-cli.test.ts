/**
 * `kubectl kd validate` as a user runs it: the real binary, real files, exit codes and output.
 * (The build runs before the tests: `npm test` builds first.)
 */
import { readFileSync, writeFileSync, mkdtempSync, symlinkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkJsonDocuments } from '../support/output-schemas.js';
import { describe, expect, it } from 'vitest';
import { repoRoot, runKd } from './run-kd.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

const fixture = (name: string) => path.join('test', 'fixtures', 'cli', name);

describe('kubectl kd validate', () => {
  it('accepts the example app with exit 0 and a summary line', () => {
    const r = runKd(['validate', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('valid: 9 objects in 7 files\n');
    expect(r.status).toBe(0);
  });

  it('reports every problem as file:line:col, sorted, and exits 1', () => {
    const r = runKd(['validate', fixture('mixed-problems.yaml')]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const f = fixture('mixed-problems.yaml');
    expect(lines.map((l) => l.replace(/: .*\[/, ' [')).slice(0, -1)).toEqual([
      `${f}:4:9 [metadata/name]`,
      `${f}:6:5 [annotation/unknown-key]`,
      `${f}:7:17 [annotation/invalid-value]`,
      `${f}:9:3 [schema/unknown-field]`,
      `${f}:21:20 [schema/quantity]`,
      `${f}:22:17 [schema/list-map-duplicate]`,
      `${f}:25:13 [schema/unknown-kind]`,
      `${f}:34:18 [schema/type]`,
      `${f}:35:9 [schema/enum]`,
    ]);
    expect(lines).toContain(`${f}:9:3: error: unknown field "spec.replicass"; did you mean "replicas"? [schema/unknown-field]`);
    expect(lines).toContain(
      `${f}:35:9: error: spec.type: Unsupported value: "Loadbalancer": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"; did you mean "LoadBalancer"? [schema/enum]`,
    );
    expect(lines.at(-1)).toBe('invalid: 8 errors, 1 warning in 3 objects in 1 file');
  });

  it('makes unknown fields warnings with --no-strict', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-cli-'));
    const file = path.join(dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndatta:\n  a: b\n');
    expect(runKd(['validate', file]).status).toBe(1);
    const r = runKd(['validate', '--no-strict', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${file}:5:1: warning: unknown field "datta"`);
  });

  it('reads standard input for -', () => {
    const r = runKd(['validate', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 1\n' });
    expect(r.stdout).toContain('<stdin>:6:6: error: data.a: must be string, got integer [schema/type]');
    expect(r.status).toBe(1);
  });

  it('writes JSON that matches its published schema', () => {
    const r = runKd(['validate', '-o', 'json', fixture('mixed-problems.yaml')]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(checkJsonDocuments([doc])).toBe(1);
    expect(doc).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'ValidationResult' });
    expect(doc.counts.errors).toBe(8);
    expect(doc.diagnostics.find((d: { rule: string }) => d.rule === 'schema/unknown-field').path).toBe('/spec/replicass');
  });

  it('writes SARIF with one result per problem', () => {
    const r = runKd(['validate', '-o', 'sarif', fixture('mixed-problems.yaml')]);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results).toHaveLength(9);
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/fixtures/cli/mixed-problems.yaml');
  });

  it('uses a schema directory given with --schema-dir and narrows it with --kubernetes-version', () => {
    expect(runKd(['validate', '--schema-dir', BUILT_IN_SCHEMAS, 'examples/']).status).toBe(0);
    // A folder per version, as users keep them: v1.35/ holds documents, v1.34/ is empty.
    const parent = mkdtempSync(path.join(os.tmpdir(), 'kd-schema-versions-'));
    symlinkSync(BUILT_IN_SCHEMAS, path.join(parent, 'v1.35'));
    mkdirSync(path.join(parent, 'v1.34'));
    expect(runKd(['validate', '--schema-dir', parent, '--kubernetes-version', '1.34', 'examples/']).status).not.toBe(0);
    expect(runKd(['validate', '--schema-dir', parent, '--kubernetes-version', '1.35', 'examples/']).status).toBe(0);
    const r = runKd(['validate', '--kubernetes-version', '1.20', 'examples/']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the built-in schemas are for Kubernetes \d+\.\d+, not 1\.20\nhint: pass --schema-dir/);
  });

  it('exits 2 with a clear message for a missing path, a bad flag, or a bad output format', () => {
    const missing = runKd(['validate', 'no/such/dir']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('error: no/such/dir: no such file or directory\nhint: check the path; give files, folders, or - for standard input\n');
    const flag = runKd(['validate', '--frobnicate', 'examples/']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('error: unknown flag --frobnicate for kubectl kd validate');
    const format = runKd(['validate', '-o', 'yaml', 'examples/']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('error: unknown output format "yaml" for validate');
    const none = runKd(['validate']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('error: no input');
  });

  it('says plainly when the running Node is too old and no Node 22 comes with it, and exits 2', () => {
    const preload = path.join(repoRoot, 'test', 'fixtures', 'cli', 'pretend-node-20.cjs');
    const r = runKd(['validate', 'examples/'], { nodeArgs: ['--require', preload], env: { KD_NO_NODE_REEXEC: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: kubectl-kd needs Node\.js 22 or newer, but this is Node\.js 20\.11\.0/);
    expect(r.stderr).toContain('hint: install Node.js 22');
    expect(r.stdout).toBe('');
  });

  it("keeps the bundles' compiled code in Node's compile cache for the next start", () => {
    // Unset, Node keeps no cache; kd turns it on, in the temp folder unless NODE_COMPILE_CACHE says.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kd-compile-cache-'));
    expect(runKd(['validate', 'examples/'], { env: { TMPDIR: tmp, NODE_COMPILE_CACHE: '' } }).status).toBe(0);
    const entries = readdirSync(path.join(tmp, 'node-compile-cache'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(entries.length).toBeGreaterThan(3);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs on the Node 22 installed with it when the running Node is too old', () => {
    const preload = path.join(repoRoot, 'test', 'fixtures', 'cli', 'pretend-node-20.cjs');
    const r = runKd(['validate', 'examples/'], { nodeArgs: ['--require', preload] });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('valid: 9 objects in 7 files\n');
    expect(r.status).toBe(0);
  });
});

describe('kubectl kd validate with an invalid CRD', () => {
  const crd = fixture('crd-containment/widget-crd-invalid.yaml');
  const app = fixture('crd-containment/app.yaml');
  const crdProblems = (severity: 'error' | 'warning') => [
    `${crd}:27:23: ${severity}: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[port].anyOf[0].type: Forbidden: must be empty to be structural [crd/structural]`,
    `${crd}:29:23: ${severity}: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[port].anyOf[1].type: Forbidden: must be empty to be structural [crd/structural]`,
    `${crd}:32:28: ${severity}: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[name].pattern: Invalid value: "^(?!kube-).*$": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: \`(?!\` [crd/structural]`,
  ];
  const unavailable = `${app}:10:7: error: schema unavailable: CRD invalid: CustomResourceDefinition "widgets.example.com" has errors (reported at the CRD), so Widget objects cannot be validated [crd/schema-unavailable]`;

  it('reports a --crd CRD once at its own file (as warnings: it is context), and its objects in one line each', () => {
    const r = runKd(['validate', '--crd', crd, app]);
    expect(r.stdout.trimEnd().split('\n')).toEqual([unavailable, ...crdProblems('warning'), 'invalid: 1 error, 3 warnings in 2 objects in 1 file']);
    expect(r.status).toBe(1);
  });

  it('lets a ConfigMap validated beside a bad --crd pass', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-crd-'));
    const cm = path.join(dir, 'cm.yaml');
    writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  a: b\n');
    const r = runKd(['validate', '--crd', crd, cm]);
    expect(r.stdout.trimEnd().split('\n')).toEqual([...crdProblems('warning'), 'valid: 1 object in 1 file (3 warnings)']);
    expect(r.status).toBe(0);
  });

  it('prints each CRD error once when the CRD is both under --crd and among the inputs (then it is a subject: errors)', () => {
    for (const args of [
      ['validate', '--crd', crd, crd, app],
      ['validate', '--crd', fixture('crd-containment'), fixture('crd-containment')],
      ['validate', '--crd', `./${crd}`, crd, app],
    ]) {
      const r = runKd(args);
      const lines = r.stdout.trimEnd().split('\n');
      expect(new Set(lines).size, args.join(' ')).toBe(lines.length);
      expect(lines.slice(0, -1), args.join(' ')).toEqual([unavailable, ...crdProblems('error')]);
      expect(r.status).toBe(1);
    }
  });
});

describe('kubectl kd validate with CEL rules', () => {
  it('loads the CEL engine when a CRD in the inputs has rules, and reports a failed rule', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-cel-'));
    writeFileSync(
      path.join(dir, 'promotion.yaml'),
      'apiVersion: shop.example.com/v1\nkind: Promotion\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  code: SUMMER26\n  discountPercent: 60\n',
    );
    const r = runKd(['validate', '--crd', 'examples/shop/30-crd.yaml', path.join(dir, 'promotion.yaml')]);
    expect(r.stdout).toContain('discounts above 50% are for VIP codes only [schema/cel]');
    expect(r.status).toBe(1);
  });
});

describe('kubectl kd validate and Secrets', () => {
  it('never prints a Secret value, even in a message about it', () => {
    const input = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: "not base64 hunter2!!"\nstringData:\n  token: "x"\n  pin:\n    - 1\n';
    for (const format of ['text', 'json', 'sarif']) {
      const r = runKd(['validate', '-o', format, '-'], { input });
      expect(r.status).toBe(1);
      expect(r.stdout).not.toContain('hunter2');
      expect(r.stdout).toContain('data.password');
    }
  });
});

describe('validate --cluster --sim', () => {
  it('validates against an in-process kd sim, as every cluster command does with --sim, with no kubeconfig needed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-validate-sim-'));
    const file = path.join(dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { x: 1 }\n');
    const missing = { KUBECONFIG: path.join(dir, 'no-such-kubeconfig') };
    const withoutSim = runKd(['validate', '--cluster', file], { env: missing });
    expect([withoutSim.status, withoutSim.stderr]).toEqual([2, expect.stringContaining('no kubeconfig found')]);
    const r = runKd(['validate', '--cluster', '--sim', file], { env: missing });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${file}:4:12: error: data.x: must be string, got integer [schema/type]`);
    expect(r.status).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});
