/**
 * Fidelity check with the real kubectl: `kubectl apply --server-side` twice with the `web`
 * Deployment and Service of examples/shop (ports without `protocol`) leaves one port each, as
 * against a real kube-apiserver, whichever schema source the sim runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { SimHandle } from '../../src/sim/server.js';
import { startValidatingSim } from '../support/validating-sim.js';
import type { SchemaSource } from '../../src/schema/types.js';
import { KubectlEnv, requireKubectl } from '../e2e/kubectl-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WEB = readFileSync(path.resolve(here, '../../examples/shop/40-web.yaml'), 'utf8');

/** The suite with the sim (and kd) on the schemas `makeSource` gives; `label` names them. */
export function kubectlSsaListKeyDefaultsSuite(label: string, makeSource: () => SchemaSource): void {
  describe(`kubectl apply --server-side twice, schemas from ${label}`, () => {
    let sim: SimHandle;

    beforeAll(async () => {
      requireKubectl();
      sim = await startValidatingSim(makeSource(), { namespaces: ['shop'] });
    });
    afterAll(async () => {
      await sim?.stop();
    });

    it('keeps one container port and one Service port', async () => {
      const k = new KubectlEnv(sim.kubeconfig({ namespace: 'shop' }));
      const f = k.file('web.yaml', WEB);
      const first = await k.run(['apply', '--server-side', '-f', f]);
      expect(first).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\nservice/web serverside-applied\n' });
      const second = await k.run(['apply', '--server-side', '-f', f]);
      expect(second).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\nservice/web serverside-applied\n' });

      const dep = await k.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].ports}']);
      expect(JSON.parse(dep.stdout)).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
      const svc = await k.run(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports}']);
      expect(JSON.parse(svc.stdout)).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    });
  });
}
