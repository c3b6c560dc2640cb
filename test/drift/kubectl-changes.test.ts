/**
 * Issue 5, section 4: apply a set, change the cluster with the real kubectl (scale, edit, label,
 * delete) and the files (change one, remove another), and check that drift reports each change
 * with its class, field path, values and manager. Then the same for objects that kubectl itself
 * applied, client-side and server-side.
 */
import { describe, expect, it } from 'vitest';
import { requireKubectl } from '../e2e/kubectl-harness.js';
import { findingLines, startDriftSim, type Folder } from './support.js';
import { perFile } from '../support/per-file.js';

const config = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: { app: web }
data:
  mode: fast
  level: "3"
`;
const web = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 1000m, memory: 1Gi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;
const extra = `apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
data: { k: v }
`;

const d = perFile(async () => {
  requireKubectl();
  return startDriftSim();
});

async function kubectlChanges(ns: string): Promise<void> {
  const k = d.kubectl(ns);
  for (const args of [
    ['scale', 'deployment/web', '--replicas=5'],
    ['label', 'deployment/web', 'team=payments'],
    ['delete', 'service/web'],
  ]) {
    const r = await k.run(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
  const edit = await k.run(['edit', 'configmap/settings'], { env: { KUBE_EDITOR: 'sed -i s/fast/slow/' } });
  expect(edit.code).toBe(0);
}

/**
 * The same changes on both sides, whoever applied the objects: kubectl's (kubectlChanges) and the
 * files' (a new web image, 30-extra.yaml removed); then drift with the foreign fields shown.
 */
async function changeBothSides(files: Folder, ns: string) {
  await kubectlChanges(ns);
  files.write('20-web.yaml', web('example/web:2'));
  files.remove('30-extra.yaml');
  return d.drift({ paths: [files.dir], namespace: ns, showForeign: true });
}

/** What changeBothSides leaves on the ConfigMap and the Deployment, however they were applied. */
const SETTINGS_EDITED = 'ConfigMap settings drifted /data/mode fast|fast|slow (kubectl-edit Update)';
const WEB_CHANGED = [
  'Deployment web drifted /spec/replicas 2|2|5 (kubectl Update scale)',
  'Deployment web pending /spec/template/spec/containers/0/image example/web:2|example/web:1|example/web:1',
  'Deployment web foreign /metadata/annotations/deployment.kubernetes.io~1revision -|-|1 (kube-controller-manager Update)',
  'Deployment web foreign /metadata/labels/team -|-|payments (kubectl-label Update)',
];

describe('drift after kd apply', () => {
  it('reports scale, edit, label, delete, a changed file and a removed one, each with its class, path, values and manager', async () => {
    const ns = 'drift-kd';
    const files = d.folder({ '10-config.yaml': config, '20-web.yaml': web('example/web:1'), '30-extra.yaml': extra });
    await d.apply(files.dir, 'app', ns);
    const fresh = await d.drift({ paths: [files.dir], namespace: ns, showForeign: false });
    expect(findingLines(fresh.report)).toEqual(['ConfigMap extra in-sync', 'ConfigMap settings in-sync', 'Service web in-sync', 'Deployment web in-sync']);
    expect(fresh.report.driftFound).toBe(false);

    const { report } = await changeBothSides(files, ns);
    expect(findingLines(report)).toEqual(['ConfigMap extra orphan', SETTINGS_EDITED, 'Service web missing', ...WEB_CHANGED]);
    expect(report.targets[0]!.counts).toEqual({ 'in-sync': 0, pending: 0, drifted: 2, conflict: 0, missing: 1, new: 0, orphan: 1, kept: 0, foreign: 0 });
    expect(report.driftFound).toBe(true);
    // Without --show-foreign the informational findings are not there; --ignore drops a path.
    const quiet = await d.drift({ paths: [files.dir], namespace: ns, ignore: [{ kind: 'deployment', pointer: '/spec/replicas' }] });
    expect(findingLines(quiet.report).filter((l) => l.startsWith('Deployment'))).toEqual([
      'Deployment web pending /spec/template/spec/containers/0/image example/web:2|example/web:1|example/web:1',
    ]);
    // Both the files and the cluster moved the image: a conflict.
    const set = await d.kubectl(ns).run(['set', 'image', 'deployment/web', 'web=example/web:hotfix']);
    expect(set.code).toBe(0);
    const both = await d.drift({ paths: [files.dir], namespace: ns });
    expect(findingLines(both.report).filter((l) => l.includes('image'))).toEqual([
      'Deployment web conflict /spec/template/spec/containers/0/image example/web:2|example/web:1|example/web:hotfix (kubectl-set Update)',
    ]);
  }, 60_000);
});

describe('drift of objects kubectl applied', () => {
  for (const mode of ['client-side', 'server-side'] as const) {
    it(`reads the last-applied state of a ${mode} kubectl apply and reports the same changes`, async () => {
      const ns = `drift-kubectl-${mode}`;
      const files = d.folder({ '10-config.yaml': config, '20-web.yaml': web('example/web:1'), '30-extra.yaml': extra });
      const k = d.kubectl(ns);
      expect((await k.run(['create', 'namespace', ns])).code).toBe(0);
      const applied = await k.run(['apply', ...(mode === 'server-side' ? ['--server-side'] : []), '-n', ns, '-f', files.dir]);
      expect(applied.stderr).toBe('');
      const fresh = await d.drift({ paths: [files.dir], namespace: ns });
      expect(findingLines(fresh.report)).toEqual(['ConfigMap extra in-sync', 'ConfigMap settings in-sync', 'Service web in-sync', 'Deployment web in-sync']);
      const source = mode === 'client-side' ? 'last-applied-annotation' : 'managed-fields';
      expect(fresh.report.targets[0]!.objects.map((o) => o.appliedFrom)).toEqual([source, source, source, source]);

      const { report } = await changeBothSides(files, ns);
      // kubectl keeps no set here: the removed file's object is nobody's orphan, and the deleted
      // Service was never applied as far as anything in the cluster remembers: new.
      expect(findingLines(report)).toEqual([SETTINGS_EDITED, 'Service web new', ...WEB_CHANGED]);
    }, 60_000);
  }
});
