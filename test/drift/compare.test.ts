/**
 * The pure comparison, table-driven: objects in, findings out. Covers what the cluster tests
 * cannot set up cheaply: quantities spelled differently, empty-vs-absent, removed fields,
 * keyed list items in another order, ignore rules and their parsing, --fail-on parsing.
 */
import { describe, expect, it } from 'vitest';
import { agreesAsWritten, compareObject, parseFailOn, parseIgnoreFile, parseIgnoreRule, quantityValue, type CompareOptions, type ObjectDriftInput } from '../../src/drift/index.js';

const options: CompareOptions = { fieldManager: 'kubectl-kd', ignore: [], showForeign: false, diff: false, secretSalt: 's' };
const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'c' };
const cm = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns', ...extra }, data });
const pod = (containers: unknown[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers } });
const podRef = { ...ref, kind: 'Pod', name: 'p' };

function classes(input: ObjectDriftInput, o: Partial<CompareOptions> = {}): string[] {
  const r = compareObject(input, { ...options, ...o });
  if (!r) return ['(nothing)'];
  return r.findings.length === 0 ? [r.class] : r.findings.map((f) => `${f.class}${f.path ? ` ${f.path.join('.')}` : ''}`);
}

describe('compareObject', () => {
  it.each([
    ['in sync', { desired: cm({ a: '1' }), record: cm({ a: '1' }), live: cm({ a: '1' }) }, ['in-sync']],
    ['pending: the files changed', { desired: cm({ a: '2' }), record: cm({ a: '1' }), live: cm({ a: '1' }) }, ['pending data.a']],
    ['pending: a field removed from the files', { desired: cm({}), record: cm({ a: '1' }), live: cm({ a: '1' }) }, ['pending data.a']],
    ['drifted: the cluster changed', { desired: cm({ a: '1' }), record: cm({ a: '1' }), live: cm({ a: '9' }) }, ['drifted data.a']],
    ['conflict: both changed, differently', { desired: cm({ a: '2' }), record: cm({ a: '1' }), live: cm({ a: '9' }) }, ['conflict data.a']],
    ['both changed alike: in sync', { desired: cm({ a: '2' }), record: cm({ a: '1' }), live: cm({ a: '2' }) }, ['in-sync']],
    ['empty and absent are one', { desired: cm({ a: '1' }, { labels: {} }), record: cm({ a: '1' }, { annotations: {} }), live: cm({ a: '1' }) }, ['in-sync']],
    ['missing', { desired: cm({}), record: cm({}) }, ['missing']],
    ['new', { desired: cm({}) }, ['new']],
    ['orphan', { record: cm({}), live: cm({}), member: true }, ['orphan']],
    ['pruned: applied, out of the files, gone', { record: cm({}) }, ['(nothing)']],
  ] as Array<[string, Omit<ObjectDriftInput, 'ref'>, string[]]>)('%s', (_name, input, expected) => {
    expect(classes({ ref, ...input })).toEqual(expected);
  });

  it('compares quantities by value and list items by key, whatever their order', () => {
    const desired = pod([{ name: 'a', image: 'x', resources: { requests: { cpu: '1' } } }, { name: 'b', image: 'y' }]);
    const live = pod([{ name: 'b', image: 'y' }, { name: 'a', image: 'x', resources: { requests: { cpu: '1000m' } } }, { name: 'sidecar', image: 'z' }]);
    expect(classes({ ref: podRef, desired, record: desired, live })).toEqual(['in-sync']);
    const changed = pod([{ name: 'b', image: 'y2' }, { name: 'a', image: 'x', resources: { requests: { cpu: '500m' } } }]);
    expect(classes({ ref: podRef, desired, record: desired, live: changed })).toEqual(['drifted spec.containers.1.resources.requests.cpu', 'drifted spec.containers.0.image']);
  });

  it('decides "agrees as written" without the leaf walk only where the walk agrees', () => {
    // Each pair: what the skip test says, and the full comparison with the server echoing the
    // object (a dry run that changes nothing) must give the same answer as the shortcut.
    const deploy = (containers: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns', labels: { app: 'd' } }, spec: { replicas: 2, template: { spec: { containers } }, ...extra } });
    const web = { name: 'web', image: 'web:1', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '1', memory: '64Mi' } } };
    const side = { name: 'side', image: 'side:1' };
    const serverSet = { uid: 'u1', resourceVersion: '7', managedFields: [{ manager: 'kubectl-kd', operation: 'Apply' }] };
    const liveOf = (o: ReturnType<typeof deploy>, extra: Record<string, unknown> = {}) => ({ ...o, metadata: { ...o.metadata, ...serverSet }, spec: { ...o.spec, ...extra }, status: { replicas: 2 } });
    const dRef = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'ns', name: 'd' };
    const desired = deploy([web, side]);
    const cases: Array<[string, ObjectDriftInput, boolean, string[]]> = [
      ['live as written, plus server fields', { ref: dRef, desired, record: deploy([web, side]), live: liveOf(desired, { strategy: { type: 'RollingUpdate' } }) }, true, ['in-sync']],
      ['keyed list reordered in the cluster', { ref: dRef, desired, record: desired, live: liveOf(deploy([side, web])) }, true, ['in-sync']],
      ['quantity spelled otherwise', { ref: dRef, desired, record: desired, live: liveOf(deploy([{ ...web, resources: { requests: { cpu: '1000m', memory: '64Mi' } } }, side])) }, true, ['in-sync']],
      ['empty map in the files', { ref: dRef, desired: deploy([web, side], { selector: {} }), record: deploy([web, side], { selector: {} }), live: liveOf(desired) }, true, ['in-sync']],
      ['record spelled otherwise, same leaves', { ref: dRef, desired, record: deploy([side, web]), live: liveOf(desired) }, true, ['in-sync']],
      ['defaults inside items, an injected item', { ref: dRef, desired, record: desired, live: liveOf(deploy([{ ...web, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'mesh', image: 'mesh:1' }, side])) }, true, ['in-sync']],
      // (without the server's dry run, the item's other key reads as another item: the leaf test's answer, kept)
      ['an item named in the cluster, keyed by port in the files', { ref: dRef, desired, record: desired, live: liveOf(deploy([{ ...web, ports: [{ name: 'http', containerPort: 80 }] }, side])) }, false, ['drifted spec.template.spec.containers.0.ports.0.containerPort']],
      ['drifted image', { ref: dRef, desired, record: desired, live: liveOf(deploy([{ ...web, image: 'web:2' }, side])) }, false, ['drifted spec.template.spec.containers.0.image']],
      ['pending replicas', { ref: dRef, desired: deploy([web, side], { replicas: 3 }), record: desired, live: liveOf(desired) }, false, ['pending spec.replicas']],
      ['label gone from the cluster', { ref: dRef, desired, record: desired, live: { ...liveOf(desired), metadata: { name: 'd', namespace: 'ns', ...serverSet } } }, false, ['drifted metadata.labels.app']],
    ];
    for (const [name, input, agrees, expected] of cases) {
      expect(agreesAsWritten({ desired: input.desired!, live: input.live!, applied: input.record }), name).toBe(agrees);
      expect(classes(input), name).toEqual(expected);
      expect(compareObject(input, options), name).toEqual(compareObject({ ...input, predicted: input.desired! }, options));
    }
  });

  it('skips ignored paths, from --ignore rules and from kd.io/drift-ignore', () => {
    const input = { ref, desired: cm({ a: '1', b: '1' }), record: cm({ a: '1', b: '1' }), live: cm({ a: '9', b: '9' }) };
    expect(classes(input, { ignore: [{ kind: 'configmap', pointer: '/data/a' }] })).toEqual(['drifted data.b']);
    expect(classes(input, { ignore: [{ kind: 'deployment.apps', pointer: '/data' }] })).toEqual(['drifted data.a', 'drifted data.b']);
    const annotations = { 'kd.io/drift-ignore': '/data/b' };
    const annotated = { ref, desired: cm({ a: '1', b: '1' }, { annotations }), record: cm({ a: '1', b: '1' }, { annotations }), live: cm({ a: '9', b: '9' }, { annotations }) };
    expect(classes(annotated)).toEqual(['drifted data.a']);
  });

  it('masks Secret values with a salted hash: equal values, equal hashes', () => {
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data });
    const r = compareObject({ ref: { ...ref, kind: 'Secret', name: 's' }, desired: secret({ p: 'YQ==' }), record: secret({ p: 'YQ==' }), live: secret({ p: 'Yg==' }) }, options)!;
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.masked).toBe(true);
    expect(f.desired).toBe(f.applied);
    expect(f.live).not.toBe(f.applied);
    expect(JSON.stringify(r)).not.toMatch(/YQ==|Yg==/);
  });
});

