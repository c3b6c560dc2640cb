/**
 * drift's CI formats (issue 20): JUnit has one <failure> per test case (the rest in its text),
 * and SARIF points at the drifted field's line in the file, not the object's first line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folder, startCliSim, type CliSim } from '../cli/support/cli-sim.js';

let s: CliSim;
let dir: string;
let ns: string;
beforeAll(async () => {
  s = await startCliSim();
  ns = await s.namespace('ci');
  dir = folder({
    'app.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
  level: info
  region: eu
`,
  });
  expect((await s.kd(['apply', dir, '--release', 'app', '-n', ns])).code).toBe(0);
  // Someone edits two fields in the cluster.
  await s.session.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'slow', region: 'us' } }, { fieldManager: 'kubectl-edit', force: true });
});
afterAll(async () => {
  await s?.stop();
});

describe('drift CI formats', () => {
  it('JUnit: one failure per test case, naming how many more, every finding in its text', async () => {
    const r = await s.kd(['drift', dir, '--release', 'app', '-n', ns, '-o', 'junit']);
    expect(r.code).toBe(1);
    const cases = r.stdout.split('<testcase').slice(1);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.match(/<failure /g)).toHaveLength(1);
    expect(cases[0]).toMatch(/<failure type="drifted" message="drifted: data\.mode: fast → slow in the cluster[^"]*\(and 1 more\)">/);
    expect(cases[0]).toContain('drifted: data.region: eu → us in the cluster');
  });

  it('SARIF: each result on its field\'s line', async () => {
    const r = await s.kd(['drift', dir, '--release', 'app', '-n', ns, '-o', 'sarif']);
    const results = JSON.parse(r.stdout).runs[0].results as Array<{ message: { text: string }; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
    const lineOf = (field: string) => results.find((x) => x.message.text.includes(field))!.locations[0]!.physicalLocation.region.startLine;
    expect(lineOf('data.mode')).toBe(6);
    expect(lineOf('data.region')).toBe(8);
  });
});
