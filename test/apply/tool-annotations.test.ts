import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doneOf, eventLines, manifests, startApplySim, type ApplySim } from './support/apply-sim.js';

const job = (name: string, annotations: Record<string, string>) => `
apiVersion: batch/v1
kind: Job
metadata: { name: ${name}, annotations: ${JSON.stringify(annotations)} }
spec:
  backoffLimit: 0
  template:
    spec: { restartPolicy: Never, containers: [{ name: task, image: example/task:1 }] }
`;
const deployment = (name: string, annotations: Record<string, string> = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, annotations: ${JSON.stringify(annotations)} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: app, image: example/app:1 }] }
`;
const configMap = (name: string, annotations: Record<string, string> = {}) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}, annotations: ${JSON.stringify(annotations)} }
data: { k: v }
`;

describe('manifests annotated for other tools', () => {
  let s: ApplySim;
  beforeAll(async () => {
    s = await startApplySim();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('runs Argo CD annotations in Argo CD order: PreSync, waves (Sync hooks in their wave), PostSync', async () => {
    const text = [
      job('post', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
      deployment('api', { 'argocd.argoproj.io/sync-wave': '1' }),
      job('sync-step', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '1' }),
      configMap('config', { 'argocd.argoproj.io/sync-wave': '-1' }),
      job('pre', { 'argocd.argoproj.io/hook': 'PreSync' }),
      configMap('skipped', { 'argocd.argoproj.io/hook': 'Skip' }),
    ].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, 'argo-order') });
    expect(doneOf(events).failure).toBeUndefined();
    expect(eventLines(events, ['hook-started', 'hook-finished', 'wave-started', 'wave-finished', 'object-applied'])).toEqual([
      'applied namespace-created Namespace argo-order',
      'hook-started pre-apply Job pre',
      'applied create Job pre',
      'hook-finished pre-apply Job pre ok',
      'wave-started -1',
      'applied create ConfigMap config',
      'wave-finished -1 ok',
      'wave-started 1',
      'applied create Deployment api',
      'hook-started sync Job sync-step',
      'applied create Job sync-step',
      'hook-finished sync Job sync-step ok',
      'wave-finished 1 ok',
      'hook-started post-apply Job post',
      'applied create Job post',
      'hook-finished post-apply Job post ok deleted',
    ]);
  });

  it('runs Helm annotations in Helm order: pre-install hooks by weight, kinds in install order, post-install (a first apply is an install)', async () => {
    const text = [
      deployment('web'),
      job('after', { 'helm.sh/hook': 'post-install,post-upgrade' }),
      `apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n`,
      job('heavy', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '5' }),
      configMap('web-config'),
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: web }\n`,
      job('light', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
      `apiVersion: v1\nkind: Secret\nmetadata: { name: web }\nstringData: { token: t }\n`,
      job('test-only', { 'helm.sh/hook': 'test' }),
    ].join('\n---\n');
    const events = await s.apply({ objects: manifests(text, 'helm-order') });
    expect(doneOf(events).failure).toBeUndefined();
    expect(eventLines(events, ['hook-started', 'hook-finished', 'object-applied'])).toEqual([
      'applied namespace-created Namespace helm-order',
      'hook-started pre-install Job light',
      'applied create Job light',
      'hook-finished pre-install Job light ok deleted',
      'hook-started pre-install Job heavy',
      'applied create Job heavy',
      'hook-finished pre-install Job heavy ok',
      'applied create ServiceAccount web',
      'applied create Secret web',
      'applied create ConfigMap web-config',
      'applied create Service web',
      'applied create Deployment web',
      'hook-started post-install Job after',
      'applied create Job after',
      'hook-finished post-install Job after ok',
    ]);
  });
});
