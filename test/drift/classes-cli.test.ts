/**
 * Drift classes and release lookup that tell the truth (issue 20): an object prune keeps is
 * `kept`, not an orphan; a release whose revisions all failed says so; `--all-releases -n`
 * audits that namespace and says when it holds no release; a release found in another
 * namespace is named. Through the CLI, against kd sim (built-in schemas).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { releasePorts } from '../../src/apply/index.js';
import { contentsOf } from '../../src/index.js';
import { systemClock } from '../../src/cluster/clock.js';
import { folder, startCliSim } from '../cli/support/cli-sim.js';
import { perFile } from '../support/per-file.js';

const s = perFile(startCliSim);

const cm = (name: string, annotations = '') => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${annotations}data:\n  key: ${name}\n`;

describe('drift classes', () => {
  for (const key of ['kd.io/resource-policy', 'helm.sh/resource-policy']) {
    it(`classes a member dropped from the files but marked ${key}: keep as kept, and exits 0 for it`, async () => {
      const ns = await s.namespace('keep');
      const dir = folder({ 'app.yaml': cm('settings', `  annotations:\n    ${key}: keep\n`) + cm('web') });
      expect((await s.kd(['apply', dir, '--release', 'app', '-n', ns])).code).toBe(0);
      // The files drop the kept object.
      writeFileSync(path.join(dir, 'app.yaml'), cm('web'));
      const r = await s.kd(['drift', dir, '--release', 'app', '-n', ns]);
      expect(r.stdout).toMatch(/ConfigMap \S+\/settings\s+kept\s+in the release's set, no longer in the files; resource-policy: keep \(prune leaves it\)/);
      expect(r.stdout).not.toContain('orphan');
      expect(r.stdout).toContain('2 objects: 1 in-sync, 1 kept');
      expect(r.code).toBe(0);
      // apply --prune does keep it: the class tells the truth.
      expect((await s.kd(['apply', dir, '--release', 'app', '-n', ns, '--prune'])).code).toBe(0);
      expect(await s.session.client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeDefined();
      // Without the annotation the same object is an orphan, and drift exits 1.
      const ns2 = await s.namespace('orphan');
      const dir2 = folder({ 'app.yaml': cm('settings') + cm('web') });
      expect((await s.kd(['apply', dir2, '--release', 'app', '-n', ns2])).code).toBe(0);
      writeFileSync(path.join(dir2, 'app.yaml'), cm('web'));
      const o = await s.kd(['drift', dir2, '--release', 'app', '-n', ns2]);
      expect(o.stdout).toMatch(/ConfigMap \S+\/settings\s+orphan/);
      expect(o.code).toBe(1);
      rmSync(dir, { recursive: true });
    });
  }

  it('reports a release whose revisions all failed as such under --all-releases, not as never applied', async () => {
    const ns = await s.namespace('failed');
    // What a failed apply leaves: objects created, the revision marked failed.
    const ports = releasePorts(s.session.client, systemClock, '0.1.0');
    const ref = { name: 'broken', namespace: ns };
    const labels = ports.inventory.memberLabels(ref);
    const objects = [cm('a'), cm('b')].map((text, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ['a', 'b'][i]!, namespace: ns, labels }, data: { key: text.length } }));
    const revision = await ports.releases.begin(ref, { objects, paths: ['deploy/'], description: 'apply' });
    await ports.inventory.prepare(ref, contentsOf(objects));
    for (const o of objects) await s.session.client.apply({ ...o, data: { key: String(o.data.key) } });
    await ports.releases.finish(ref, revision, { state: 'failed', message: 'Deployment/web: ImagePullBackOff' });
    const r = await s.kd(['drift', '--all-releases', '-n', ns]);
    expect(r.stdout).toContain(`release broken in ${ns} (no deployed revision)`);
    expect(r.stdout).toContain('note: no revision of release broken was deployed: the latest, revision 1, is failed (Deployment/web: ImagePullBackOff); compared with what revision 1 applied');
    expect(r.stdout).not.toContain('never applied');
    expect(r.stdout).not.toContain('orphan');
  });

  it('audits the releases of -n with --all-releases, and says so when the namespace has none', async () => {
    const shop = await s.namespace('shop');
    const dir = folder({ 'app.yaml': cm('settings') });
    expect((await s.kd(['apply', dir, '--release', 'shop', '-n', shop])).code).toBe(0);
    const r = await s.kd(['drift', '--all-releases', '-n', shop]);
    expect(r.stdout).toContain(`release shop in ${shop} (revision 1)`);
    expect(r.stdout).toContain('1 object: 1 in-sync');
    expect(r.code).toBe(0);
    const empty = await s.namespace('empty');
    const e = await s.kd(['drift', '--all-releases', '-n', empty]);
    expect(e.stdout).toMatch(new RegExp(`^note: no kd releases in namespace ${empty} of context [^;]+; releases exist in namespaces .*${shop}`, 'm'));
    expect(e.code).toBe(0);
  });

  it('names the namespace where a release exists when it is not in the one asked', async () => {
    const shop = await s.namespace('shop');
    const dir = folder({ 'app.yaml': cm('settings') });
    expect((await s.kd(['apply', dir, '--release', 'shopfront', '-n', shop])).code).toBe(0);
    const r = await s.kd(['drift', dir, '--release', 'shopfront', '-n', 'default']);
    expect(r.stdout).toContain(`note: kd has no record of release shopfront in namespace default; it exists in namespace ${shop} (use -n ${shop})`);
    const j = await s.kd(['drift', dir, '--release', 'shopfront', '-n', 'default', '-o', 'json']);
    expect(JSON.parse(j.stdout).targets[0].note).toContain(`it exists in namespace ${shop}`);
  });
});
