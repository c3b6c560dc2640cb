/**
 * Does the real kubectl (1.32) understand kd's ApplySets? Against kd sim:
 *  1. With kd's own parent as is, `KUBECTL_APPLYSET=true kubectl apply --prune --applyset=...`
 *     refuses, for the reason it states: the parent "is managed by tooling "kubectl-kd" instead
 *     of "kubectl"". That is KEP-3659's rule (tools must not mutate sets other tools manage),
 *     checked by kubectl before anything else — so kubectl never prunes a kd set by accident.
 *  2. Once the tooling annotation says kubectl, the very same parent (kd's id label, kd's
 *     contains-group-kinds) and members (kd's part-of labels) are accepted: kubectl computes the
 *     same id (it rejects a parent whose id label differs from its own computation), lists the
 *     members by kd's label and prunes exactly the member no longer in the files.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplySetInventory, contentsOf } from '../../src/apply/release/index.js';
import type { KubeObject } from '../../src/model/index.js';
import { KubectlEnv, requireKubectl } from '../e2e/kubectl-harness.js';
import { configMap, startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(async () => {
  requireKubectl();
  return startReleaseSim();
});

const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' } as const;

describe('kubectl --prune --applyset on a kd set', () => {
  it('refuses kd-tooled parents by name, and prunes exactly what kd labelled once the set is handed to kubectl', async () => {
    const ns = await rs.namespace('kubectl-applyset');
    const release = { name: 'shop', namespace: ns };
    const inventory = new ApplySetInventory({ client: rs.session.client, version: '0.1.0' });
    const objects = [configMap('keep-me', ns), configMap('prune-me', ns)];
    await inventory.prepare(release, contentsOf(objects));
    for (const o of objects) {
      const metadata = { ...(o['metadata'] as Record<string, unknown>), labels: inventory.memberLabels(release) };
      await rs.session.client.apply({ ...o, metadata } as KubeObject);
    }
    // Not in the set: kubectl must leave it alone.
    await rs.session.client.apply(configMap('bystander', ns));

    const k = new KubectlEnv(rs.sim.kubeconfig({ namespace: ns }));
    const dir = path.join(k.home, 'manifests');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'keep-me.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep-me\ndata:\n  key: value\n`);
    const args = ['apply', '--prune', '--applyset=secret/kd-applyset-shop', '-n', ns, '-f', dir];
    const env = { KUBECTL_APPLYSET: 'true' };

    // 1.
    const refused = await k.run(args, { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`error: ApplySet parent object "secrets./kd-applyset-shop" already exists and is managed by tooling "kubectl-kd" instead of "kubectl"`);

    // 2.
    await rs.session.client.patch(
      { group: '', version: 'v1', kind: 'Secret', namespace: ns, name: 'kd-applyset-shop' },
      { metadata: { annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.32.4' } } },
      { type: 'merge' },
    );
    const pruned = await k.run(args, { env });
    // Its warnings are about taking the parent's fields over from kd (field manager kubectl-applyset) and
    // about kd-applied members lacking kubectl's last-applied annotation: expected for a hand-over.
    expect(pruned.stderr).not.toMatch(/^error/m);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('configmap/prune-me pruned');
    const names = (await rs.session.client.list(CONFIGMAP, { namespace: ns })).items.map((o) => (o.metadata as { name: string }).name).sort();
    expect(names).toEqual(['bystander', 'keep-me', 'kube-root-ca.crt']);
    // kubectl kept kd's id: it computed the same one.
    const parent = await rs.session.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: 'kd-applyset-shop' });
    expect((parent?.metadata as { labels: Record<string, string> }).labels['applyset.kubernetes.io/id']).toBe(inventory.memberLabels(release)['applyset.kubernetes.io/part-of']);
  }, 60_000);
});
