/**
 * Leaves of an object (src/drift/leaves.ts): each leaf's identity and the path it was read from,
 * through maps, keyed list items and atomic lists, with `/` and `~` escaped in identities. The
 * walk shares one path stack, so every leaf must hold its own copy.
 */
import { describe, expect, it } from 'vitest';
import { leavesOf } from '../../src/drift/leaves.js';

describe('leavesOf', () => {
  it('names every leaf and keeps the path it was read from', () => {
    const leaves = leavesOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { 'example.com/a~b': 'x' }, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'log', image: 'busybox' }], args: ['a', 'b'] } },
      },
      status: { replicas: 2 },
    });
    expect([...leaves].map(([id, l]) => [id, l.path, l.value])).toEqual([
      ['metadata/annotations/example.com~1a~0b', ['metadata', 'annotations', 'example.com/a~b'], 'x'],
      ['metadata/labels/app', ['metadata', 'labels', 'app'], 'web'],
      ['spec/replicas', ['spec', 'replicas'], 2],
      ['spec/template/spec/containers/[name="web"]/name', ['spec', 'template', 'spec', 'containers', 0, 'name'], 'web'],
      ['spec/template/spec/containers/[name="web"]/image', ['spec', 'template', 'spec', 'containers', 0, 'image'], 'nginx'],
      ['spec/template/spec/containers/[name="web"]/ports/[containerPort=80]/containerPort', ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], 80],
      ['spec/template/spec/containers/[name="log"]/name', ['spec', 'template', 'spec', 'containers', 1, 'name'], 'log'],
      ['spec/template/spec/containers/[name="log"]/image', ['spec', 'template', 'spec', 'containers', 1, 'image'], 'busybox'],
      ['spec/template/spec/args', ['spec', 'template', 'spec', 'args'], ['a', 'b']],
    ]);
    const paths = [...leaves.values()].map((l) => l.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
