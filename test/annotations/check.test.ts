/**
 * checkAnnotations as the LSP and the CLI see it: full diagnostics with file, object, path,
 * document index, the range of the key or the value, and suggestions for quick fixes.
 */
import { describe, expect, it } from 'vitest';
import { checkAnnotations } from '../../src/annotations/index.js';
import { manifestsFromYaml } from './manifest-helper.js';

const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    kd.io/sync-wav: "1"
    kd.io/health: Skip
`;

describe('checkAnnotations', () => {
  it('returns nothing for objects without kd annotations', () => {
    expect(checkAnnotations(manifestsFromYaml(yaml, 'app.yaml')[0]!)).toEqual([]);
  });

  it('fills in the object, path, document index, range and suggestions', () => {
    const web = manifestsFromYaml(yaml, 'app.yaml')[1]!;
    const ref = { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'shop' };
    expect(checkAnnotations(web)).toEqual([
      {
        severity: 'warning',
        rule: 'annotation/unknown-key',
        message: 'unknown annotation "kd.io/sync-wav"; did you mean "kd.io/sync-wave"?',
        file: 'app.yaml',
        range: { start: { line: 12, column: 5 }, end: { line: 12, column: 19 } },
        object: ref,
        path: ['metadata', 'annotations', 'kd.io/sync-wav'],
        documentIndex: 1,
        suggestions: ['kd.io/sync-wave'],
      },
      {
        severity: 'error',
        rule: 'annotation/invalid-value',
        message: 'kd.io/health must be wait or skip, not "Skip"; did you mean "skip"?',
        file: 'app.yaml',
        range: { start: { line: 13, column: 19 }, end: { line: 13, column: 23 } },
        object: ref,
        path: ['metadata', 'annotations', 'kd.io/health'],
        documentIndex: 1,
        suggestions: ['skip'],
      },
    ]);
  });

  it('suggests pointer forms for dotted field paths in kd.io/drift-ignore', () => {
    const [m] = manifestsFromYaml('kind: Deployment\nmetadata:\n  name: a\n  annotations:\n    kd.io/drift-ignore: spec.replicas, /spec/paused\n');
    expect(checkAnnotations(m!).map((d) => d.suggestions)).toEqual([['/spec/replicas,/spec/paused']]);
  });

  it('does not call a hook with only ignored Helm events a hook on an unfit kind', () => {
    const [m] = manifestsFromYaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: test\n');
    expect(checkAnnotations(m!).map((d) => [d.rule, d.severity])).toEqual([['annotation/invalid-value', 'warning']]);
  });

  it('leaves other prefixes alone', () => {
    const [m] = manifestsFromYaml(
      'kind: Pod\nmetadata:\n  name: a\n  annotations:\n    sim.kd.io/ready-after: 8s\n    argocd.argoproj.io/sync-options: Prune=false\n    xkd.io/hook: nope\n',
    );
    expect(checkAnnotations(m!)).toEqual([]);
  });
});
