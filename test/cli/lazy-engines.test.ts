/**
 * What a validate run loads and reads (issue 17): the RE2 engine (re2js) only when a schema
 * pattern or a CEL `matches()` needs it. Built-in kinds have no patterns, so validating them
 * never loads it; a custom resource whose CRD has a pattern loads it on the built binary and gets
 * the API server's pattern error at the value's file:line:col. And validating a file lists no
 * directory: the built-in bundle's group-versions come from its bundle.json, and kd's own argument
 * parser guesses no version (yargs walked up to a package.json for one).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKd } from './run-kd.js';

let dir: string;
let preload: string;
let loadedList: string;
let listingsPreload: string;
let listings: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-lazy-engines-'));
  loadedList = path.join(dir, 'loaded.txt');
  preload = path.join(dir, 'record-loaded.cjs');
  // CommonJS modules and Node's own modules loaded in the process, written at exit (re2js is
  // loaded through require()).
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loadedList)}, [...Object.keys(require.cache), ...process.moduleLoadList].join('\\n')));\n`);
  listings = path.join(dir, 'listings.txt');
  listingsPreload = path.join(dir, 'count-listings.cjs');
  // Every directory listing the process asks for, by any of fs' entry points, written at exit.
  writeFileSync(
    listingsPreload,
    [
      "const fs = require('fs');",
      'const seen = [];',
      "for (const [owner, name] of [[fs, 'readdirSync'], [fs, 'readdir'], [fs, 'opendirSync'], [fs, 'opendir'], [fs.promises, 'readdir'], [fs.promises, 'opendir']]) {",
      '  const real = owner[name];',
      '  owner[name] = function (p, ...rest) { seen.push(`${name} ${p}`); return real.call(this, p, ...rest); };',
      '}',
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(listings)}, seen.join('\\n')));`,
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'web.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  greeting: hello\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n');
  writeFileSync(
    path.join(dir, 'crd.yaml'),
    [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
      '            spec:',
      '              type: object',
      '              properties:',
      '                size:',
      '                  type: string',
      "                  pattern: '^\\d+(Mi|Gi)$'",
      '---',
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata:',
      '  name: w',
      '  namespace: default',
      'spec:',
      '  size: 10GB',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const re2Loaded = () => readFileSync(loadedList, 'utf8').split('\n').some((f) => f.includes(`${path.sep}re2js${path.sep}`));
const cryptoLoaded = () => readFileSync(loadedList, 'utf8').split('\n').includes('NativeModule crypto');

describe('the RE2 engine is loaded only when a pattern needs it', () => {
  it('is not loaded to validate built-in kinds', () => {
    const r = runKd(['validate', path.join(dir, 'web.yaml')], { nodeArgs: ['--require', preload] });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('valid: 2 objects in 1 file\n');
    expect(r.status).toBe(0);
    expect(re2Loaded()).toBe(false);
    // Nor node:crypto, which only SARIF fingerprints use.
    expect(cryptoLoaded()).toBe(false);
  });

  it('loads node:crypto for SARIF, whose fingerprints are stable hashes', () => {
    const run = () => runKd(['validate', '-o', 'sarif', path.join(dir, 'crd.yaml')], { nodeArgs: ['--require', preload] });
    const r = run();
    expect(r.status).toBe(1);
    expect(cryptoLoaded()).toBe(true);
    const fingerprints = (out: string) => (JSON.parse(out) as { runs: Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }> }).runs[0]!.results.map((x) => Object.values(x.partialFingerprints)[0]);
    expect(fingerprints(r.stdout)[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprints(run().stdout)).toEqual(fingerprints(r.stdout));
  });

  it('is loaded for a CRD pattern, which is checked as the API server does', () => {
    const r = runKd(['validate', path.join(dir, 'crd.yaml')], { nodeArgs: ['--require', preload] });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${path.join(dir, 'crd.yaml')}:30:9: error: spec.size: Invalid value: "10GB": must match "^\\\\d+(Mi|Gi)$"`);
    expect(re2Loaded()).toBe(true);
  });
});

describe('validating one file', () => {
  it('lists no directory', () => {
    const r = runKd(['validate', path.join(dir, 'web.yaml')], { nodeArgs: ['--require', listingsPreload] });
    expect(r.stdout).toBe('valid: 2 objects in 1 file\n');
    expect(readFileSync(listings, 'utf8')).toBe('');
  });

  it('still lists a folder it is given (the preload sees listings)', () => {
    const r = runKd(['validate', dir], { nodeArgs: ['--require', listingsPreload] });
    expect(r.status).toBe(1);
    expect(readFileSync(listings, 'utf8')).toContain(dir);
  });

  it('keeps --version, with kd\'s version', () => {
    const r = runKd(['--version']);
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.status).toBe(0);
    expect(runKd(['--help']).stdout).toMatch(/--version\s+Show version number/);
  });
});
