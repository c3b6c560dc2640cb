/**
 * The ApplySet inventory against kd sim: the parent's id label and annotations exactly as
 * KEP-3659 and kubectl spell them, members found by their part-of label across the parent's
 * group-kinds and namespaces, and the prune selection (reverse order, keep spared, hooks left out).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ApplySetInventory, applySetId, contentsOf, formatGroupKinds, parseGroupKinds, releaseApplySetId, selectPrune } from '../../src/apply/release/index.js';
import type { KubeObject } from '../../src/model/index.js';
import { configMap, startReleaseSim } from './support.js';
import { perFile } from '../support/per-file.js';

const rs = perFile(startReleaseSim);

const never = new AbortController().signal;

function labelled(object: Record<string, unknown>, labels: Record<string, string>, annotations: Record<string, string> = {}): KubeObject {
  const metadata = { ...(object['metadata'] as Record<string, unknown>), labels, ...(Object.keys(annotations).length ? { annotations } : {}) };
  return { ...object, metadata };
}

describe('ApplySet ids', () => {
  it('is applyset-<unpadded base64url(sha256(name.namespace.kind.group))>-v1', () => {
    const id = applySetId({ name: 'kd-applyset-shop', namespace: 'prod', kind: 'Secret', group: '' });
    const digest = createHash('sha256').update('kd-applyset-shop.prod.Secret.').digest();
    const b64url = digest.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(id).toBe(`applyset-${b64url}-v1`);
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(releaseApplySetId({ name: 'shop', namespace: 'prod' })).toBe(id);
  });

  it('formats and parses group-kinds like kubectl (sorted, Kind.group, core kinds bare)', () => {
    const text = formatGroupKinds([
      { group: 'apps', kind: 'Deployment' },
      { group: '', kind: 'ConfigMap' },
      { group: 'example.com', kind: 'Widget' },
      { group: 'apps', kind: 'Deployment' },
    ]);
    expect(text).toBe('ConfigMap,Deployment.apps,Widget.example.com');
    expect(parseGroupKinds(text)).toEqual([
      { kind: 'ConfigMap', group: '' },
      { kind: 'Deployment', group: 'apps' },
      { kind: 'Widget', group: 'example.com' },
    ]);
  });
});

describe('ApplySetInventory', () => {
  it('writes the parent, finds members across namespaces and narrows on commit', async () => {
    const ns = await rs.namespace('inv');
    const other = await rs.namespace('inv-other');
    const inventory = new ApplySetInventory({ client: rs.session.client, version: '0.1.0' });
    const release = { name: 'shop', namespace: ns };
    const id = releaseApplySetId(release);
    const desired = [configMap('a', ns), configMap('b', other), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${ns}-extra` } }];
    await inventory.prepare(release, contentsOf(desired));
    for (const o of desired) await rs.session.client.apply(labelled(o, inventory.memberLabels(release)));
    // Not a member: same kind, no label.
    await rs.session.client.apply(configMap('stranger', ns));

    const parent = await rs.session.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: 'kd-applyset-shop' });
    const meta = parent?.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
    expect(meta.labels).toEqual({ 'applyset.kubernetes.io/id': id, 'kd.io/release': 'shop' });
    expect(meta.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'kubectl-kd/0.1.0',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace',
      'applyset.kubernetes.io/additional-namespaces': other,
    });
    const members = await inventory.members(release, never);
    expect(members.map((m) => `${m.ref.kind} ${m.ref.namespace ?? ''}/${m.ref.name}`).sort()).toEqual([`ConfigMap ${ns}/a`, `ConfigMap ${other}/b`, `Namespace /${ns}-extra`]);
    // Its group-kinds listed together (drift's early reads): the same members, in the same order.
    expect(await inventory.members(release, never, { concurrency: 4 })).toEqual(members);

    // Widening keeps what was there; commit narrows to exactly the new contents.
    await inventory.prepare(release, { groupKinds: [{ group: 'apps', kind: 'Deployment' }], namespaces: [] });
    let annotations = ((await inventory.parent(release))?.metadata as { annotations: Record<string, string> }).annotations;
    expect(annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,Namespace');
    expect(annotations['applyset.kubernetes.io/additional-namespaces']).toBe(other);
    await inventory.commit(release, { groupKinds: [{ group: '', kind: 'ConfigMap' }], namespaces: [ns] });
    annotations = ((await inventory.parent(release))?.metadata as { annotations: Record<string, string> }).annotations;
    expect(annotations).toEqual({ 'applyset.kubernetes.io/tooling': 'kubectl-kd/0.1.0', 'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap' });
  });

  it('refuses a parent that another tool manages', async () => {
    const ns = await rs.namespace('foreign');
    await rs.session.client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kd-applyset-app', namespace: ns, annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.32' } },
    });
    const inventory = new ApplySetInventory({ client: rs.session.client, version: '0.1.0' });
    await expect(inventory.members({ name: 'app', namespace: ns }, never)).rejects.toThrow(`the ApplySet parent Secret ${ns}/kd-applyset-app is managed by kubectl/v1.32, not kubectl-kd`);
  });

  it('selects members no longer desired, in reverse wave and kind order, sparing keep and hooks', () => {
    const member = (kind: string, group: string, name: string, annotations: Record<string, string> = {}) => ({
      ref: { group, version: 'v1', kind, namespace: 'ns', name },
      object: { apiVersion: group ? `${group}/v1` : 'v1', kind, metadata: { name, namespace: 'ns', annotations } },
    });
    const members = [
      member('ConfigMap', '', 'cfg'),
      member('Deployment', 'apps', 'web'),
      member('Service', '', 'web'),
      member('ConfigMap', '', 'late', { 'kd.io/sync-wave': '5' }),
      member('Secret', '', 'kept', { 'kd.io/resource-policy': 'keep' }),
      member('ConfigMap', '', 'helm-kept', { 'helm.sh/resource-policy': 'keep' }),
      member('Job', 'batch', 'migrate', { 'kd.io/hook': 'pre-apply' }),
      member('ConfigMap', '', 'still-wanted'),
    ];
    const selection = selectPrune(members, [{ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'still-wanted' }]);
    expect(selection.prune.map((m) => `${m.ref.kind}/${m.ref.name}`)).toEqual(['ConfigMap/late', 'Deployment/web', 'Service/web', 'ConfigMap/cfg']);
    expect(selection.kept.map((m) => `${m.ref.kind}/${m.ref.name}`)).toEqual(['Secret/kept', 'ConfigMap/helm-kept']);
  });
});
