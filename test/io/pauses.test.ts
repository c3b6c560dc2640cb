/**
 * The files' phase pauses (src/model/manifest.ts Pause): readInputs after each file read,
 * readAndValidate after each file loaded, validateManifests before each document. drift supplies
 * the pause to let its cluster reads progress; here it only counts, or fails. What is read,
 * loaded and reported must be the same, in the same order, with a pause as without one; a pause
 * that rejects stops the phase with its error.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/io/inputs.js';
import { builtInSource } from '../../src/io/schema-sources.js';
import { readAndValidate } from '../../src/io/validate-files.js';
import { loadManifests } from '../../src/manifest/index.js';
import type { Manifest, Pause } from '../../src/model/manifest.js';
import { SchemaRegistry } from '../../src/schema/index.js';
import { validateManifests } from '../../src/validate/index.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
`;
/** Two documents; the ConfigMap's data value is a number (a schema error). */
const configs = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: limits, namespace: other }
data: { max: 3 }
`;
const service = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
`;
/** Not a Kubernetes object: left out of a folder walk with a note, after it was read. */
const compose = `services:\n  web:\n    image: nginx\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kd-pauses-'));
  const files: Record<string, string> = {
    'a-deployment.yaml': deployment,
    'b-configs.yaml': configs,
    'c-compose.yaml': compose,
    'sub/d-service.yaml': service,
    // The same Service again: a duplicate, reported across files.
    'sub/e-service-again.yaml': service,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
});

/** A pause that counts its calls and lets the work go on at once (nothing returned), or waits a turn. */
function counting(turn: boolean): { pause: Pause; calls: () => number } {
  let calls = 0;
  return {
    pause: () => {
      calls++;
      return turn ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined;
    },
    calls: () => calls,
  };
}

const summary = (m: Manifest) => `${m.file} ${m.ref.kind} ${m.ref.namespace}/${m.ref.name}`;

describe('the pauses of the files\' phase', () => {
  it('readInputs pauses after each file, met in a walk or named; the sources are the same', async () => {
    const plain = await readInputs([dir, path.join(dir, 'a-deployment.yaml')]);
    const counted = counting(true);
    const paused = await readInputs([dir, path.join(dir, 'a-deployment.yaml')], { pause: counted.pause });
    expect(paused).toEqual(plain);
    // Five files met in the walk (the compose file read, then left out with a note), and the
    // named one, already read in the walk (not read twice).
    expect(paused.sources.map((s) => path.relative(dir, s.path))).toEqual(['a-deployment.yaml', 'b-configs.yaml', 'c-compose.yaml', 'sub/d-service.yaml', 'sub/e-service-again.yaml']);
    expect(counted.calls()).toBe(6);
  });

  it('readAndValidate: the same manifests and diagnostics, in the same order, with a pause after each file read and loaded and before each document validated', async () => {
    const request = { paths: [dir], registry: new SchemaRegistry([builtInSource({ forValidation: true })]), strict: true, defaultNamespace: 'shop' };
    const plain = await readAndValidate(request);
    for (const turn of [false, true]) {
      const counted = counting(turn);
      const paused = await readAndValidate({ ...request, registry: new SchemaRegistry([builtInSource({ forValidation: true })]), pause: counted.pause });
      expect(paused.diagnostics).toEqual(plain.diagnostics);
      expect(paused.manifests.map(summary)).toEqual(plain.manifests.map(summary));
      expect(paused.files).toBe(plain.files);
      // 5 files read, 5 loaded, 5 documents validated (the compose file holds none).
      expect(counted.calls()).toBe(15);
    }
    // What the comparison is about: a schema error, a duplicate, the compose note, namespaces defaulted.
    expect(plain.diagnostics.map((d) => `${path.relative(dir, d.file)} ${d.severity} ${d.rule}`)).toEqual([
      'c-compose.yaml info input/not-kubernetes',
      expect.stringMatching(/^b-configs\.yaml error /),
      expect.stringMatching(/^sub\/e-service-again\.yaml error .*duplicate/),
    ]);
    expect(plain.manifests.map((m) => `${m.ref.kind} ${m.ref.namespace}/${m.ref.name}`)).toEqual([
      'Deployment shop/web',
      'ConfigMap shop/settings',
      'ConfigMap other/limits',
      'Service shop/web',
      'Service shop/web',
    ]);
  });

  it('a pause that rejects stops the phase with its error: while reading, and while validating', async () => {
    const stop = new Error('received SIGINT');
    for (const at of [1, 12]) {
      let calls = 0;
      const pause: Pause = () => (++calls === at ? Promise.reject(stop) : undefined);
      const registry = new SchemaRegistry([builtInSource({ forValidation: true })]);
      await expect(readAndValidate({ paths: [dir], registry, strict: true, defaultNamespace: 'shop', pause })).rejects.toBe(stop);
      expect(calls).toBe(at);
    }
  });

  it('validateManifests pauses once before each document, and reports as without pauses', async () => {
    const manifests = [...loadManifests([{ path: 'configs.yaml', text: configs }]).manifests, ...loadManifests([{ path: 'service.yaml', text: service }]).manifests];
    const plain = await validateManifests(manifests, new SchemaRegistry([builtInSource({ forValidation: true })]), { strict: true, defaultNamespace: 'shop' });
    const counted = counting(true);
    const paused = await validateManifests(manifests, new SchemaRegistry([builtInSource({ forValidation: true })]), { strict: true, defaultNamespace: 'shop', pause: counted.pause });
    expect(paused.diagnostics).toEqual(plain.diagnostics);
    expect(paused.manifests.map(summary)).toEqual(plain.manifests.map(summary));
    expect(plain.diagnostics.map((d) => `${d.file} ${d.rule}`)).toEqual([expect.stringMatching(/^configs\.yaml /)]);
    expect(counted.calls()).toBe(3);
  });
});
