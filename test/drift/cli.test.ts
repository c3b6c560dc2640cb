/**
 * `kubectl kd drift` end to end, in-process (the sim lives in this process): every output format
 * after kubectl changed a Secret and a ConfigMap behind kd's back. The text report (with --diff)
 * is compared with its golden file; JSON is checked against schemas/drift-result.schema.json;
 * SARIF fingerprints are stable across runs; and no format ever shows a Secret value, in clear
 * or base64. Exit codes: 1 drift, 0 with --fail-on none, 2 on usage errors.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { kdInProcess, type KdResult } from '../cli/support/cli-sim.js';
import { checkJsonDocuments } from '../support/output-schemas.js';
import { requireKubectl } from '../e2e/kubectl-harness.js';
import { fixturesDir, repoRoot, startDriftSim, type DriftSim } from './support.js';
import { golden as goldenText } from '../support/golden.js';

const PASSWORD = 'hunter2-very-secret';
const NEW_PASSWORD = 'rotated-by-hand';
const files = {
  'app.yaml': `apiVersion: v1
kind: Secret
metadata: { name: db }
type: Opaque
stringData:
  password: ${PASSWORD}
  user: shop
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
`,
};

let d: DriftSim;
let kubeconfig: string;
let dir: string;
const ns = 'drift-cli';
beforeAll(async () => {
  requireKubectl();
  d = await startDriftSim();
  const folder = d.folder(files);
  dir = folder.dir;
  await d.apply(dir, 'app', ns);
  const k = d.kubectl(ns);
  kubeconfig = k.kubeconfig;
  const b64 = Buffer.from(NEW_PASSWORD).toString('base64');
  expect((await k.run(['patch', 'secret/db', '-p', `{"data":{"password":"${b64}"}}`])).code).toBe(0);
  expect((await k.run(['edit', 'configmap/settings'], { env: { KUBE_EDITOR: 'sed -i s/fast/slow/' } })).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

/** kd drift in-process (the sim answers from this process), against the release applied above. */
function kd(args: string[]): Promise<KdResult> {
  return kdInProcess(['drift', dir, '--release', 'app', '-n', ns, '--kubeconfig', kubeconfig, ...args], { cwd: dir });
}

/** Times of managedFields writes vary from run to run. */
const scrub = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>');

function expectNoSecret(text: string): void {
  for (const value of [PASSWORD, NEW_PASSWORD]) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString('base64'));
  }
}

describe('kubectl kd drift', () => {
  it('prints the summary table and diffs, as in the golden file, and exits 1', async () => {
    const r = await kd(['--diff']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectNoSecret(r.stdout);
    const golden = path.join(fixturesDir, 'secret-and-configmap-drifted.txt');
    const expectedText = goldenText(golden, scrub(r.stdout));
    // Hashes are salted per run: only equal-or-not is stable, so they are scrubbed too.
    expect(scrub(r.stdout).replace(/#[0-9a-f]{8}/g, '#<hash>')).toBe(expectedText.replace(/#[0-9a-f]{8}/g, '#<hash>'));
    // Changed Secret value: two different hashes; the unchanged key is not a finding.
    const [, applied, live] = /data\.password: \*\*\* (#[0-9a-f]{8}) → \*\*\* (#[0-9a-f]{8})/.exec(r.stdout) ?? [];
    expect(applied).toBeDefined();
    expect(applied).not.toBe(live);
  });

  it('writes JSON that the documented schema accepts, with masked values and managers', async () => {
    const r = await kd(['-o', 'json', '--show-foreign']);
    expect(r.code).toBe(1);
    expectNoSecret(r.stdout);
    const doc = JSON.parse(r.stdout);
    expect(checkJsonDocuments([doc])).toBe(1);
    expect(doc).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'DriftReport' });
    const objects = doc.targets[0].objects;
    const secret = objects.find((o: { object: { kind: string } }) => o.object.kind === 'Secret');
    expect(secret.findings).toEqual([
      expect.objectContaining({ class: 'drifted', path: '/data/password', fieldPath: 'data.password', masked: true, owner: expect.objectContaining({ manager: 'kubectl-patch', operation: 'Update' }) }),
    ]);
    expect(doc.counts).toMatchObject({ drifted: 2 });
    expect(doc.targets[0]).toMatchObject({ context: expect.any(String), release: 'app', namespace: ns, revision: 1 });
  });

  it('writes SARIF with one result per finding and fingerprints stable across runs', async () => {
    const first = await kd(['-o', 'sarif']);
    const second = await kd(['-o', 'sarif']);
    expectNoSecret(first.stdout);
    const results = (t: string) => JSON.parse(t).runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string>; locations: unknown[] }>;
    expect(results(first.stdout).map((r) => r.ruleId)).toEqual(['drift/drifted', 'drift/drifted']);
    expect(results(first.stdout).map((r) => r.partialFingerprints)).toEqual(results(second.stdout).map((r) => r.partialFingerprints));
    expect(JSON.stringify(results(first.stdout)[0]!.locations)).toContain('"uri":"app.yaml"');
  });

  it('writes JUnit with a test case per object and one failure per failing case', async () => {
    const r = await kd(['-o', 'junit']);
    expectNoSecret(r.stdout);
    expect(r.stdout.match(/<testcase /g)?.length).toBe(2);
    expect(r.stdout.match(/<failure type="drifted"/g)?.length).toBe(2);
  });

  it('exits 0 when --fail-on leaves the found classes out, and 2 on a bad flag', async () => {
    expect((await kd(['--fail-on', 'none', '-o', 'json'])).code).toBe(0);
    expect((await kd(['--fail-on', 'missing,orphan', '-o', 'json'])).code).toBe(0);
    expect((await kd(['--ignore', 'ConfigMap:/data', '--ignore', 'Secret:/data', '-o', 'json'])).code).toBe(0);
    const bad = await kd(['--fail-on', 'sideways']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on "sideways" is not a class');
  });
});
