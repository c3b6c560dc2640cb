/**
 * Benchmark of the schema core in-process (moved here from unit tests, which assert behaviour
 * and never time): validation cost per object for 10,000 distinct Deployments and Services
 * against the built-in bundle (budget ~20 µs per object), and preparing the registry for one
 * document (one group-version read and compiled; budget 250 ms). Bundles src/schema and the
 * schema directory source with esbuild, then times them in a child process.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChild, runChild } from './in-process.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'bench', 'out', 'schema');

const child = `
import { SchemaRegistry, validateManifest } from './schema.js';
import { SchemaDirSource } from './source.js';
const dir = process.argv[2];
const nowhere = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
const deployment = (i) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web-' + i, namespace: 'shop', labels: { app: 'web-' + i, tier: 'frontend' } },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'web-' + i } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'web-' + i } }, spec: { containers: [
      { name: 'web', image: 'nginx:1.' + (i % 30), ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'MODE', value: 'prod' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '1Gi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 } },
      { name: 'sidecar', image: 'busybox', args: ['sleep', 'infinity'] },
    ] } },
  },
});
const service = (i) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-' + i, namespace: 'shop' },
  spec: { type: 'ClusterIP', selector: { app: 'web-' + i }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
const manifest = (object, i) => {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return { object, ref: { group, version, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace }, file: 'bench.yaml', documentIndex: i, locate: () => nowhere };
};
const oneStart = performance.now();
const one = new SchemaRegistry([new SchemaDirSource(dir)]);
await one.prepare([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
one.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' });
const prepareOneMs = performance.now() - oneStart;
const manifests = Array.from({ length: 10000 }, (_, i) => manifest(i % 2 === 0 ? deployment(i) : service(i), i));
const registry = new SchemaRegistry([new SchemaDirSource(dir)]);
await registry.prepare(manifests.map((m) => m.ref));
validateManifest(manifests[0], registry, { strict: true });
validateManifest(manifests[1], registry, { strict: true });
const start = performance.now();
let problems = 0;
for (const m of manifests) problems += validateManifest(m, registry, { strict: true }).length;
const perObjectUs = ((performance.now() - start) * 1000) / manifests.length;
console.log(JSON.stringify({ prepareOneMs, perObjectUs, problems }));
`;

async function main() {
  await bundleChild(out, { schema: path.join(root, 'src', 'schema', 'index.ts'), source: path.join(root, 'src', 'io', 'schema-dir-source.ts') }, child);
  const m = runChild(root, out, [path.join(root, 'schemas', 'kubernetes')]);
  if (m.problems !== 0) {
    console.error(`the benchmark's objects should be valid, ${m.problems} problems found`);
    process.exit(1);
  }
  console.log(`registry prepared for one document (Deployment):  ${m.prepareOneMs.toFixed(0)} ms   target < 250 ms`);
  console.log(`schema validation, 10,000 Deployments and Services: ${m.perObjectUs.toFixed(1)} µs per object   target ~20 µs (< 100)`);
}

await main();
