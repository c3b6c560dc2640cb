import { describe, expect, it } from 'vitest';
import { checkDuplicates } from '../../src/schema/index.js';
import { loadManifests } from './manifests.js';

describe('checkDuplicates', () => {
  it('reports the second of two inputs, naming the first, across files and versions', () => {
    const a = loadManifests('a.yaml', 'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n');
    const b = loadManifests('b.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n');
    const out = checkDuplicates([...a, ...b]);
    expect(out.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.rule} ${d.message}`)).toEqual([
      'b.yaml:4:9 manifest/duplicate HorizontalPodAutoscaler default/web is defined twice; the first is at a.yaml:4:9',
    ]);
  });

  it('tells apart kinds, groups, namespaces, and skips generateName', () => {
    const m = loadManifests(
      'c.yaml',
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: other\n',
        'apiVersion: example.com/v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: run-\n',
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: run-\n',
      ].join('---\n'),
    );
    expect(checkDuplicates(m)).toEqual([]);
  });
});