describe('parsing', () => {
  it('reads --ignore rules and ignore files, and names bad ones', () => {
    expect(parseIgnoreRule('Deployment.apps:/spec/replicas/')).toEqual({ rule: { kind: 'deployment.apps', pointer: '/spec/replicas' } });
    expect(parseIgnoreRule('spec/replicas')).toEqual({ problem: '--ignore "spec/replicas" is not KIND:/json/pointer (e.g. Deployment:/spec/replicas)' });
    expect(parseIgnoreFile('# comment\n*:/metadata/labels/team\n\nbad\n')).toEqual({
      rules: [{ kind: '*', pointer: '/metadata/labels/team' }],
      problems: ['line 4: --ignore "bad" is not KIND:/json/pointer (e.g. Deployment:/spec/replicas)'],
    });
  });

  it('reads --fail-on lists and refuses unknown classes', () => {
    expect(parseFailOn(['orphan,drifted', 'missing'])).toEqual({ failOn: ['drifted', 'missing', 'orphan'] });
    expect(parseFailOn(['none'])).toEqual({ failOn: [] });
    expect('problem' in parseFailOn(['in-sync'])).toBe(true);
  });

  it('values quantities', () => {
    expect([quantityValue('1000m'), quantityValue('1'), quantityValue('1Ki'), quantityValue('1e3'), quantityValue('x')]).toEqual([1, 1, 1024, 1000, undefined]);
  });
});
