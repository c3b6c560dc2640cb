import { describe, expect, it } from 'vitest';
import { compileNamed, compileSchema, LazyProperties, type CompileContext, type SchemaNode } from '../../src/schema/compiled.js';
import type { SchemaObject } from '../../src/schema/types.js';
import { source } from './run-fixture.js';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

async function appsContext(): Promise<CompileContext> {
  const doc = await source.document('apis/apps/v1');
  return { components: doc!.components.schemas, semantics: 'builtin', cache: new Map() };
}

/**
 * A node graph as plain data, every property compiled (through iteration, as any reader that
 * walks all properties does); a node met again is written as its first visit's number, so
 * cycles and sharing are part of the comparison.
 */
function materialise(root: SchemaNode): unknown {
  const seen = new Map<SchemaNode, number>();
  const visit = (node: SchemaNode): unknown => {
    const id = seen.get(node);
    if (id !== undefined) return { ref: id };
    seen.set(node, seen.size);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern') out[k] = node.patternSource;
      else if (k === 'properties') out[k] = [...(v as Map<string, SchemaNode>)].map(([name, child]) => [name, visit(child)]);
      else if (k === 'items' || k === 'not' || (k === 'additional' && v !== true)) out[k] = visit(v as SchemaNode);
      else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as SchemaNode[]).map(visit);
      else if (k === 'enumValues') out[k] = [...(v as Set<unknown>)];
      else out[k] = v;
    }
    return out;
  };
  return visit(root);
}

/** Looks properties up along a path (compiling only them), as validation does. */
function lookUp(node: SchemaNode, path: string[]): SchemaNode | undefined {
  let at: SchemaNode | undefined = node;
  for (const key of path) at = at?.properties?.get(key) ?? at?.items?.properties?.get(key);
  return at;
}

describe('compiled schemas: properties compiled on first use', () => {
  it('compiles nothing below a node until one of its properties is looked up', async () => {
    const ctx = await appsContext();
    const deployment = compileNamed(DEPLOYMENT, ctx)!;
    // The node itself is complete: its property names, their order and count, its type.
    expect([...deployment.properties!.keys()]).toEqual(Object.keys(ctx.components[DEPLOYMENT]!.properties!));
    expect(deployment.properties!.size).toBe(5);
    expect(deployment.properties!.has('spec')).toBe(true);
    expect(deployment.types).not.toBe(0);
    expect([...ctx.cache.keys()]).toEqual([DEPLOYMENT]);

    const image = lookUp(deployment, ['spec', 'template', 'spec', 'containers', 'image']);
    expect(image?.typeName).toBe('string');
    // Only what the path reaches was compiled: not the volume sources, probes, affinity terms...
    expect(ctx.cache.has('io.k8s.api.core.v1.Container')).toBe(true);
    expect(ctx.cache.has('io.k8s.api.core.v1.Volume')).toBe(false);
    expect(ctx.cache.has('io.k8s.api.core.v1.Probe')).toBe(false);
    // A property looked up again is the same node.
    expect(deployment.properties!.get('spec')).toBe(deployment.properties!.get('spec'));
  });

  it('gives the same nodes whatever the order properties are first looked up in', async () => {
    const inOrder = await appsContext();
    const expected = materialise(compileNamed(DEPLOYMENT, inOrder)!);

    const scattered = await appsContext();
    const root = compileNamed(DEPLOYMENT, scattered)!;
    lookUp(root, ['spec', 'template', 'spec', 'volumes', 'configMap', 'items']);
    lookUp(root, ['metadata', 'ownerReferences']);
    lookUp(root, ['status', 'conditions']);
    expect(materialise(root)).toEqual(expected);
    // Every reachable component was compiled once, by name, in either context.
    expect([...scattered.cache.keys()].sort()).toEqual([...inOrder.cache.keys()].sort());
  });

  it('hands out compiled nodes through every way of reading a map', async () => {
    const ctx = await appsContext();
    const spec = compileNamed(DEPLOYMENT, ctx)!.properties!.get('spec')!;
    const names = [...spec.properties!.keys()];
    const compiled = (nodes: Iterable<SchemaNode>) => [...nodes].every((n) => n.typeName !== 'any' || n.preserveUnknown || n.intOrString || n.quantity);
    expect(compiled(spec.properties!.values())).toBe(true);
    expect([...spec.properties!.entries()].map(([k]) => k)).toEqual(names);
    const copy = new Map(compileNamed('io.k8s.api.apps.v1.DeploymentStatus', ctx)!.properties!);
    expect(compiled(copy.values())).toBe(true);
    const seen: string[] = [];
    compileNamed('io.k8s.api.apps.v1.DeploymentStrategy', ctx)!.properties!.forEach((node, key) => {
      expect(node.typeName).not.toBe('any');
      seen.push(key);
    });
    expect(seen).toEqual(['rollingUpdate', 'type']);
    expect(spec.properties!.get('replicas')).toMatchObject({ typeName: 'integer', format: 'int32' });
  });

  it('merges allOf references in order, a later schema of a name replacing the earlier one in its place', () => {
    const components: Record<string, SchemaObject> = {
      Base: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } },
    };
    const ctx: CompileContext = { components, semantics: 'crd', cache: new Map() };
    const node = compileSchema({ allOf: [{ $ref: '#/components/schemas/Base' }, { required: ['a'] }], properties: { b: { type: 'integer' }, d: { type: 'boolean' } } }, ctx);
    expect(node.properties).toBeInstanceOf(LazyProperties);
    expect([...node.properties!.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect([...node.properties!].map(([k, n]) => `${k}:${n.typeName}`)).toEqual(['a:string', 'b:integer', 'c:string', 'd:boolean']);
    node.properties!.set('e', compileSchema({ type: 'number' }, ctx));
    node.properties!.delete('a');
    expect([...node.properties!].map(([k, n]) => `${k}:${n.typeName}`)).toEqual(['b:integer', 'c:string', 'd:boolean', 'e:number']);
  });
});
