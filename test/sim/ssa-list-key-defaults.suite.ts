/**
 * Re-applying with Server-Side Apply a list-map item that leaves out a defaulted key (`protocol` of
 * container and Service ports) must match the live item the server defaulted, not add a second one
 * (structured-merge-diff fills key defaults from the schema, kubernetes-sigs/structured-merge-diff
 * #130). Checked through the HTTP API with both schema sources the sim can run on: the real 1.35
 * documents (which carry `default: "TCP"`) and the built-in bundle (which carries no defaults).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandle } from '../../src/sim/server.js';
import type { SchemaSource } from '../../src/schema/types.js';
import { simJson, startValidatingSim, type Json } from '../support/validating-sim.js';


const deployment = (ports: Json[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'shop-web:1.4.0', ports }] } },
  },
});

const service = (ports: Json[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web' }, ports },
});

const DEPLOY_PATH = '/apis/apps/v1/namespaces/shop/deployments/web';
const SERVICE_PATH = '/api/v1/namespaces/shop/services/web';

/** The suite with the sim (and kd) on the schemas `makeSource` gives; `label` names them. */
export function ssaListKeyDefaultsSuite(label: string, makeSource: () => SchemaSource): void {
  describe(`server-side apply with list-map key defaults, schemas from ${label}`, () => {
    let sim: SimHandle;

    beforeAll(async () => {
      const source = makeSource();
      sim = await startValidatingSim(source);
      const r = await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      expect(r.status).toBe(201);
    });
    afterAll(async () => {
      await sim?.stop();
    });

    const call = (method: string, p: string, body?: unknown, contentType?: string) => simJson(sim, method, p, body, contentType);

    const ssa = (p: string, body: unknown, manager = 'kubectl-kd') => call('PATCH', `${p}?fieldManager=${manager}&force=true`, body, 'application/apply-patch+yaml');
    const ports = (o: Json) => o.spec.template.spec.containers[0].ports as Json[];

    it('keeps one container port when the same Deployment is applied twice', async () => {
      const body = deployment([{ name: 'http', containerPort: 8080 }]);
      const first = await ssa(DEPLOY_PATH, body);
      expect(first.status).toBe(201);
      const second = await ssa(DEPLOY_PATH, body);
      expect(second.status).toBe(200);
      expect(ports(second.json)).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      // Nothing changed, so nothing was written.
      expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
      const fields = second.json.metadata.managedFields.find((e: Json) => e.manager === 'kubectl-kd').fieldsV1;
      const containerFields = fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
      expect(Object.keys(containerFields['f:ports'])).toEqual(['k:{"containerPort":8080,"protocol":"TCP"}']);
    });

    it('treats an omitted protocol and an explicit TCP as the same item', async () => {
      await ssa(DEPLOY_PATH, deployment([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]));
      const r = await ssa(DEPLOY_PATH, deployment([{ name: 'http', containerPort: 8080 }]));
      expect(r.status).toBe(200);
      expect(ports(r.json)).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    });

    it('keeps a UDP port on the same number as a separate item', async () => {
      const r = await ssa(DEPLOY_PATH, deployment([{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 8080, protocol: 'UDP' }]));
      expect(r.status).toBe(200);
      expect(ports(r.json)).toEqual([
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'dns', containerPort: 8080, protocol: 'UDP' },
      ]);
      const again = await ssa(DEPLOY_PATH, deployment([{ name: 'http', containerPort: 8080 }]));
      expect(ports(again.json)).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    });

    it('keeps one Service port when the same Service is applied twice', async () => {
      const body = service([{ name: 'http', port: 80, targetPort: 'http' }]);
      const first = await ssa(SERVICE_PATH, body);
      expect(first.status).toBe(201);
      const second = await ssa(SERVICE_PATH, body);
      expect(second.status).toBe(200);
      expect(second.json.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
      expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    });

    it('a strategic merge patch without the protocol updates the defaulted item in place', async () => {
      await ssa(DEPLOY_PATH, deployment([{ name: 'http', containerPort: 8080 }]));
      const r = await call('PATCH', DEPLOY_PATH, { spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080, name: 'web' }] }] } } } }, 'application/strategic-merge-patch+json');
      expect(r.status).toBe(200);
      expect(ports(r.json)).toEqual([{ name: 'web', containerPort: 8080, protocol: 'TCP' }]);
    });
  });
}
